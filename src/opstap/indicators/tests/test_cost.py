"""Average cost per successful outcome from paid invoices, credit notes netted (R-PI-1,
R-BILL-8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.indicators import selectors
from opstap.indicators.computation import Period
from opstap.invoices import services as invoice_services
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def test_cost_per_success_uses_paid_invoices_of_the_ended_cohort(
    running: Callable[..., Trajectory],
    product3: Product,
    product3_b: Product,
    make_user: Callable[..., User],
    case_manager: User,
    provider_user_a: User,
    contract_manager: User,
) -> None:
    """R-PI-1: net paid cost of the started trajectories that ended in the period, divided
    by those ending in work or werkfit; an unpaid invoice does not count."""
    clerk = make_user(RoleCode.FINANCE_CLERK)
    success, failure = running(product3), running(product3)
    running(product3_b)  # provider B: never in A's cost
    for number, trajectory in (("F-1", success), ("F-2", failure)):
        invoice = invoice_services.invoice_submit(
            actor=provider_user_a,
            trajectory=trajectory,
            invoice_number=number,
            invoice_date=dt.date(2026, 1, 27),
            milestone="plan_approved",
            amount_excl=Decimal("1250.00"),
            vat=Decimal("262.50"),
            amount_incl=Decimal("1512.50"),
            client_number=trajectory.client.client_number,
            client_surname=trajectory.client.last_name,
            period_start=dt.date(2026, 1, 26),
            period_end=dt.date(2026, 1, 26),
            received_at=dt.datetime(2026, 1, 27, 10, 0, tzinfo=dt.UTC),
        )
        assert invoice.verdict == "green", invoice.reasons
        invoice_services.invoice_approve(actor=clerk, invoice=invoice)
    batch = invoice_services.payment_batch_create(actor=clerk)
    invoice_services.payment_batch_export(actor=clerk, batch=batch)
    invoice_services.payment_batch_mark_paid(actor=clerk, batch=batch, paid_on=dt.date(2026, 2, 1))
    for trajectory in (success, failure):
        services.trajectory_transition(
            actor=provider_user_a,
            trajectory=trajectory,
            action="complete",
            payload={"end_date": "2026-06-30"},
            on=dt.date(2026, 6, 30),
        )
    services.outcome_record(actor=case_manager, trajectory=success, werkfit=True)
    row = selectors.provider_indicators(
        contract_manager,
        product3.provider,
        period=Period(dt.date(2026, 1, 1), dt.date(2026, 10, 31)),
        today=dt.date(2026, 11, 1),
    )
    assert (row.facts.cost_paid, row.facts.invoices_paid) == (Decimal("2500.00"), 2)
    assert row.facts.successful == 1
    assert row.result("cost_per_success").value == Decimal("2500.00")
    assert row.result("cost_per_success").display == "€ 2.500,00"
