"""The demo journey of the finance clerk ('administratie'): a duplicate held, jobcoaching
above the ceiling refused with the reason, the correct code-3 second instalment approved, a
batch exported, and exporting it again producing nothing new (R-BILL-1, R-BILL-2, R-BILL-7,
R-BILL-10). Builds the whole demo organisation (about a minute)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.conftest import DEMO_TODAY
from opstap.demo import generator
from opstap.invoices.models import Invoice, PaymentBatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(demo_today: dt.date) -> Iterator[None]:
    # The demo is built on the fixed DEMO_TODAY with the clock stopped there (root conftest),
    # not on the invoices tests' TODAY, so that the first jobcoaching quarter has ended.
    yield


def test_finance_clerk_demo_journey(settings: Any) -> None:
    """R-BILL-10, R-BILL-7, R-BILL-1: the demo shows every verdict; the clerk approves the
    correct code-3 second instalment, cannot approve the held duplicate or the invoice above
    the ceiling, and a second export of the batch changes nothing. The demo already holds
    one batch exported as a SEPA file (pain.001, issue 16)."""
    settings.OPSTAP_SEPA_DEBTOR_IBAN = "NL91ABNA0417164300"
    generator.build(scale="demo", today=DEMO_TODAY, log=lambda _msg: None)
    demo_batch = PaymentBatch.objects.get()
    assert demo_batch.status == "exported" and demo_batch.invoice_count > 0
    assert demo_batch.pain001_message_id == f"OPSTAP-{demo_batch.organisation_id}-BB-2026-0001"
    assert b"<CstmrCdtTrfInitn>" in demo_batch.export_pain001.read()
    clerk = User.objects.get(username="administratie")
    web = WebClient()
    web.force_login(clerk)

    work_list = web.get("/facturen/?bucket=te_controleren").content.decode()
    assert "WL-2026-202" in work_list and "Dubbel" in work_list
    assert {"green", "orange", "red"} <= set(Invoice.objects.values_list("verdict", flat=True))

    held = Invoice.objects.get(invoice_number="WL-2026-202")
    assert held.status == "held"
    page = web.post(f"/facturen/{held.pk}/goedkeuren/", follow=True).content.decode()
    assert "kan niet bij een factuur met status" in page

    ceiling = Invoice.objects.get(invoice_number="WL-2026-301")
    page = web.post(f"/facturen/{ceiling.pk}/goedkeuren/", follow=True).content.decode()
    assert "maximum uurtarief" in page
    assert Invoice.objects.get(pk=ceiling.pk).status == "checked"

    # R-BILL-7 with explicit price terms: the correct quarter is hours x the agreed rate of
    # the approved quote (20 h in the logbook), not the quote total read as an hourly rate.
    fair = Invoice.objects.select_related("trajectory").get(invoice_number="WL-2026-302")
    terms = fair.trajectory
    assert (terms.price_basis, terms.price_source, terms.agreed_hours) == (
        "hourly",
        "quote",
        Decimal("40.00"),
    )
    assert terms.hourly_rate is not None and terms.budget_cap == terms.hourly_rate * 40
    assert fair.allowed_excl == terms.hourly_rate * 20
    assert fair.verdict == "green", fair.reasons

    second = Invoice.objects.get(invoice_number="WL-2026-102-1")
    assert (second.milestone, second.verdict) == ("final_report", "green")
    web.post(f"/facturen/{second.pk}/goedkeuren/", {"note": ""})
    assert Invoice.objects.get(pk=second.pk).status == "approved"

    web.post("/facturen/betaalbatches/")
    batch = PaymentBatch.objects.exclude(pk=demo_batch.pk).get()
    assert batch.invoices.filter(pk=second.pk).exists()
    web.post(f"/facturen/betaalbatches/{batch.pk}/exporteren/")
    batch.refresh_from_db()
    exported = (batch.export_sha256, batch.exported_at, batch.invoice_count)
    page = web.post(f"/facturen/betaalbatches/{batch.pk}/exporteren/", follow=True)
    assert "niets nieuws" in page.content.decode()
    batch.refresh_from_db()
    assert (batch.export_sha256, batch.exported_at, batch.invoice_count) == exported
    web.post("/facturen/betaalbatches/")
    assert PaymentBatch.objects.count() == 2  # the demo's own batch and this one
