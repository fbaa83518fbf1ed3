"""A wrongly paid invoice credited in full, then invoiced again correctly (R-BILL-8, R-BILL-10).

Before, the credited invoice stayed "live" for its claim: the corrected invoice was held as a
duplicate of it for ever, and the provider could never be paid for the milestone. A partial
credit keeps the invoice live: a second invoice for the same milestone is still a duplicate.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.invoices.workflow import InvoiceStatus, credit_note_refusal
from opstap.trajectories.models import Trajectory

from .conftest import submit

D = Decimal
pytestmark = pytest.mark.django_db


def _paid_final(provider_user: User, trajectory: Trajectory, clerk: User) -> Invoice:
    invoice = submit(provider_user, trajectory, invoice_number="F-1", amount_excl=D("1250.00"))
    invoice = services.invoice_approve(actor=clerk, invoice=invoice)
    batch = services.payment_batch_export(
        actor=clerk, batch=services.payment_batch_create(actor=clerk)
    )
    # paid today (a later day is refused: the bank has not paid yet)
    services.payment_batch_mark_paid(actor=clerk, batch=batch, paid_on=dt.date(2026, 8, 14))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    return invoice


def _credit(clerk: User, invoice: Invoice, incl: str, excl: str, vat: str) -> None:
    services.credit_note_create(
        actor=clerk,
        invoice=invoice,
        number=f"C-{invoice.invoice_number}",
        credit_date=dt.date(2026, 8, 14),  # today (a later day is refused)
        reason="Verkeerde cliënt op de factuur",
        amount_excl=D(excl),
        vat=D(vat),
        amount_incl=D(incl),
    )


def test_a_fully_credited_invoice_no_longer_blocks_the_corrected_one(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
) -> None:
    """R-BILL-8, R-BILL-10: F-1 paid, then credited in full; F-2 for the same milestone is
    checked on its own (not held) and can be approved: the provider is paid once, net."""
    first = _paid_final(provider_user_a, code3_done, clerk)
    _credit(clerk, first, "1512.50", "1250.00", "262.50")
    web = WebClient()
    web.force_login(clerk)
    page = web.get(f"/facturen/{first.pk}/").content.decode()
    assert "Deze factuur is volledig gecrediteerd" in page
    again = submit(provider_user_a, code3_done, invoice_number="F-2")
    assert again.status == InvoiceStatus.CHECKED, again.reasons
    assert (again.verdict, again.duplicate_of_id) == ("green", None), again.reasons
    approved = services.invoice_approve(actor=clerk, invoice=again)
    assert approved.status == InvoiceStatus.APPROVED


def test_a_held_reinvoice_is_released_when_the_original_is_credited_in_full(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
) -> None:
    """R-BILL-10: the corrected invoice arrived before the credit note: it is held, and the
    full credit releases it (checked again at once), with its history saying why."""
    first = _paid_final(provider_user_a, code3_done, clerk)
    early = submit(provider_user_a, code3_done, invoice_number="F-2")
    assert early.status == InvoiceStatus.HELD
    _credit(clerk, first, "1512.50", "1250.00", "262.50")
    early.refresh_from_db()
    assert early.status == InvoiceStatus.CHECKED, early.reasons
    assert (early.verdict, early.duplicate_of_id) == ("green", None), early.reasons
    assert early.events.filter(action="recheck").exists()


def test_a_partial_credit_keeps_the_invoice_alive_for_its_claim(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
) -> None:
    """R-BILL-10: after a partial credit the original still pays the milestone; a second
    invoice for it is held as a duplicate, never paid twice."""
    first = _paid_final(provider_user_a, code3_done, clerk)
    _credit(clerk, first, "121.00", "100.00", "21.00")
    again = submit(provider_user_a, code3_done, invoice_number="F-2")
    assert again.status == InvoiceStatus.HELD
    assert again.duplicate_of_id == first.pk


def test_a_fully_credited_invoice_offers_no_further_credit_note(
    code3_done: Trajectory,
    provider_user_a: User,
    clerk: User,
) -> None:
    """R-BILL-8: credited in full, the invoice page (as the administration) says so and no
    longer offers "Creditnota vastleggen" (form nor its link); a further credit is refused by
    the service with the same rule's message. The form stayed on the page after a full credit."""
    first = _paid_final(provider_user_a, code3_done, clerk)
    web = WebClient()
    web.force_login(clerk)
    assert 'id="credit-note"' in web.get(f"/facturen/{first.pk}/").content.decode()
    _credit(clerk, first, "1512.50", "1250.00", "262.50")
    first.refresh_from_db()
    assert first.fully_credited and not first.may_take_credit_note
    page = web.get(f"/facturen/{first.pk}/").content.decode()
    assert "Deze factuur is volledig gecrediteerd" in page
    assert "Creditnota vastleggen" not in page
    assert 'id="credit-note"' not in page
    assert f"/facturen/{first.pk}/crediteren/" not in page
    with pytest.raises(services.InvoiceError, match="al volledig gecrediteerd"):
        services.credit_note_create(
            actor=clerk,
            invoice=first,
            number="C-2",
            credit_date=dt.date(2026, 8, 14),
            reason="Nog eens",
            amount_excl=D("1.00"),
            vat=D("0.21"),
            amount_incl=D("1.21"),
        )


@pytest.mark.parametrize(
    ("status", "fully_credited", "may"),
    [
        (InvoiceStatus.APPROVED, False, True),
        (InvoiceStatus.IN_BATCH, False, True),
        (InvoiceStatus.PAID, False, True),
        (InvoiceStatus.PAID, True, False),
        (InvoiceStatus.APPROVED, True, False),
        (InvoiceStatus.CHECKED, False, False),
        (InvoiceStatus.REJECTED, False, False),
    ],
)
def test_may_an_invoice_take_a_credit_note(
    status: InvoiceStatus, fully_credited: bool, may: bool
) -> None:
    """R-BILL-8: the one rule behind the page's form and the service's refusal."""
    assert (credit_note_refusal(status, fully_credited=fully_credited) is None) is may
    assert Invoice(status=status, fully_credited=fully_credited).may_take_credit_note is may
