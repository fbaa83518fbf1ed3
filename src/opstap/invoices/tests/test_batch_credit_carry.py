"""Credit notes in payment batches: a credit larger than what a batch pays the provider waits
for a later batch, so over all batches the bank pays invoices minus credit notes (R-BILL-8,
R-BILL-10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opstap.accounts.models import User
from opstap.invoices import services
from opstap.trajectories.models import Trajectory

from .conftest import submit

D = Decimal


@pytest.mark.django_db
def test_a_credit_larger_than_the_batch_is_carried_to_a_later_batch(
    code3_done: Trajectory, provider_user_a: User, case_manager: User, clerk: User
) -> None:
    """R-BILL-8 (totals always net credit notes), R-BILL-10: the first instalment (EUR
    1,512.50) was paid and then credited in full. The next batch held only the placement fee
    (EUR 605.00): the credit note went into that batch, the provider's net was negative, so
    nothing was transferred ("settled later"), but the credit note now belonged to a batch and
    no later batch took it: the final instalment was paid in full and the EUR 1,512.50 was
    never recovered. A credit note that outweighs what a batch pays the provider stays open
    for the next batch, and over all batches the bank pays invoices minus credit notes."""
    plan = submit(
        provider_user_a,
        code3_done,
        invoice_number="F-0",
        milestone="plan_approved",
        invoice_date=dt.date(2026, 5, 8),
    )
    services.invoice_approve(actor=clerk, invoice=plan)
    batches = [services.payment_batch_create(actor=clerk)]
    credit = services.credit_note_create(
        actor=clerk,
        invoice=plan,
        number="C-1",
        credit_date=dt.date(2026, 8, 12),
        reason="Plan nooit uitgevoerd",
        amount_excl=D("1250.00"),
        vat=D("262.50"),
        amount_incl=D("1512.50"),
    )
    fee = services.placement_fee_claim_submit(
        actor=provider_user_a,
        trajectory=code3_done,
        invoice_number="F-9",
        invoice_date=dt.date(2026, 8, 10),
        employer="Bakkerij Jansen",
        placement_start=dt.date(2026, 7, 1),
        hours_per_week=D("32"),
        contract_months=12,
        probation_end=dt.date(2026, 7, 31),
        contract=SimpleUploadedFile("c.pdf", b"%PDF-1.4 contract", "application/pdf"),
    )
    confirmed = services.invoice_confirm_substance(
        actor=case_manager, invoice=fee.invoice, reported_on_time=True
    )
    services.invoice_approve(actor=clerk, invoice=confirmed)
    batches.append(services.payment_batch_create(actor=clerk))
    credit.refresh_from_db()
    assert credit.payment_batch_id is None  # too large for this batch: still open
    final = submit(provider_user_a, code3_done)
    services.invoice_approve(actor=clerk, invoice=final)
    batches.append(services.payment_batch_create(actor=clerk))
    credit.refresh_from_db()
    assert credit.payment_batch_id == batches[2].pk
    plans = [services.batch_sepa_plan(batch) for batch in batches]
    transferred = sum((t.amount for p in plans for t in p.transfers), D(0))
    assert [o.amount for p in plans for o in p.offsets if o.amount < 0] == []
    # 1,512.50 + 605.00 + 1,512.50 invoiced, 1,512.50 credited.
    assert transferred == D("2117.50")
    assert sum((b.total_incl for b in batches), D(0)) == D("2117.50")
