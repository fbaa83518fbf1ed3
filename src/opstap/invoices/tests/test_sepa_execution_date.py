"""The requested execution date of a SEPA file is the day it is made, or the next TARGET2
business day (R-BILL-10).

Found in the user walk of session 19: the file's creation time and requested execution date
came from the moment the batch was composed, so a batch composed on Friday and exported on
Monday asked the bank to pay on the Friday before (banks refuse such a file or move the
date). Now the file is made at the first export (creation time = that moment) and asks for
the export day, moved to the next TARGET2 business day on a weekend or TARGET2 holiday. The
stored file, its checksum and its message id still never change on a re-export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from opstap.accounts.models import User
from opstap.invoices import services
from opstap.invoices.models import Invoice, PaymentBatch
from opstap.invoices.pain001 import SCHEMAS
from opstap.invoices.rules.sepa_dates import (
    is_target2_business_day,
    requested_execution_date,
    target2_holidays,
)

from .conftest import web_as
from .test_sepa import _confirmed_account

AMS = ZoneInfo("Europe/Amsterdam")
D = dt.date


@pytest.fixture
def _debtor(settings: Any) -> None:
    settings.OPSTAP_SEPA_DEBTOR_NAME = "RSD de Liemers"
    settings.OPSTAP_SEPA_DEBTOR_IBAN = "NL91ABNA0417164300"
    settings.OPSTAP_SEPA_DEBTOR_BIC = ""


@pytest.mark.parametrize(
    ("export_day", "execution"),
    [
        (D(2026, 12, 7), D(2026, 12, 7)),  # Monday: the same day
        (D(2026, 12, 11), D(2026, 12, 11)),  # Friday
        (D(2026, 12, 12), D(2026, 12, 14)),  # Saturday -> Monday
        (D(2026, 12, 13), D(2026, 12, 14)),  # Sunday -> Monday
        (D(2026, 12, 24), D(2026, 12, 24)),  # Christmas Eve is a business day
        (D(2026, 12, 25), D(2026, 12, 28)),  # Christmas Day (Friday) -> Monday
        (D(2026, 12, 26), D(2026, 12, 28)),  # 26 December (Saturday) -> Monday
        (D(2027, 12, 24), D(2027, 12, 24)),  # Friday before a Christmas weekend
        (D(2027, 12, 25), D(2027, 12, 27)),  # Saturday 25th, Sunday 26th -> Monday
        (D(2026, 12, 31), D(2026, 12, 31)),  # New Year's Eve is a business day
        (D(2027, 1, 1), D(2027, 1, 4)),  # New Year's Day (Friday) -> Monday
        (D(2028, 1, 1), D(2028, 1, 3)),  # New Year's Day (Saturday) -> Monday
        (D(2026, 4, 3), D(2026, 4, 7)),  # Good Friday -> over Easter to Tuesday
        (D(2026, 4, 6), D(2026, 4, 7)),  # Easter Monday -> Tuesday
        (D(2027, 3, 26), D(2027, 3, 30)),  # Good Friday 2027 (Easter 28 March)
        (D(2026, 5, 1), D(2026, 5, 4)),  # Labour Day (Friday) -> Monday
        (D(2027, 4, 30), D(2027, 4, 30)),  # Friday 30 April: a business day
        (D(2027, 5, 1), D(2027, 5, 3)),  # Labour Day on a Saturday -> Monday
        (D(2026, 4, 27), D(2026, 4, 27)),  # King's Day: the bank works (not TARGET2)
        (D(2030, 5, 5), D(2030, 5, 6)),  # 5 May on a Sunday: only the weekend moves it
        (D(2026, 5, 5), D(2026, 5, 5)),  # 5 May on a Tuesday: a business day
        (D(2026, 5, 14), D(2026, 5, 14)),  # Ascension Day: a business day
        (D(2026, 5, 25), D(2026, 5, 25)),  # Whit Monday: a business day
    ],
)
def test_requested_execution_date_is_the_export_day_or_the_next_target2_day(
    export_day: dt.date, execution: dt.date
) -> None:
    """R-BILL-10: the requested execution date never lies before the export day and is a
    TARGET2 business day."""
    assert requested_execution_date(export_day) == execution
    assert is_target2_business_day(execution)


@pytest.mark.parametrize(
    ("year", "good_friday", "easter_monday"),
    [
        (2026, D(2026, 4, 3), D(2026, 4, 6)),
        (2027, D(2027, 3, 26), D(2027, 3, 29)),
        (2028, D(2028, 4, 14), D(2028, 4, 17)),
        (2038, D(2038, 4, 23), D(2038, 4, 26)),  # the latest Easter of the century but one
    ],
)
def test_target2_holidays_of_a_year(
    year: int, good_friday: dt.date, easter_monday: dt.date
) -> None:
    """R-BILL-10: the six TARGET2 holidays, Easter from the Western computus."""
    assert set(target2_holidays(year)) == {
        D(year, 1, 1),
        good_friday,
        easter_monday,
        D(year, 5, 1),
        D(year, 12, 25),
        D(year, 12, 26),
    }


def _dates(document: bytes, schema: str) -> tuple[str, str]:
    ns = {"p": f"urn:iso:std:iso:20022:tech:xsd:{schema}"}
    root = ET.fromstring(document)  # noqa: S314 - the file under test
    created = root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm", namespaces=ns)
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:ReqdExctnDt", ns)
    assert created is not None and info is not None
    execution = (info.findtext("p:Dt", namespaces=ns) or info.text or "").strip()
    return created, execution


@pytest.mark.usefixtures("_debtor")
@pytest.mark.parametrize("schema", SCHEMAS)
def test_a_batch_exported_days_later_asks_for_the_export_day_or_later(
    schema: str,
    settings: Any,
    first_instalment: Invoice,
    clerk: User,
    contract_manager: User,
) -> None:
    """R-BILL-10: composed on Friday 14-08-2026, exported on Sunday 16-08-2026 at 15:30: the
    file is made then (CreDtTm 2026-08-16T15:30:00) and asks for Monday 17-08-2026 — not for
    the Friday of composing, a past day by then. Exported again on Thursday 20-08 it is the
    very same file (bytes, SHA-256, message id), still asking for 17-08."""
    settings.OPSTAP_SEPA_PAIN_VERSION = schema
    _confirmed_account(first_instalment.provider, clerk, contract_manager)
    batch = services.payment_batch_create(actor=clerk)  # the frozen today: Friday 14-08-2026
    with time_machine.travel(dt.datetime(2026, 8, 16, 15, 30, tzinfo=AMS), tick=False):
        exported = services.payment_batch_export_sepa(actor=clerk, batch=batch)
    document = exported.export_pain001.read()
    assert _dates(document, schema) == ("2026-08-16T15:30:00", "2026-08-17")
    assert exported.pain001_execution_date == D(2026, 8, 17)
    assert exported.pain001_created_at == dt.datetime(2026, 8, 16, 15, 30, tzinfo=AMS)
    assert exported.pain001_sha256 == hashlib.sha256(document).hexdigest()
    assert exported.pain001_message_id == f"OPSTAP-{batch.organisation_id}-{batch.reference}"

    with time_machine.travel(dt.datetime(2026, 8, 20, 9, 0, tzinfo=AMS), tick=False):
        again = services.payment_batch_export_sepa(actor=clerk, batch=batch)
    again.export_pain001.open()
    assert again.export_pain001.read() == document
    assert (again.pain001_sha256, again.pain001_message_id) == (
        exported.pain001_sha256,
        exported.pain001_message_id,
    )
    stored = PaymentBatch.objects.get(pk=batch.pk)
    assert stored.pain001_execution_date == D(2026, 8, 17)
    assert stored.pain001_created_at == exported.pain001_created_at


@pytest.mark.usefixtures("_debtor")
def test_the_batch_page_shows_the_execution_date_in_dutch(
    first_instalment: Invoice, clerk: User, contract_manager: User
) -> None:
    """R-BILL-10: the page says which day the bank is asked to pay, dd-mm-jjjj. Made on
    Good Friday 2027 (26-03-2027, 10:15) the file asks for Tuesday 30-03-2027."""
    _confirmed_account(first_instalment.provider, clerk, contract_manager)
    batch = services.payment_batch_create(actor=clerk)
    page = reverse("invoices:batch", args=[batch.pk])
    assert "Uitvoerdatum" not in web_as(clerk).get(page).content.decode()
    with time_machine.travel(dt.datetime(2027, 3, 26, 10, 15, tzinfo=AMS), tick=False):
        web = web_as(clerk)  # signed in that day: a session does not last seven months
        web.post(reverse("invoices:batch_export_sepa", args=[batch.pk]))
        html = web.get(page).content.decode()
    assert (
        '<p id="sepa-execution-date">Uitvoerdatum 30-03-2027 '
        "(bestand gemaakt op 26-03-2027 om 10:15)</p>" in html
    )


@pytest.mark.usefixtures("_debtor")
def test_files_made_before_the_dates_were_stored_get_them_from_the_file(
    first_instalment: Invoice, clerk: User, contract_manager: User
) -> None:
    """R-BILL-10: the migration reads the creation time and the requested execution date of
    a file made before they were stored from the stored file itself (both pain.001 versions
    keep ReqdExctnDt differently: .09 in a Dt element)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("opstap.invoices.migrations.0007_sepa_file_dates")
    _confirmed_account(first_instalment.provider, clerk, contract_manager)
    batch = services.payment_batch_create(actor=clerk)
    with time_machine.travel(dt.datetime(2026, 8, 15, 11, 5, tzinfo=AMS), tick=False):
        services.payment_batch_export_sepa(actor=clerk, batch=batch)
    PaymentBatch.objects.filter(pk=batch.pk).update(
        pain001_created_at=None, pain001_execution_date=None
    )
    migration.dates_from_stored_files(apps, None)
    stored = PaymentBatch.objects.get(pk=batch.pk)
    assert stored.pain001_execution_date == D(2026, 8, 17)
    assert stored.pain001_created_at == dt.datetime(2026, 8, 15, 11, 5, tzinfo=AMS)
