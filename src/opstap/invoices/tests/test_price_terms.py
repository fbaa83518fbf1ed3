"""Issue 12, findings 2, 3 and 6: the payment rules read the trajectory's explicit price terms
(not a quote total taken for an hourly rate) and the client's own hour restriction (not what
the claimant typed); an empty quote cannot be submitted and a wrong one can be revised.

Everything is set up through the services; dates are explicit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.services import client_update
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.providers.models import Product, Provider
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Trajectory, TrajectoryEvent

from .conftest import ORDER_DAY, make_product

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 8, 14, 10, 0, tzinfo=dt.UTC)
#: A jobcoaching product at € 72.50 per hour (below the € 80 ceiling).
RATE = Decimal("72.50")


def step(actor: User, trajectory: Trajectory, action: str, on: dt.date, **kw: Any) -> Trajectory:
    return trajectory_services.trajectory_transition(
        actor=actor, trajectory=trajectory, action=action, on=on, **kw
    )


@pytest.fixture
def jobcoaching(contracted_a: Provider) -> Product:
    return make_product(contracted_a, 5, price=RATE, name="Jobcoaching")


@pytest.fixture
def quoted(
    jobcoaching: Product, client_k: Client, case_manager: User, provider_user_a: User
) -> Trajectory:
    """A jobcoaching order with an approved quote of 10 hours at € 72.50 (= € 725.00)."""
    trajectory = trajectory_services.trajectory_order(
        actor=case_manager,
        client=client_k,
        product=jobcoaching,
        rotonde_exit="regular",
        aim_tiles=["EW04"],
        on=ORDER_DAY,
    )
    step(
        provider_user_a,
        trajectory,
        "submit_quote",
        ORDER_DAY,
        reason="Jobcoaching nodig om het werk te behouden",
        payload={"amount": "725.00", "hourly_rate": "72.50", "hours": "10"},
    )
    step(case_manager, trajectory, "approve_quote", dt.date(2026, 4, 22))
    step(provider_user_a, trajectory, "plan_intake", dt.date(2026, 4, 22),
         payload={"intake_date": "2026-04-28"})  # fmt: skip
    step(provider_user_a, trajectory, "hold_intake", dt.date(2026, 4, 28),
         payload={"held_on": "2026-04-28"})  # fmt: skip
    return trajectory


def _invoice(actor: User, trajectory: Trajectory, **overrides: Any) -> Invoice:
    values: dict[str, Any] = {
        "actor": actor,
        "trajectory": trajectory,
        "invoice_number": "JC-1",
        "invoice_date": dt.date(2026, 8, 10),
        "client_number": trajectory.client.client_number,
        "client_surname": trajectory.client.last_name,
        "received_at": RECEIVED,
    }
    values.update(overrides)
    return services.invoice_submit(**values)


def test_jobcoaching_paid_at_the_agreed_rate_not_the_ceiling(
    quoted: Trajectory, provider_user_a: User, case_manager: User
) -> None:
    """R-BILL-7, R-BILL-1 (issue 12 finding 2): 10 jobcoaching hours on a € 72.50/h product
    are allowed € 725.00 (hours x agreed rate), not € 800.00 (the quote total read as an
    hourly rate and capped at the ceiling)."""
    trajectory = quoted
    step(provider_user_a, trajectory, "submit_plan", dt.date(2026, 5, 1))
    step(case_manager, trajectory, "approve_plan", dt.date(2026, 5, 4))
    step(provider_user_a, trajectory, "start", dt.date(2026, 5, 6),
         payload={"start_date": "2026-05-06"})  # fmt: skip
    invoice = _invoice(
        provider_user_a,
        trajectory,
        milestone="jobcoaching_quarter",
        period_start=dt.date(2026, 5, 6),
        period_end=dt.date(2026, 8, 5),
        logbook=[{"date": "2026-06-01", "hours": "6"}, {"date": "2026-07-01", "hours": "4"}],
        amount_excl=Decimal("725.00"),
        vat=Decimal("152.25"),
        amount_incl=Decimal("877.25"),
    )
    assert invoice.allowed_excl == Decimal("725.00")
    assert invoice.verdict == "green", invoice.reasons


def test_intake_fee_at_the_products_hourly_rate(quoted: Trajectory, provider_user_a: User) -> None:
    """R-BILL-4 (issue 12 finding 2): after a targeted intake without start at most 5 hours at
    the product's hourly rate: 5 x € 72.50 = € 362.50, not 5 x € 80 = € 400.00."""
    trajectory = step(
        provider_user_a,
        quoted,
        "not_started_after_intake",
        dt.date(2026, 7, 20),
        reason="Kandidaat ziet af van jobcoaching",
        payload={"end_date": "2026-07-20"},
    )
    step(provider_user_a, trajectory, "receive_final_report", dt.date(2026, 7, 21))
    invoice = _invoice(
        provider_user_a,
        trajectory,
        milestone="intake_fee",
        invoice_date=dt.date(2026, 7, 22),
        period_start=dt.date(2026, 4, 28),
        period_end=dt.date(2026, 4, 28),
        logbook=[{"date": "2026-04-28", "hours": "5"}],
        amount_excl=Decimal("362.50"),
        vat=Decimal("76.13"),
        amount_incl=Decimal("438.63"),
    )
    assert invoice.allowed_excl == Decimal("362.50")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({}, "Offerte"),  # no amount at all
        ({"amount": "725.00"}, "Offerte"),  # hourly product without rate and hours
        ({"amount": "725.00", "hourly_rate": "72.50", "hours": "10"}, ""),  # no text, no file
    ],
)
def test_empty_quote_is_refused(
    jobcoaching: Product,
    client_k: Client,
    case_manager: User,
    provider_user_a: User,
    payload: dict[str, str],
    reason: str,
) -> None:
    """R-TRJ-1, R-BILL-1 (issue 12 finding 6): a quote for a code that needs one carries an
    amount (for an hourly product also rate and hours) and a text or a document; an empty
    quote is refused, so it can never be approved."""
    trajectory = trajectory_services.trajectory_order(
        actor=case_manager, client=client_k, product=jobcoaching, rotonde_exit="regular",
        aim_tiles=["EW04"], on=ORDER_DAY,
    )  # fmt: skip
    with pytest.raises(trajectory_services.TrajectoryError) as info:
        step(provider_user_a, trajectory, "submit_quote", ORDER_DAY, reason=reason,
             payload=payload)  # fmt: skip
    assert info.value.field in {"amount", "hourly_rate", "hours", "text"}
    trajectory.refresh_from_db()
    assert trajectory.state == "ordered"


def test_wrong_approved_quote_is_revised_and_approved_again(
    quoted: Trajectory, provider_user_a: User, case_manager: User
) -> None:
    """R-TRJ-1, R-BILL-1 (issue 12 finding 6): a wrong approved quote is replaced by a revised
    quote that the case manager approves again; both stay in the history and the price terms
    follow the latest approved quote."""
    trajectory_services.quote_revise(
        actor=provider_user_a,
        trajectory=quoted,
        amount="1450.00",
        hourly_rate="72.50",
        hours="20",
        text="Herziening: 20 uur nodig",
        on=dt.date(2026, 5, 2),
    )
    quoted.refresh_from_db()
    assert quoted.agreed_hours == Decimal("10.00")  # unchanged until approved
    trajectory_services.quote_revision_approve(
        actor=case_manager, trajectory=quoted, on=dt.date(2026, 5, 3)
    )
    quoted.refresh_from_db()
    assert (quoted.price_basis, quoted.hourly_rate, quoted.agreed_hours, quoted.budget_cap) == (
        "hourly",
        Decimal("72.50"),
        Decimal("20.00"),
        Decimal("1450.00"),
    )
    assert list(quoted.quotes.values_list("version", "status")) == [
        (1, "superseded"),
        (2, "approved"),
    ]
    actions = list(
        TrajectoryEvent.objects.filter(trajectory=quoted)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions.count("submit_quote") == 1 and actions.count("approve_quote") == 1
    assert actions[-2:] == ["submit_revised_quote", "approve_revised_quote"]


def test_revised_quote_only_by_own_provider_and_approved_by_case_manager(
    quoted: Trajectory, provider_user_a: User, provider_user_b: User, case_manager: User
) -> None:
    """R-TRJ-1, R-SEC-1: another provider cannot revise; the provider cannot approve its own
    revision; without a pending revision there is nothing to approve."""
    with pytest.raises(trajectory_services.TrajectoryError):
        trajectory_services.quote_revise(
            actor=provider_user_b, trajectory=quoted, amount="10.00", text="x",
            hourly_rate="1.00", hours="10",
        )  # fmt: skip
    with pytest.raises(trajectory_services.TrajectoryError, match="geen herziene"):
        trajectory_services.quote_revision_approve(actor=case_manager, trajectory=quoted)
    trajectory_services.quote_revise(
        actor=provider_user_a, trajectory=quoted, amount="145.00", hourly_rate="72.50",
        hours="2", text="Minder uren",
    )  # fmt: skip
    with pytest.raises(trajectory_services.TrajectoryError):
        trajectory_services.quote_revision_approve(actor=provider_user_a, trajectory=quoted)


def _placement(
    actor: User, trajectory: Trajectory, *, hours: str, typed: str | None = None
) -> Invoice:
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = services.placement_fee_claim_submit(
        actor=actor,
        trajectory=trajectory,
        invoice_number="BF-1",
        invoice_date=dt.date(2026, 8, 10),
        employer="Bakkerij Jansen",
        placement_start=dt.date(2026, 7, 1),
        hours_per_week=Decimal(hours),
        contract_months=12,
        probation_end=dt.date(2026, 7, 31),
        client_hour_restriction=typed,
        contract=SimpleUploadedFile("c.pdf", b"%PDF-1.4 contract", "application/pdf"),
    )
    assert claim.invoice is not None
    return claim.invoice


@pytest.fixture
def code3_running(
    contracted_a: Provider, provider_user_a: User, client_k: Client, walk: Callable[..., Any]
) -> Trajectory:
    trajectory: Trajectory = walk(make_product(contracted_a, 3), provider_user_a, client_k)
    return trajectory


def test_placement_fee_ignores_the_typed_restriction(
    code3_running: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-6 (issue 12 finding 3): a client without an hour restriction needs at least
    24 hours a week; the restriction the claimant types (16) does not count."""
    invoice = _placement(provider_user_a, code3_running, hours="20", typed="16")
    assert invoice.verdict == "red"
    assert "plaatsing_te_weinig_uren" in [r["code"] for r in invoice.reasons]


def test_placement_fee_reads_the_restriction_valid_on_the_placement_date(
    code3_running: Trajectory, provider_user_a: User, case_manager: User, client_k: Client
) -> None:
    """R-BILL-6 (issue 12 finding 3): the client's record says 16 hours from 1 June 2026, so a
    placement of 20 hours on 1 July qualifies; a restriction recorded only after the
    placement date does not."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        client_update(actor=case_manager, client=client_k, hour_restriction=16)
    invoice = _placement(provider_user_a, code3_running, hours="20")
    assert invoice.verdict == "green", invoice.reasons


def test_placement_fee_restriction_recorded_after_the_placement_does_not_count(
    code3_running: Trajectory, provider_user_a: User, case_manager: User, client_k: Client
) -> None:
    """R-BILL-6 (issue 12 finding 3): valid on the placement date is a fact of the record: a
    restriction entered on 5 July does not apply to a placement that started on 1 July."""
    with time_machine.travel(dt.datetime(2026, 7, 5, 9, tzinfo=dt.UTC), tick=False):
        client_update(actor=case_manager, client=client_k, hour_restriction=16)
    invoice = _placement(provider_user_a, code3_running, hours="20")
    assert invoice.verdict == "red"
    assert "plaatsing_te_weinig_uren" in [r["code"] for r in invoice.reasons]


def test_open_invoice_is_checked_again_after_a_revised_quote(
    quoted: Trajectory, provider_user_a: User, case_manager: User
) -> None:
    """R-BILL-1, R-BILL-7, R-TRJ-1 (issue 12): an invoice for 20 hours on a quote of 10 hours
    is allowed only the agreed € 725.00; once the case manager approves a revised quote of
    20 hours, the still-open invoice is checked again on the new terms (€ 1.450,00) and its
    history says why. Both sides hear of the revision (hand-offs)."""
    from opstap.invoices.models import InvoiceEvent
    from opstap.notifications.models import Notification

    trajectory = quoted
    step(provider_user_a, trajectory, "submit_plan", dt.date(2026, 5, 1))
    step(case_manager, trajectory, "approve_plan", dt.date(2026, 5, 4))
    step(provider_user_a, trajectory, "start", dt.date(2026, 5, 6),
         payload={"start_date": "2026-05-06"})  # fmt: skip
    invoice = _invoice(
        provider_user_a,
        trajectory,
        milestone="jobcoaching_quarter",
        period_start=dt.date(2026, 5, 6),
        period_end=dt.date(2026, 8, 5),
        logbook=[{"date": "2026-06-01", "hours": "12"}, {"date": "2026-07-01", "hours": "8"}],
        amount_excl=Decimal("1450.00"),
        vat=Decimal("304.50"),
        amount_incl=Decimal("1754.50"),
    )
    assert invoice.allowed_excl == Decimal("725.00")
    assert invoice.verdict != "green"

    trajectory_services.quote_revise(
        actor=provider_user_a, trajectory=trajectory, amount="1450.00", hourly_rate="72.50",
        hours="20", text="Herziening: 20 uur nodig", on=dt.date(2026, 8, 15),
    )  # fmt: skip
    assert Notification.objects.filter(
        recipient=case_manager, title__startswith="Herziene offerte ontvangen"
    ).exists()
    invoice.refresh_from_db()
    assert invoice.allowed_excl == Decimal("725.00"), "a revision alone changes nothing"

    trajectory_services.quote_revision_approve(
        actor=case_manager, trajectory=trajectory, on=dt.date(2026, 8, 16)
    )
    invoice.refresh_from_db()
    assert invoice.allowed_excl == Decimal("1450.00")
    assert invoice.verdict == "green", invoice.reasons
    recheck = InvoiceEvent.objects.filter(invoice=invoice, action="recheck").get()
    assert recheck.actor is None and "prijsafspraak" in recheck.reason
    assert Notification.objects.filter(
        recipient=provider_user_a, title__startswith="Herziene offerte goedgekeurd"
    ).exists()


def test_decided_invoice_is_not_checked_again_after_a_revised_quote(
    quoted: Trajectory, provider_user_a: User, case_manager: User, clerk: User
) -> None:
    """R-BILL-1: an invoice already rejected keeps its verdict and amount; new terms act only
    on invoices still waiting for a decision."""
    trajectory = quoted
    step(provider_user_a, trajectory, "submit_plan", dt.date(2026, 5, 1))
    step(case_manager, trajectory, "approve_plan", dt.date(2026, 5, 4))
    step(provider_user_a, trajectory, "start", dt.date(2026, 5, 6),
         payload={"start_date": "2026-05-06"})  # fmt: skip
    invoice = _invoice(
        provider_user_a,
        trajectory,
        milestone="jobcoaching_quarter",
        period_start=dt.date(2026, 5, 6),
        period_end=dt.date(2026, 8, 5),
        logbook=[{"date": "2026-06-01", "hours": "20"}],
        amount_excl=Decimal("1450.00"),
        vat=Decimal("304.50"),
        amount_incl=Decimal("1754.50"),
    )
    services.invoice_reject(actor=clerk, invoice=invoice, reason="Te veel uren")
    trajectory_services.quote_revise(
        actor=provider_user_a, trajectory=trajectory, amount="1450.00", hourly_rate="72.50",
        hours="20", text="Herziening", on=dt.date(2026, 8, 15),
    )  # fmt: skip
    trajectory_services.quote_revision_approve(
        actor=case_manager, trajectory=trajectory, on=dt.date(2026, 8, 16)
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.allowed_excl) == ("rejected", Decimal("725.00"))
