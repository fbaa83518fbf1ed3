"""The pure indicator computation (R-PI-1): shares, targets, zero denominators, money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opstap.indicators.computation import (
    INDICATORS,
    IndicatorFacts,
    Period,
    PeriodError,
    Status,
    compute,
    quarters_due,
    share,
)


def _by_code(facts: IndicatorFacts, **kwargs: object) -> dict[str, object]:
    return {r.code: r for r in compute(facts, **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (0, 0, None),  # nothing to measure: no data, never 0% or 100%
        (0, 4, Decimal("0.0")),
        (4, 4, Decimal("100.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),  # half-up
        (1, 8, Decimal("12.5")),
        (999, 1000, Decimal("99.9")),
        (9999, 10000, Decimal("100.0")),  # rounds to 100.0 in display; see the target test
    ],
)
def test_share(numerator: int, denominator: int, expected: Decimal | None) -> None:
    """R-PI-1: shares are percentages with one decimal; a zero denominator is no data."""
    assert share(numerator, denominator) == expected


@pytest.mark.parametrize(("numerator", "denominator"), [(5, 4), (-1, 3), (0, -1)])
def test_share_refuses_impossible_counts(numerator: int, denominator: int) -> None:
    with pytest.raises(ValueError, match="Ongeldige telling"):
        share(numerator, denominator)


# (indicator, facts, expected status, expected display) — one row per rule of R-PI-1.
CASES = [
    # 1. signed plans, target 100%
    ("plan_signed", IndicatorFacts(plans_approved=4, plans_signed=4), Status.MET, "100,0%"),
    ("plan_signed", IndicatorFacts(plans_approved=4, plans_signed=3), Status.NOT_MET, "75,0%"),
    ("plan_signed", IndicatorFacts(), Status.NO_DATA, "geen gegevens"),
    # 99.99% shows as 100,0% but does not meet a 100% target: compared exactly.
    (
        "plan_signed",
        IndicatorFacts(plans_approved=10000, plans_signed=9999),
        Status.NOT_MET,
        "100,0%",
    ),
    # 2. progress reports on time, target 100%
    (
        "progress_reports",
        IndicatorFacts(progress_reports_due=3, progress_reports_on_time=2),
        Status.NOT_MET,
        "66,7%",
    ),
    ("progress_reports", IndicatorFacts(), Status.NO_DATA, "geen gegevens"),
    # 3. within the agreed term, target 80%: exactly 80% meets it
    (
        "within_term",
        IndicatorFacts(ended_with_term=5, ended_within_term=4),
        Status.MET,
        "80,0%",
    ),
    (
        "within_term",
        IndicatorFacts(ended_with_term=1000, ended_within_term=799),
        Status.NOT_MET,
        "79,9%",
    ),
    # 4-7 provider-wide: not applicable when asked per product (None)
    ("evaluations", IndicatorFacts(), Status.NOT_APPLICABLE, "per aanbieder"),
    (
        "evaluations",
        IndicatorFacts(evaluations=0, evaluations_cooperated=0),
        Status.NO_DATA,
        "geen gegevens",
    ),
    ("evaluations", IndicatorFacts(evaluations=2, evaluations_cooperated=2), Status.MET, "100,0%"),
    ("vog", IndicatorFacts(staff=3, staff_with_vog=2), Status.NOT_MET, "66,7%"),
    ("vog", IndicatorFacts(staff=0, staff_with_vog=0), Status.NO_DATA, "geen gegevens"),
    ("complaints_procedure", IndicatorFacts(complaints_procedure=True), Status.MET, "100,0%"),
    ("complaints_procedure", IndicatorFacts(complaints_procedure=False), Status.NOT_MET, "0,0%"),
    ("complaints_procedure", IndicatorFacts(), Status.NOT_APPLICABLE, "per aanbieder"),
    (
        "quarterly_overviews",
        IndicatorFacts(quarters_due=4, quarterly_overviews=3),
        Status.NOT_MET,
        "75,0%",
    ),
    (
        "quarterly_overviews",
        IndicatorFacts(quarters_due=0, quarterly_overviews=0),
        Status.NO_DATA,
        "geen gegevens",
    ),
    # outcomes: information, no target
    ("work", IndicatorFacts(ended=8, in_work=3), Status.NO_TARGET, "37,5%"),
    ("work", IndicatorFacts(), Status.NO_DATA, "geen gegevens"),
    ("werkfit", IndicatorFacts(ended=8, werkfit=6), Status.NO_TARGET, "75,0%"),
    (
        "durable",
        IndicatorFacts(placements_decided=4, placements_durable=3),
        Status.NO_TARGET,
        "75,0%",
    ),
    # only pending placements: no data, not 0%
    ("durable", IndicatorFacts(ended=3, in_work=3), Status.NO_DATA, "geen gegevens"),
    (
        "cost_per_success",
        IndicatorFacts(ended=5, successful=3, cost_paid=Decimal("10000.00"), invoices_paid=6),
        Status.NO_TARGET,
        "€ 3.333,33",
    ),
    (
        "cost_per_success",
        IndicatorFacts(ended=3, successful=2, cost_paid=Decimal("0.01"), invoices_paid=1),
        Status.NO_TARGET,
        "€ 0,01",  # 0.005 rounds half-up to a cent
    ),
    # cost but no success: no data, never divided by zero and never EUR 0
    (
        "cost_per_success",
        IndicatorFacts(ended=2, successful=0, cost_paid=Decimal("5000.00"), invoices_paid=2),
        Status.NO_DATA,
        "geen gegevens",
    ),
    # successes but nothing paid yet: no data, not EUR 0
    (
        "cost_per_success",
        IndicatorFacts(ended=2, successful=2),
        Status.NO_DATA,
        "geen gegevens",
    ),
    (
        "lead_times",
        IndicatorFacts(lead_times_due=10, lead_times_on_time=9),
        Status.NO_TARGET,
        "90,0%",
    ),
    ("satisfaction", IndicatorFacts(), Status.NO_DATA, "geen gegevens"),
    (
        "satisfaction",
        IndicatorFacts(satisfaction_count=3, satisfaction_sum=Decimal("24.5")),
        Status.NO_TARGET,
        "8,2",
    ),
]


@pytest.mark.parametrize(("code", "facts", "status", "display"), CASES)
def test_indicator_table(code: str, facts: IndicatorFacts, status: Status, display: str) -> None:
    """R-PI-1: each indicator's share, target and met/not met, and 'geen gegevens' for an
    empty denominator."""
    result = _by_code(facts)[code]
    assert result.status == status  # type: ignore[attr-defined]
    assert result.display == display  # type: ignore[attr-defined]


def test_all_indicators_in_order_with_targets() -> None:
    """R-PI-1: seven process indicators with targets (100, 100, 80, 100, 100, 100, 100) and
    six outcome indicators without."""
    results = compute(IndicatorFacts())
    assert [r.code for r in results] == [d.code for d in INDICATORS]
    assert [r.target for r in results[:7]] == [
        Decimal(t) for t in (100, 100, 80, 100, 100, 100, 100)
    ]
    assert all(r.target is None for r in results[7:])


def test_no_trajectories_is_no_data_everywhere() -> None:
    """R-PI-1: a provider without any facts has no data on every indicator, never 0%/100%."""
    results = compute(IndicatorFacts())
    assert {r.status for r in results} <= {Status.NO_DATA, Status.NOT_APPLICABLE}
    assert all(r.value is None for r in results)


def test_totals_add_up_and_count_providers_with_a_complaints_procedure() -> None:
    """R-PI-1: a total over providers adds the counts; indicator 6 becomes 'providers with a
    procedure / providers'."""
    a = IndicatorFacts(
        plans_approved=2,
        plans_signed=2,
        staff=2,
        staff_with_vog=1,
        complaints_procedure=True,
        cost_paid=Decimal("100.00"),
    )
    b = IndicatorFacts(
        plans_approved=3,
        plans_signed=1,
        staff=1,
        staff_with_vog=1,
        complaints_procedure=False,
        cost_paid=Decimal("50.50"),
    )
    total = a + b
    assert (total.plans_approved, total.plans_signed) == (5, 3)
    assert (total.staff, total.staff_with_vog) == (3, 2)
    assert total.cost_paid == Decimal("150.50")
    results = _by_code(total, providers_with_complaints_procedure=(1, 2))
    assert results["complaints_procedure"].display == "50,0%"  # type: ignore[attr-defined]
    # provider-wide facts of a product (None) do not hide the provider's in a total
    assert (IndicatorFacts() + a).staff == 2


@pytest.mark.parametrize(
    ("start", "end", "today", "expected"),
    [
        # whole year in the past: four quarters
        (
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            dt.date(2026, 3, 1),
            ((2025, 1), (2025, 2), (2025, 3), (2025, 4)),
        ),
        # a quarter ending on the last day counts; one ending after the period does not
        (dt.date(2025, 2, 15), dt.date(2025, 6, 30), dt.date(2026, 1, 1), ((2025, 1), (2025, 2))),
        # the running quarter is not yet due, nor one ending today
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 6, 30), ((2026, 1),)),
        # a period inside one quarter: nothing due
        (dt.date(2025, 4, 2), dt.date(2025, 6, 29), dt.date(2026, 1, 1), ()),
    ],
)
def test_quarters_due(
    start: dt.date,
    end: dt.date,
    today: dt.date,
    expected: tuple[tuple[int, int], ...],
) -> None:
    """R-PI-1 item 7: one quarterly overview per calendar quarter that ended in the period."""
    assert quarters_due(Period(start, end), today=today) == expected


def test_period_validation_and_default() -> None:
    with pytest.raises(PeriodError, match="vóór de begindatum"):
        Period(dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    with pytest.raises(PeriodError, match="vijf jaar"):
        Period(dt.date(2015, 1, 1), dt.date(2026, 1, 1))
    assert Period.last_twelve_months(dt.date(2026, 11, 22)) == Period(
        dt.date(2025, 11, 23), dt.date(2026, 11, 22)
    )
    assert Period.last_twelve_months(dt.date(2028, 2, 29)).start == dt.date(2027, 3, 1)
    assert Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)).measured_until(
        dt.date(2026, 6, 1)
    ) == dt.date(2026, 6, 1)
