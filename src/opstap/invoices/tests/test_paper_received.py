"""A paper invoice counts as received on the day the administration stamped it (R-TRJ-3).

The administration registered paper invoices with "received" = the moment of typing them in,
so an invoice that arrived by post within the 30 days after the end but was typed in a week
later was judged late, and the payment term ran from the wrong day. The registration form now
asks the stamped day (the organisation's record, never a provider's date); the provider's
portal form has no such field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client as WebClient
from django.utils import timezone

from opstap.accounts.models import User
from opstap.invoices.models import Invoice
from opstap.trajectories.models import Trajectory

from .conftest import END, field_error

pytestmark = pytest.mark.django_db

#: 38 days after the end of 3 Aug 2026: the invoice deadline (2 Sep) has passed.
TYPED_IN = dt.datetime(2026, 9, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def on_typed_in_day(code3_done: Trajectory) -> Iterator[None]:
    with time_machine.travel(TYPED_IN, tick=False):
        yield


def _post(user: User, trajectory: Trajectory, **extra: str) -> tuple[int, str]:
    web = WebClient()
    web.force_login(user)
    response = web.post(
        "/facturen/indienen/",
        {
            "trajectory": str(trajectory.pk),
            "invoice_number": "P-77",
            "invoice_date": "2026-08-25",
            "milestone": "final_report",
            "period_start": "2026-05-06",
            "period_end": END.isoformat(),
            "client_number": trajectory.client.client_number,
            "client_surname": trajectory.client.last_name,
            "amount_excl": "1.250,00",
            "vat": "262,50",
            "amount_incl": "1.512,50",
            **extra,
        },
    )
    return response.status_code, response.content.decode()


def _codes(invoice: Invoice) -> set[str]:
    return {r["code"] for r in invoice.reasons or []}


def test_the_stamped_day_decides_lateness_not_the_day_it_was_typed_in(
    code3_done: Trajectory, clerk: User, on_typed_in_day: None
) -> None:
    """R-TRJ-3: received by post on 28 Aug (within 30 days of the end), typed in on 10 Sep:
    not late, and the payment term runs from 28 Aug."""
    status, _html = _post(clerk, code3_done, received_on="2026-08-28")
    assert status == 302
    invoice = Invoice.objects.get(invoice_number="P-77")
    assert timezone.localdate(invoice.received_at) == dt.date(2026, 8, 28)
    assert invoice.source == "paper"
    assert "factuur_te_laat" not in _codes(invoice), invoice.reasons


def test_without_a_stamp_the_day_of_registration_counts(
    code3_done: Trajectory, clerk: User, on_typed_in_day: None
) -> None:
    """R-TRJ-3: no day given: received today, and 10 Sep is after the deadline (orange)."""
    status, _html = _post(clerk, code3_done)
    assert status == 302
    invoice = Invoice.objects.get(invoice_number="P-77")
    assert timezone.localdate(invoice.received_at) == dt.date(2026, 9, 10)
    assert "factuur_te_laat" in _codes(invoice)


@pytest.mark.parametrize(
    ("stamped", "message"),
    [
        ("2026-09-11", "De ontvangstdatum ligt in de toekomst."),
        # Before the invoice date of 25 Aug: said at the stamp, the date the clerk typed
        # last and is to correct. It stood at the invoice date, as "De factuurdatum ligt na
        # de ontvangstdatum.".
        ("2026-08-20", "De ontvangstdatum ligt vóór de factuurdatum."),
    ],
)
def test_an_impossible_stamp_is_refused(
    code3_done: Trajectory, clerk: User, on_typed_in_day: None, stamped: str, message: str
) -> None:
    """R-SEC-6, R-TRJ-3: a stamp in the future, or before the invoice's own date, answers
    400 with the message at "Ontvangen op" and none at the invoice date, what was typed
    kept."""
    status, html = _post(clerk, code3_done, received_on=stamped)
    assert status == 400
    assert field_error(html, "received_on") == message
    assert field_error(html, "invoice_date") == ""
    assert f'value="{stamped}"' in html
    assert not Invoice.objects.exists()


def test_an_invoice_dated_after_today_is_refused_at_the_invoice_date(
    code3_done: Trajectory, clerk: User, on_typed_in_day: None
) -> None:
    """R-TRJ-3: stamped today (10 Sep) or not at all, an invoice dated 11 Sep: the stamp
    cannot be later, so the invoice date is the one to correct and the message stands
    there."""
    for stamp in ("2026-09-10", ""):
        status, html = _post(clerk, code3_done, invoice_date="2026-09-11", received_on=stamp)
        assert status == 400
        assert field_error(html, "invoice_date") == "De factuurdatum ligt na de ontvangstdatum."
        assert field_error(html, "received_on") == ""
    assert not Invoice.objects.exists()


def test_the_provider_cannot_say_when_its_invoice_arrived(
    code3_done: Trajectory, provider_user_a: User, on_typed_in_day: None
) -> None:
    """Facts from the record: the portal form has no receipt field, and a posted one is
    ignored; the invoice is received when it is submitted."""
    web = WebClient()
    web.force_login(provider_user_a)
    assert 'name="received_on"' not in web.get("/facturen/indienen/").content.decode()
    status, _html = _post(provider_user_a, code3_done, received_on="2026-08-28")
    assert status == 302
    invoice = Invoice.objects.get(invoice_number="P-77")
    assert timezone.localdate(invoice.received_at) == dt.date(2026, 9, 10)
    assert "factuur_te_laat" in _codes(invoice)


def _field_names(html: str) -> list[str]:
    form = html[html.index('aria-label="Factuur indienen"') :]
    return re.findall(r'<(?:input|select|textarea)[^>]*\bname="([a-z_]+)"', form)


def test_the_stamp_field_follows_the_invoice_date(code3_done: Trajectory, clerk: User) -> None:
    """R-TRJ-3: the administration types the stamped day beside the invoice date, both from
    the paper; "Ontvangen op" sat at the end of the form, after the PDF upload."""
    web = WebClient()
    web.force_login(clerk)
    names = _field_names(web.get("/facturen/indienen/").content.decode())
    at = names.index("invoice_date")
    assert names[at : at + 3] == ["invoice_date", "received_on", "milestone"], names
    assert names[-1] == "pdf", names
