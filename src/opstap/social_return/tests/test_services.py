"""Social return services and the monitor (R-NET-10): the obligation moves with approved
invoices and is fixed when the year closes; the plan of approach with its history; realised
blocks (external person, our client, a placement pre-filled); verification; the validity
spread and the youth rule as the monitor shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.errors import WorkflowError
from opstap.invoices import services as invoice_services
from opstap.invoices.models import Invoice
from opstap.providers.models import Contract, Provider
from opstap.social_return import selectors, services
from opstap.social_return.models import SocialReturnEvent, YearObligation
from opstap.social_return.services import PlannedInput, SocialReturnError
from opstap.trajectories.models import Trajectory

from .conftest import TODAY, pdf, submit

pytestmark = pytest.mark.django_db
D = Decimal


def _monitor(user: User, provider: Provider, on: dt.date = TODAY) -> selectors.ProviderMonitor:
    return selectors.provider_monitor(user=user, provider=provider, on=on)


def test_obligation_moves_with_approved_invoices(
    placed: Trajectory, provider_user_a: User, clerk: User, coordinator: User
) -> None:
    """R-NET-10: only approved invoices count; 5% of 65,000 above 50,000 is 3,250."""
    invoice = submit(
        provider_user_a,
        placed,
        amount_excl=D("65000.00"),
        vat=D("13650.00"),
        amount_incl=D("78650.00"),
    )
    provider = placed.provider
    assert _monitor(coordinator, provider).year(2026).obligation == D("0.00")  # type: ignore[union-attr]
    invoice_services.invoice_approve(actor=clerk, invoice=invoice)
    row = _monitor(coordinator, provider).year(2026)
    assert row is not None and (row.volume, row.obligation) == (D("65000.00"), D("3250.00"))
    invoice_services.credit_note_create(
        actor=clerk,
        invoice=invoice,
        number="C-1",
        credit_date=dt.date(2026, 8, 12),
        reason="Correctie",
        amount_excl=D("20000.00"),
        vat=D("4200.00"),
        amount_incl=D("24200.00"),
    )
    row = _monitor(coordinator, provider).year(2026)
    assert row is not None and (row.volume, row.obligation) == (D("45000.00"), D("0.00"))


def test_percentage_and_threshold_per_contract(
    approved_a: Invoice, contract_a: Contract, coordinator: User
) -> None:
    services.agreement_set(
        actor=coordinator,
        contract=contract_a,
        awarded_on=dt.date(2026, 1, 15),
        percentage=D("3"),
        threshold=D("60000"),
    )
    row = _monitor(coordinator, contract_a.provider).year(2026)
    assert row is not None and row.obligation == D("1950.00")


def test_year_close_fixes_the_obligation(
    approved_a: Invoice, coordinator: User, clerk: User, provider_user_a: User
) -> None:
    """R-NET-10: the final obligation is fixed when the year closes; not before it ends."""
    with pytest.raises(SocialReturnError) as exc:
        services.year_close(actor=coordinator, year=2026, on=TODAY)
    assert exc.value.field == "year"
    services.year_close(actor=coordinator, year=2026, on=dt.date(2027, 1, 5))
    fixed = YearObligation.objects.get(provider=approved_a.provider, year=2026)
    assert fixed.obligation == D("3250.00")
    invoice_services.credit_note_create(
        actor=clerk,
        invoice=approved_a,
        number="C-2",
        credit_date=dt.date(2026, 8, 13),
        reason="Correctie",
        amount_excl=D("30000.00"),
        vat=D("6300.00"),
        amount_incl=D("36300.00"),
    )
    row = _monitor(coordinator, approved_a.provider).year(2026)
    assert row is not None and row.closed and row.obligation == D("3250.00")
    with pytest.raises(services.SocialReturnConflict):
        services.year_close(actor=coordinator, year=2026, on=dt.date(2027, 1, 6))
    with pytest.raises(SocialReturnError):
        services.year_close(actor=provider_user_a, year=2025, on=TODAY)


def _plan(user: User, provider: Provider) -> services.SocialReturnPlan:  # type: ignore[name-defined]
    return services.plan_submit(
        actor=user,
        provider=provider,
        text="Twee plaatsingen uit de Participatiewet en jobcoaching.",
        planned=[
            PlannedInput("pw_24_plus", 2026, 1),
            PlannedInput("jobcoaching", 2027, 2, D("8000")),
        ],
        document=pdf("plan.pdf"),
        on=TODAY,
    )


def test_plan_returned_then_approved_keeps_history(
    contracted_a: Provider, provider_user_a: User, coordinator: User, contract_manager: User
) -> None:
    """Annex 'Social Return': the coordinator approves or returns with remarks; versions stay."""
    first = _plan(provider_user_a, contracted_a)
    assert first.version == 1 and first.planned_blocks.count() == 2
    with pytest.raises(services.SocialReturnConflict):
        _plan(provider_user_a, contracted_a)  # one plan under assessment at a time
    with pytest.raises(SocialReturnError) as exc:
        services.plan_decide(actor=coordinator, plan=first, action="return")
    assert exc.value.field == "remarks"
    with pytest.raises(SocialReturnError):  # the contract manager does not hold the role
        services.plan_decide(actor=contract_manager, plan=first, action="approve")
    services.plan_decide(actor=coordinator, plan=first, action="return", remarks="Te vaag.")
    with pytest.raises(WorkflowError):
        services.plan_decide(actor=coordinator, plan=first, action="approve")
    second = _plan(provider_user_a, contracted_a)
    services.plan_decide(actor=coordinator, plan=second, action="approve")
    monitor = _monitor(coordinator, contracted_a)
    assert monitor.plan_approved is not None and monitor.plan_approved.version == 2
    assert monitor.year(2026).planned == D("50000.00")  # type: ignore[union-attr]
    assert monitor.year(2027).planned == D("8000.00")  # type: ignore[union-attr]
    actions = list(
        SocialReturnEvent.objects.filter(provider=contracted_a).values_list("action", flat=True)
    )
    assert actions == ["plan_submitted", "plan_return", "plan_submitted", "plan_approve"]


def test_contract_manager_who_is_also_coordinator_may_decide(
    contracted_a: Provider, provider_user_a: User, make_user: object
) -> None:
    from opstap.core.roles import RoleCode

    both = make_user(RoleCode.CONTRACT_MANAGER, RoleCode.SOCIAL_RETURN_COORDINATOR)  # type: ignore[operator]
    plan = _plan(provider_user_a, contracted_a)
    assert services.plan_decide(actor=both, plan=plan, action="approve").state == "approved"


def test_register_external_person_and_verify(
    approved_a: Invoice, provider_user_a: User, coordinator: User
) -> None:
    """R-NET-10: a 12-month half-time Participatiewet contract from 1 July 2026 is worth
    25,000, spread over its 4 years of validity: 3,125 in 2026."""
    provider = approved_a.provider
    block = services.block_register(
        actor=provider_user_a,
        provider=provider,
        block_code="pw_24_plus",
        start_date=dt.date(2026, 7, 1),
        hours_per_week=D("18"),
        contract_months=12,
        external_person="J. de Vries",
        on=TODAY,
    )
    assert (block.value, block.validity_months) == (D("25000.00"), 48)
    monitor = _monitor(coordinator, provider)
    row = monitor.year(2026)
    assert row is not None and (row.realised, row.verified) == (D("3125.00"), D("0.00"))
    assert monitor.spread[block.pk][2030] == D("3125.00")
    with pytest.raises(SocialReturnError) as exc:
        services.block_verify(actor=coordinator, block=block, approve=True)
    assert exc.value.field == "evidence"
    services.block_evidence_add(actor=provider_user_a, block=block, evidence=pdf())
    services.block_verify(actor=coordinator, block=block, approve=True)
    row = _monitor(coordinator, provider).year(2026)
    assert row is not None and row.verified == D("3125.00")
    with pytest.raises(services.SocialReturnConflict):
        services.block_evidence_add(actor=provider_user_a, block=block, evidence=pdf())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": dt.date(2026, 8, 15)}, "start_date"),  # not in the future
        ({"contract_months": 5}, "contract_months"),  # at least 6 months
        ({"block_code": "onbekend"}, "block_code"),
        ({"external_person": ""}, "external_person"),
        ({"hours_per_week": D("0")}, "hours"),
    ],
)
def test_register_refusals(
    contracted_a: Provider, provider_user_a: User, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {
        "actor": provider_user_a,
        "provider": contracted_a,
        "block_code": "pw_24_plus",
        "start_date": dt.date(2026, 7, 1),
        "hours_per_week": D("36"),
        "contract_months": 12,
        "external_person": "J. de Vries",
        "on": TODAY,
    }
    values.update(changes)
    with pytest.raises(SocialReturnError) as exc:
        services.block_register(**values)  # type: ignore[arg-type]
    assert exc.value.field == field


def test_provider_cannot_register_for_another_provider(
    contracted_a: Provider, contracted_b: Provider, provider_user_b: User
) -> None:
    with pytest.raises(SocialReturnError) as exc:
        services.block_register(
            actor=provider_user_b,
            provider=contracted_a,
            block_code="training",
            start_date=dt.date(2026, 7, 1),
            external_person="A. Jansen",
            on=TODAY,
        )
    assert exc.value.code == "not_found"


def test_placement_is_offered_prefilled(
    placed: Trajectory, provider_user_a: User, case_manager: User, coordinator: User
) -> None:
    """A placement of our client by this provider becomes a block with the recorded facts."""
    from opstap.trajectories import services as trajectory_services

    trajectory_services.outcome_record(
        actor=case_manager,
        trajectory=placed,
        employer="Bouwbedrijf Duiven",
        placement_start=dt.date(2026, 8, 4),
        hours_per_week=D("24"),
        contract_months=12,
    )
    offered = list(
        selectors.offered_placements(user=provider_user_a, provider_id=placed.provider_id)
    )
    assert len(offered) == 1
    outcome = offered[0]
    block = services.block_register_from_placement(
        actor=provider_user_a, outcome=outcome, block_code="pw_24_plus", on=TODAY
    )
    assert block.client_id == placed.client_id
    assert (block.start_date, block.hours_per_week, block.contract_months) == (
        outcome.placement_start,
        outcome.hours_per_week,
        outcome.contract_months,
    )
    assert (
        list(selectors.offered_placements(user=provider_user_a, provider_id=placed.provider_id))
        == []
    )
    with pytest.raises(services.SocialReturnConflict):
        services.block_register_from_placement(
            actor=provider_user_a, outcome=outcome, block_code="pw_24_plus", on=TODAY
        )
    # The coordinator sees the block, but not who the client is (not in their clients scope).
    visible = selectors.visible_client_ids(coordinator, [block.client_id])  # type: ignore[list-item]
    assert selectors.person_label(block, visible) == "Klant van de sociale dienst (afgeschermd)"
    assert AuditRecord.objects.filter(
        object_type="realised_block", client_id=placed.client_id
    ).exists()


def test_youth_block_counts_only_with_support(
    approved_a: Invoice, provider_user_a: User, coordinator: User
) -> None:
    """R-NET-10: a youth block alone adds nothing; with jobcoaching for the same person it does."""
    provider = approved_a.provider
    common = {"actor": provider_user_a, "provider": provider, "on": TODAY}
    services.block_register(
        **common,  # type: ignore[arg-type]
        block_code="youth_pro_vso",
        start_date=dt.date(2026, 1, 1),
        hours_per_week=D("36"),
        contract_months=12,
        external_person="K. Bakker",
    )
    assert _monitor(coordinator, provider).year(2026).realised == D("0.00")  # type: ignore[union-attr]
    services.block_register(
        **common,  # type: ignore[arg-type]
        block_code="jobcoaching",
        start_date=dt.date(2026, 1, 1),
        external_person="k.  bakker",
    )
    # youth 25,000 over 24 months (12,500 in 2026) + jobcoaching 5,000 over 24 months (2,500)
    assert _monitor(coordinator, provider).year(2026).realised == D("15000.00")  # type: ignore[union-attr]


def test_signals_behind_no_plan_and_evidence(
    approved_a: Invoice, contract_a: Contract, provider_user_a: User, coordinator: User
) -> None:
    """Signals: no plan 3 months after award, behind the time-proportional norm, a contract
    (evidence) ending within 30 days."""
    services.agreement_set(actor=coordinator, contract=contract_a, awarded_on=dt.date(2026, 4, 1))
    kinds = {s.kind for s in selectors.coordinator_signals(user=coordinator, on=TODAY)}
    assert kinds == {"no_plan", "behind"}
    _plan(provider_user_a, contract_a.provider)
    services.block_register(
        actor=provider_user_a,
        provider=contract_a.provider,
        block_code="pw_0_12",
        start_date=dt.date(2026, 3, 1),
        hours_per_week=D("36"),
        contract_months=6,
        external_person="P. Smit",
        on=TODAY,
    )  # 15,000 over 12 months, 10 in 2026: 12,500; contract ends 1 September 2026
    signals = selectors.coordinator_signals(user=coordinator, on=TODAY)
    assert [s.kind for s in signals] == ["evidence"]
    assert "01-09-2026" in signals[0].text
    assert selectors.coordinator_signals(user=coordinator, on=dt.date(2026, 7, 1)) == []
