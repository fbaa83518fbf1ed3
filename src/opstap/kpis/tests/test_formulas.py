"""Table-driven tests of the pure KPI formulas (R-KPI-1..7). No database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opstap.kpis import formulas as f
from opstap.kpis.formulas import KpiCode, KpiCounts, KpiKind, Status

D = Decimal


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        (KpiCode.ACTIVE_GUIDANCE_WORK, 2021, D(100)),  # R-KPI-1
        (KpiCode.WERKFIT, 2023, D(200)),  # R-KPI-2
        (KpiCode.PLACEMENTS, 2022, D(305)),  # R-KPI-3
        (KpiCode.PLACEMENTS_LDR_NBW, 2026, D(40)),  # R-KPI-3
        (KpiCode.PLACEMENTS_AMR, 2026, D(20)),  # R-KPI-3
        (KpiCode.DURABLE_PLACEMENTS, 2024, D(80)),  # R-KPI-4
        (KpiCode.ACTIVE_GUIDANCE_CARE, 2025, D(15)),  # R-KPI-5
        (KpiCode.SATISFACTION, 2024, D("8.0")),  # R-KPI-6
        (KpiCode.LKS_GROWTH, 2024, D(10)),  # R-KPI-7 starts in 2024
        (KpiCode.LKS_GROWTH, 2023, None),
        (KpiCode.WERKFIT, 2020, None),
        (KpiCode.WERKFIT, 2027, None),
    ],
)
def test_default_targets(code: KpiCode, year: int, expected: Decimal | None) -> None:
    """R-KPI-1..7: the spec's default targets, per year (R-KPI-7 only 2024-2026)."""
    assert f.default_target(code, year) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (0, 0, None),
        (0, 10, D("0.0")),
        (1, 3, D("33.3")),
        (2, 3, D("66.7")),
        (150, 1000, D("15.0")),  # R-KPI-5: exactly the 15% target
        (1034, 1034, D("100.0")),  # R-KPI-1: every client on 2b-5 guided
        (4, 5, D("80.0")),  # R-KPI-4: 80% durable
    ],
)
def test_share(numerator: int, denominator: int, expected: Decimal | None) -> None:
    """R-KPI-1, R-KPI-4, R-KPI-5: a share in percent with one decimal, none without a
    population."""
    assert f.share_pct(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("current", "baseline", "expected"),
    [
        (110, 100, D("10.0")),
        (109, 100, D("9.0")),
        (90, 100, D("-10.0")),
        (5, 0, None),
        (0, 0, None),
        (37, 33, D("12.1")),
    ],
)
def test_growth(current: int, baseline: int, expected: Decimal | None) -> None:
    """R-KPI-7: growth of the number working with LKS against the end of last year."""
    assert f.growth_pct(current, baseline) == expected


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        f.share_pct(-1, 3)
    with pytest.raises(ValueError):
        f.growth_pct(1, -3)


@pytest.mark.parametrize(
    ("waves", "expected"),
    [
        ([], None),
        ([(D("8.2"), 120)], D("8.2")),  # R-KPI-6: KBO 2024
        ([(D("8.0"), 100), (D("7.0"), 100)], D("7.5")),
        ([(D("9.0"), 300), (D("6.0"), 100)], D("8.3")),  # 8.25 rounds half up
    ],
)
def test_weighted_score(waves: list[tuple[Decimal, int]], expected: Decimal | None) -> None:
    """R-KPI-6: the year's score is the mean of the waves weighted by respondents."""
    assert f.weighted_score(waves) == expected


@pytest.mark.parametrize(
    ("year", "today", "expected"),
    [
        (2026, dt.date(2025, 12, 31), D(0)),
        (2026, dt.date(2026, 1, 1), D(1) / D(365)),
        (2026, dt.date(2026, 7, 2), D(183) / D(365)),
        (2024, dt.date(2024, 12, 30), D(365) / D(366)),  # leap year
        (2026, dt.date(2026, 12, 31), D(1)),
        (2025, dt.date(2026, 3, 1), D(1)),
    ],
)
def test_elapsed_fraction(year: int, today: dt.date, expected: Decimal) -> None:
    """R-KPI-2/3/7: count and growth targets are judged against the elapsed part of the year."""
    assert f.elapsed_fraction(year, today) == expected


@pytest.mark.parametrize(
    ("year", "today", "expected"),
    [
        (2026, dt.date(2026, 11, 22), dt.date(2026, 11, 22)),
        (2025, dt.date(2026, 11, 22), dt.date(2025, 12, 31)),
        (2027, dt.date(2026, 11, 22), dt.date(2027, 1, 1)),
    ],
)
def test_measurement_date(year: int, today: dt.date, expected: dt.date) -> None:
    assert f.measurement_date(year, today) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 22), 3, dt.date(2026, 8, 22)),
        (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)),
        (dt.date(2026, 2, 15), 3, dt.date(2025, 11, 15)),
        (dt.date(2024, 5, 31), 3, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 10), 12, dt.date(2025, 1, 10)),
    ],
)
def test_months_back(day: dt.date, months: int, expected: dt.date) -> None:
    """R-KPI-1: the activity window of (by default) 3 months."""
    assert f.months_back(day, months) == expected


def test_month_ends_cover_twelve_months_up_to_today() -> None:
    ends = f.month_ends(dt.date(2026, 11, 22))
    assert len(ends) == 12
    assert ends[0] == dt.date(2025, 12, 31)
    assert ends[2] == dt.date(2026, 2, 28)
    assert ends[-1] == dt.date(2026, 11, 22)


# kind, realised, target, elapsed → status
STATUS_TABLE = [
    # R-KPI-2 (count): 200 werkfit in the year
    (KpiKind.COUNT, D(200), D(200), D("0.5"), Status.MET),
    (KpiKind.COUNT, D(100), D(200), D("0.5"), Status.ON_TRACK),
    (KpiKind.COUNT, D(99), D(200), D("0.5"), Status.BEHIND),
    (KpiKind.COUNT, D(199), D(200), D(1), Status.BEHIND),  # a finished year: met or behind
    (KpiKind.COUNT, D(0), D(200), D(0), Status.ON_TRACK),  # nothing expected yet
    # R-KPI-3 (count): 305 placements, at 3/4 of the year 228.8 expected
    (KpiKind.COUNT, D(229), D(305), D("0.75"), Status.ON_TRACK),
    (KpiKind.COUNT, D(228), D(305), D("0.75"), Status.BEHIND),
    # R-KPI-1/4/5 (shares) are a state: no "on track"
    (KpiKind.SHARE, D("100.0"), D(100), D("0.5"), Status.MET),
    (KpiKind.SHARE, D("99.9"), D(100), D("0.1"), Status.BEHIND),
    (KpiKind.SHARE, D("80.0"), D(80), D(1), Status.MET),
    (KpiKind.SHARE, D("15.2"), D(15), D(1), Status.MET),
    (KpiKind.SHARE, None, D(15), D(1), Status.NO_DATA),
    # R-KPI-6 (score)
    (KpiKind.SCORE, D("8.2"), D("8.0"), D("0.5"), Status.MET),
    (KpiKind.SCORE, D("7.9"), D("8.0"), D("0.5"), Status.BEHIND),
    (KpiKind.SCORE, None, D("8.0"), D("0.5"), Status.NO_DATA),
    # R-KPI-7 (growth): +10% a year, pro rata during the year
    (KpiKind.GROWTH, D("10.0"), D(10), D(1), Status.MET),
    (KpiKind.GROWTH, D("5.0"), D(10), D("0.5"), Status.ON_TRACK),
    (KpiKind.GROWTH, D("4.9"), D(10), D("0.5"), Status.BEHIND),
    (KpiKind.GROWTH, D("-2.0"), D(10), D("0.5"), Status.BEHIND),
    (KpiKind.GROWTH, None, D(10), D("0.5"), Status.NO_DATA),
    # no target in the year
    (KpiKind.GROWTH, D("12.0"), None, D("0.5"), Status.NO_TARGET),
]


@pytest.mark.parametrize(("kind", "realised", "target", "elapsed", "expected"), STATUS_TABLE)
def test_status(
    kind: KpiKind,
    realised: Decimal | None,
    target: Decimal | None,
    elapsed: Decimal,
    expected: Status,
) -> None:
    """R-KPI-1..7: met / on track (flows, against the elapsed part of the year) / behind."""
    assert f.status_of(kind, realised=realised, target=target, elapsed=elapsed) is expected


@pytest.mark.parametrize(
    ("code", "counts", "target", "elapsed", "realised", "expected_so_far", "status"),
    [
        (
            KpiCode.ACTIVE_GUIDANCE_WORK,
            KpiCounts(numerator=940, denominator=1034),
            D(100),
            D("0.9"),
            D("90.9"),
            D(100),
            Status.BEHIND,
        ),
        (
            KpiCode.WERKFIT,
            KpiCounts(numerator=120),
            D(200),
            D("0.5"),
            D(120),
            D("100.0"),
            Status.ON_TRACK,
        ),
        (
            KpiCode.LKS_GROWTH,
            KpiCounts(numerator=44, denominator=40),
            D(10),
            D(1),
            D("10.0"),
            D("10.0"),
            Status.MET,
        ),
        (
            KpiCode.SATISFACTION,
            KpiCounts(numerator=120, score=D("8.2")),
            D("8.0"),
            D("0.2"),
            D("8.2"),
            D("8.0"),
            Status.MET,
        ),
    ],
)
def test_evaluate(
    code: KpiCode,
    counts: KpiCounts,
    target: Decimal,
    elapsed: Decimal,
    realised: Decimal,
    expected_so_far: Decimal,
    status: Status,
) -> None:
    """R-KPI-1, R-KPI-2, R-KPI-6, R-KPI-7: realisation vs target of one KPI."""
    result = f.evaluate(f.definition(code), counts, target=target, elapsed=elapsed)
    assert result.realised == realised
    assert result.expected == expected_so_far
    assert result.status is status


def test_every_kpi_has_a_rule_id_and_a_dutch_status_label() -> None:
    assert {d.rule for d in f.DEFINITIONS} == {f"R-KPI-{i}" for i in range(1, 8)}
    assert all(s.label for s in Status)


def test_survey_states_follow_the_workflow() -> None:
    """R-KPI-6 in the portal: a trajectory may be rated once it has ended (the workflow's
    ended states) or its final report is in / it was handed over."""
    from opstap.kpis.formulas import SURVEY_STATES, survey_open_for
    from opstap.trajectories.workflow import ENDED_STATES, State

    expected = {s.value for s in ENDED_STATES} | {
        State.FINAL_REPORT_RECEIVED.value,
        State.HANDED_OVER.value,
    }
    assert expected == SURVEY_STATES
    assert survey_open_for("completed") and not survey_open_for("running")
