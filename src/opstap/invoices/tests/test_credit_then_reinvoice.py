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
from opstap.invoices.workflow import InvoiceStatus
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
    services.payment_batch_mark_paid(actor=clerk, batch=batch, paid_on=dt.date(2026, 8, 20))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    return invoice


def _credit(clerk: User, invoice: Invoice, incl: str, excl: str, vat: str) -> None:
    services.credit_note_create(
        actor=clerk,
        invoice=invoice,
        number=f"C-{invoice.invoice_number}",
        credit_date=dt.date(2026, 8, 24),
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
