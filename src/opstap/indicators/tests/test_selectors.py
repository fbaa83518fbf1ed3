"""The facts behind the indicators come from real rows, counted per provider and per product
with grouped SQL (R-PI-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from opstap.accounts.models import User
from opstap.indicators import selectors
from opstap.indicators.computation import Period, Status
from opstap.indicators.services import quarterly_overview_record
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.trajectories import services
from opstap.trajectories.models import Deadline, Trajectory

from .conftest import PERIOD_END, PERIOD_START, TODAY

pytestmark = pytest.mark.django_db

PERIOD = Period(PERIOD_START, PERIOD_END)


def _row(user: User, provider: Provider) -> selectors.Row:
    return selectors.provider_indicators(user, provider, period=PERIOD, today=TODAY)


def _first_progress_deadline(trajectory: Trajectory) -> Deadline:
    return Deadline.objects.filter(trajectory=trajectory, kind="progress_report").order_by(
        "due_on"
    )[0]


def _report(trajectory: Trajectory, actor: User, on: dt.date) -> None:
    services.trajectory_document_submit(
        actor=actor, trajectory=trajectory, kind="progress_report", title="Voortgang", on=on
    )


def test_an_unsigned_plan_lowers_indicator_1(
    running: Callable[..., Trajectory], product3: Product, contract_manager: User
) -> None:
    """R-PI-1 item 1: a plan without the candidate's signature (or without result
    agreements) does not count."""
    running(product3, signed=True)
    running(product3, signed=False)
    running(product3, signed=True, agreements=False)
    row = _row(contract_manager, product3.provider)
    assert (row.facts.plans_approved, row.facts.plans_signed) == (3, 1)
    result = row.result("plan_signed")
    assert result.display == "33,3%"
    assert result.status == Status.NOT_MET


def test_a_late_progress_report_lowers_indicator_2(
    running: Callable[..., Trajectory],
    product3: Product,
    contract_manager: User,
    provider_user_a: User,
) -> None:
    """R-PI-1 item 2: a progress report delivered after its due date, or not at all, is not
    'as agreed'."""
    on_time, late, missing = running(product3), running(product3), running(product3)
    due = _first_progress_deadline(on_time).due_on
    _report(on_time, provider_user_a, due)
    _report(late, provider_user_a, due + dt.timedelta(days=3))
    row = _row(contract_manager, product3.provider)
    # Each running code-3 trajectory has progress reports due every 3 months in the period;
    # only the first of `on_time` and nothing else was met on time.
    per_trajectory = Deadline.objects.filter(
        trajectory=missing, kind="progress_report", due_on__lte=PERIOD_END
    ).count()
    assert per_trajectory >= 2
    assert row.facts.progress_reports_due == 3 * per_trajectory
    assert row.facts.progress_reports_on_time == 1
    assert row.result("progress_reports").status == Status.NOT_MET


def test_provider_b_never_counts_for_provider_a(
    running: Callable[..., Trajectory],
    product3: Product,
    product3_b: Product,
    contract_manager: User,
    provider_user_b: User,
) -> None:
    """R-PI-1, R-SEC-1: facts are counted per provider; B's trajectories, reports and
    evidence never change A's indicators."""
    running(product3, signed=True)
    before = _row(contract_manager, product3.provider)
    for _ in range(3):
        trajectory = running(product3_b, signed=False)
        _report(trajectory, provider_user_b, _first_progress_deadline(trajectory).due_on)
    provider_services.evidence_register(
        actor=contract_manager,
        provider=product3_b.provider,
        kind="complaints",
        valid_from=dt.date(2025, 1, 1),
        valid_until=None,
    )
    after = _row(contract_manager, product3.provider)
    assert after.facts == before.facts
    b = _row(contract_manager, product3_b.provider)
    assert (b.facts.plans_approved, b.facts.plans_signed) == (3, 0)
    assert b.facts.progress_reports_on_time == 3
    assert b.facts.complaints_procedure is True
    assert after.facts.complaints_procedure is False
    comparison = selectors.provider_comparison(contract_manager, period=PERIOD, today=TODAY)
    assert [r.name for r in comparison.rows] == ["Stichting Ontplooi", "Werkkracht Liemers B.V."]
    assert comparison.total is not None
    assert comparison.total.facts.plans_approved == 4
    assert comparison.total.result("complaints_procedure").display == "50,0%"


def test_terms_and_outcomes(
    running: Callable[..., Trajectory],
    product3: Product,
    contract_manager: User,
    case_manager: User,
    provider_user_a: User,
) -> None:
    """R-PI-1 item 3 and outcomes: ended within the planned end date; placements and werkfit
    over the started trajectories that ended in the period."""
    within, beyond, still_running = running(product3), running(product3), running(product3)
    assert within.planned_end_date is not None
    services.trajectory_transition(
        actor=provider_user_a,
        trajectory=within,
        action="complete",
        payload={"end_date": "2026-06-30"},
        on=dt.date(2026, 6, 30),
    )
    services.trajectory_transition(
        actor=provider_user_a,
        trajectory=beyond,
        action="complete",
        payload={"end_date": (within.planned_end_date + dt.timedelta(days=10)).isoformat()},
        on=within.planned_end_date + dt.timedelta(days=10),
    )
    services.outcome_record(
        actor=case_manager,
        trajectory=within,
        werkfit=True,
        employer="Bouwbedrijf Duiven",
        placement_start="2026-07-01",
        contract_type="fixed",
        hours_per_week="32",
        contract_months=12,
    )
    services.outcome_record(actor=case_manager, trajectory=beyond, werkfit=False)
    row = _row(contract_manager, product3.provider)
    assert (row.facts.ended_with_term, row.facts.ended_within_term) == (2, 1)
    assert row.result("within_term").display == "50,0%"
    assert row.result("within_term").status == Status.NOT_MET
    assert (row.facts.ended, row.facts.in_work, row.facts.werkfit) == (2, 1, 1)
    assert row.result("work").display == "50,0%"
    # the placement started on 1 July: durability not yet decided on 1 November
    assert row.result("durable").status == Status.NO_DATA
    # successes but no paid invoice yet: no data, not EUR 0,00
    assert row.result("cost_per_success").status == Status.NO_DATA
    assert still_running.actual_end_date is None  # not in the ended cohort


def test_provider_wide_facts(
    running: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    contract_manager: User,
) -> None:
    """R-PI-1 items 4-7: evaluations held with improvement actions, staff with a valid VOG,
    a complaints procedure, and the quarterly overviews received."""
    provider = product3.provider
    running(product3)  # a candidate from January: Q1-Q3 2026 need an overview
    # item 5: one of two known staff has a VOG valid on the last day; an expired one fails
    provider_services.evidence_register(
        actor=contract_manager,
        provider=provider,
        kind="vog",
        staff_name=f"  {provider_user_a.first_name} {provider_user_a.last_name.upper()} ",
        valid_from=dt.date(2025, 1, 1),
        valid_until=None,
    )
    provider_services.evidence_register(
        actor=contract_manager,
        provider=provider,
        kind="vog",
        staff_name="Piet Verlopen",
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2026, 5, 1),
    )
    # item 4: an evaluation that was held with improvement actions
    evaluation = provider_services.evaluation_open(
        actor=contract_manager, provider=provider, reason="Drie signalen", on=dt.date(2026, 3, 1)
    )
    provider_services.evaluation_record(
        actor=contract_manager,
        evaluation=evaluation,
        held_on=dt.date(2026, 3, 15),
        report="Gesprek gevoerd.",
        improvement_actions="Rapportages op tijd.",
    )
    # item 7: three quarters ended in the period (Q1-Q3 2026); two overviews received
    for quarter in (1, 3):
        quarterly_overview_record(
            actor=contract_manager,
            provider=provider,
            year=2026,
            quarter=quarter,
            received_on=dt.date(2026, quarter * 3 + 1, 10),
        )
    row = _row(contract_manager, provider)
    assert (row.facts.staff, row.facts.staff_with_vog) == (2, 1)
    assert (row.facts.evaluations, row.facts.evaluations_cooperated) == (1, 1)
    assert row.facts.complaints_procedure is False
    assert (row.facts.quarters_due, row.facts.quarterly_overviews) == (3, 2)
    assert row.result("vog").display == "50,0%"
    assert row.result("evaluations").status == Status.MET
    assert row.result("complaints_procedure").status == Status.NOT_MET
    assert row.result("quarterly_overviews").display == "66,7%"


def test_products_split_the_provider(
    running: Callable[..., Trajectory],
    product3: Product,
    make_product: Callable[..., Product],
    contract_manager: User,
) -> None:
    """R-PI-1: per product; provider-wide items are 'per aanbieder' at product level."""
    other = make_product(product3.provider, 3, name="Jobfinding extra")
    running(product3, signed=True)
    running(other, signed=False)
    rows = {
        r.name: r
        for r in selectors.product_rows(
            contract_manager, product3.provider, period=PERIOD, today=TODAY
        )
    }
    assert rows[product3.name].result("plan_signed").display == "100,0%"
    assert rows["Jobfinding extra"].result("plan_signed").display == "0,0%"
    assert rows["Jobfinding extra"].result("vog").status == Status.NOT_APPLICABLE
    single = selectors.product_indicators(contract_manager, other, period=PERIOD, today=TODAY)
    assert single.facts == rows["Jobfinding extra"].facts


def test_no_trajectories_means_no_data(contracted_a: Provider, contract_manager: User) -> None:
    """R-PI-1: a provider without trajectories shows 'geen gegevens', never 0% or 100%."""
    row = _row(contract_manager, contracted_a)
    for code in ("plan_signed", "progress_reports", "within_term", "work", "lead_times"):
        assert row.result(code).status == Status.NO_DATA
        assert row.result(code).display == "geen gegevens"


def test_quarters_without_candidates_need_no_overview(
    running: Callable[..., Trajectory], product3: Product, contract_manager: User
) -> None:
    """R-PI-1 item 7: an overview is due only for quarters in which the provider had a
    candidate; a provider without trajectories has no data, not 0%."""
    empty = _row(contract_manager, product3.provider)
    assert (empty.facts.quarters_due, empty.result("quarterly_overviews").status) == (
        0,
        Status.NO_DATA,
    )
    running(product3)  # ordered 6 January 2026, still running
    row = selectors.provider_indicators(
        contract_manager,
        product3.provider,
        period=Period(dt.date(2025, 1, 1), dt.date(2026, 10, 31)),
        today=TODAY,
    )
    # 2025 had no candidate; Q1-Q3 2026 did.
    assert row.facts.quarters_due == 3


def test_a_report_missing_when_the_trajectory_ended_counts_as_missed(
    running: Callable[..., Trajectory],
    product3: Product,
    contract_manager: User,
    provider_user_a: User,
) -> None:
    """R-PI-1 item 2: a progress report due before the trajectory ended and never delivered
    is missed; due dates after the end were cancelled in time and do not count."""
    trajectory = running(product3)
    first_due = _first_progress_deadline(trajectory).due_on
    end = first_due + dt.timedelta(days=20)
    services.trajectory_transition(
        actor=provider_user_a,
        trajectory=trajectory,
        action="terminate_early",
        reason="Verhuisd",
        payload={"end_date": end.isoformat()},
        on=end,
    )
    row = _row(contract_manager, product3.provider)
    assert (row.facts.progress_reports_due, row.facts.progress_reports_on_time) == (1, 0)


def test_the_comparison_has_the_providers_of_the_scope(
    running: Callable[..., Trajectory],
    product3: Product,
    product3_b: Product,
    contract_manager: User,
    provider_user_b: User,
    case_manager: User,
) -> None:
    """Issue 18: the comparison reads three values of each provider instead of model rows
    with their product count; it has the providers `visible_providers` gives (the provider
    scope, R-SEC-1: provider staff their own only), in its order, also when asked for some."""
    running(product3, signed=True)
    running(product3_b, signed=False)
    for user in (contract_manager, provider_user_b, case_manager):
        visible = [(p.pk, p.name) for p in selectors.visible_providers(user)]
        comparison = selectors.provider_comparison(user, period=PERIOD, today=TODAY)
        assert [(r.id, r.name) for r in comparison.rows] == visible, user.username
        assert all(r.provider_id == r.id and r.provider_name == r.name for r in comparison.rows)
        for asked in ([product3.provider_id], [product3_b.provider_id], []):
            some = selectors.provider_comparison(
                user, period=PERIOD, today=TODAY, provider_ids=asked
            )
            assert [(r.id, r.name) for r in some.rows] == [v for v in visible if v[0] in asked]
    assert [
        r.name
        for r in selectors.provider_comparison(provider_user_b, period=PERIOD, today=TODAY).rows
    ] == [product3_b.provider.name]
