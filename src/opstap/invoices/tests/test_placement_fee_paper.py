"""A placement-fee claim that came by post counts as received on its stamped day (R-BILL-6).

The administration could register a paper placement-fee claim, but its form had no receipt
date: the claim counted as received the day it was typed in, so a claim posted within the 30
days after the probation but typed in later was judged too late (red
`bemiddelingsfee_te_laat`) and its payment term ran from the wrong day. The form now has the
paper invoice's *Ontvangen op* (same field, same `services.paper_received_at`); a provider's
portal form has none and a posted value is ignored.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opstap.accounts.models import User
from opstap.invoices.models import Invoice, PlacementFeeClaim
from opstap.trajectories.deadlines import add_working_days
from opstap.trajectories.models import Trajectory

from .conftest import field_error, web_as

pytestmark = pytest.mark.django_db

#: Placement from 1 June 2026, probation to 30 June: the claim window closed on 30 July.
#: The tests run on 14 August 2026 (conftest), after the window.
STAMPED = "2026-07-28"


def _post(user: User, trajectory: Trajectory, **extra: str) -> tuple[int, str]:
    response = web_as(user).post(
        "/facturen/bemiddelingsfee/",
        {
            "trajectory": str(trajectory.pk),
            "invoice_number": "PF-9",
            "invoice_date": "2026-07-20",
            "employer": "Bakkerij Jansen",
            "placement_start": "2026-06-01",
            "hours_per_week": "32",
            "contract_months": "12",
            "probation_end": "2026-06-30",
            "contract": SimpleUploadedFile("c.pdf", b"%PDF-1.4 contract", "application/pdf"),
            **extra,
        },
    )
    return response.status_code, response.content.decode()


def _codes(invoice: Invoice) -> set[str]:
    return {r["code"] for r in invoice.reasons or []}


def test_the_administration_gets_the_stamp_field_after_the_invoice_date(
    code3_done: Trajectory, clerk: User
) -> None:
    """R-BILL-6: the paper claim's form asks the stamped day beside the invoice date."""
    html = web_as(clerk).get("/facturen/bemiddelingsfee/").content.decode()
    # The page says what it is for: a placement fee, not an invoice per milestone.
    assert "Eén bemiddelingsfee per plaatsing" in html
    assert "Eén factuur per klant en per mijlpaal" not in html
    form = html[html.index('aria-label="Bemiddelingsfee declareren"') :]
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([a-z_]+)"', form)
    at = names.index("invoice_date")
    assert names[at : at + 2] == ["invoice_date", "received_on"], names


def test_a_paper_claim_stamped_within_the_window_is_in_time(
    code3_done: Trajectory, clerk: User
) -> None:
    """R-BILL-6, R-TRJ-3: stamped 28 July (within the window that closed 30 July), typed in
    on 14 August: not late, received_at is the stamped day and the payment term runs from
    it."""
    status, html = _post(clerk, code3_done, received_on=STAMPED)
    assert status == 302, field_error(html, "received_on") or html[-2000:]
    claim = PlacementFeeClaim.objects.get()
    invoice = claim.invoice
    assert invoice is not None
    assert invoice.source == "paper"
    assert timezone.localdate(invoice.received_at) == dt.date(2026, 7, 28)
    assert timezone.localdate(claim.submitted_at) == dt.date(2026, 7, 28)
    assert invoice.due_on == add_working_days(dt.date(2026, 7, 28), 30)
    assert "bemiddelingsfee_te_laat" not in _codes(invoice), invoice.reasons


def test_a_paper_claim_without_a_stamp_counts_from_today(
    code3_done: Trajectory, clerk: User
) -> None:
    """R-BILL-6: no stamped day: received today (14 August), after the window: red."""
    status, _html = _post(clerk, code3_done)
    assert status == 302
    invoice = Invoice.objects.get(invoice_number="PF-9")
    assert timezone.localdate(invoice.received_at) == dt.date(2026, 8, 14)
    assert "bemiddelingsfee_te_laat" in _codes(invoice)


def test_a_stamp_in_the_future_is_refused_at_the_field(code3_done: Trajectory, clerk: User) -> None:
    """R-SEC-6: a stamped day after today answers 400 with the message at the field, named
    together with the claim's other problems, and what was typed kept."""
    status, html = _post(clerk, code3_done, received_on="2026-08-15", contract_months="0")
    assert status == 400
    assert field_error(html, "received_on") == "De ontvangstdatum ligt in de toekomst."
    assert field_error(html, "contract_months") == "De contractduur is minimaal 1 maand."
    assert 'value="2026-08-15"' in html
    assert not Invoice.objects.exists()
    assert not PlacementFeeClaim.objects.exists()


def test_a_stamp_before_the_invoice_date_is_refused_at_the_stamp(
    code3_done: Trajectory, clerk: User
) -> None:
    """R-TRJ-3: stamped 18 July, the claim's invoice dated 20 July: the message stands at
    "Ontvangen op" (the date the clerk typed last), worded for it, named with the claim's
    other problems; none at the invoice date. It stood at the invoice date as "De
    factuurdatum ligt na de ontvangstdatum."."""
    status, html = _post(clerk, code3_done, received_on="2026-07-18", contract_months="0")
    assert status == 400
    assert field_error(html, "received_on") == "De ontvangstdatum ligt vóór de factuurdatum."
    assert field_error(html, "invoice_date") == ""
    assert field_error(html, "contract_months") == "De contractduur is minimaal 1 maand."
    assert not PlacementFeeClaim.objects.exists()
    # and alone, it is the service that refuses it, at the same field
    status, html = _post(clerk, code3_done, received_on="2026-07-18")
    assert status == 400
    assert field_error(html, "received_on") == "De ontvangstdatum ligt vóór de factuurdatum."
    assert not Invoice.objects.exists()


def test_the_provider_cannot_say_when_its_claim_arrived(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """Facts from the record: the provider's form has no receipt field, and a posted one is
    ignored; the claim is received when it is submitted (and so too late)."""
    assert 'name="received_on"' not in (
        web_as(provider_user_a).get("/facturen/bemiddelingsfee/").content.decode()
    )
    status, _html = _post(provider_user_a, code3_done, received_on=STAMPED)
    assert status == 302
    invoice = Invoice.objects.get(invoice_number="PF-9")
    assert invoice.source == "portal"
    assert timezone.localdate(invoice.received_at) == dt.date(2026, 8, 14)
    assert "bemiddelingsfee_te_laat" in _codes(invoice)
