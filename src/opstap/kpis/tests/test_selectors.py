"""The counts behind the KPIs, against real rows made through the services (see conftest)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from opstap.kpis import selectors, services
from opstap.kpis.formulas import KpiCode, Status
from opstap.kpis.selectors import KpiContext

from .conftest import TODAY, World

D = Decimal
Ctx = Callable[..., KpiContext]


def _results(ctx: KpiContext) -> dict[KpiCode, object]:
    return {r.code: r for r in selectors.kpi_results(ctx)}


def test_counts_of_every_kpi(world: World, ctx_for: Ctx, django_assert_num_queries) -> None:
    """R-KPI-1..5, R-KPI-7: each KPI counted once: one aggregate query, one grouped pass for
    the guided shares, one query on the survey waves and one on the portal's answers."""
    ctx = ctx_for()
    with django_assert_num_queries(4):
        counts = selectors.kpi_counts(ctx)
    # R-KPI-1: a (trajectory) and c (own case manager's agreement) of a, b, c on 2b-5
    assert (
        counts[KpiCode.ACTIVE_GUIDANCE_WORK].numerator,
        counts[KpiCode.ACTIVE_GUIDANCE_WORK].denominator,
    ) == (2, 3)
    # R-KPI-5: d's note is not by d's case manager, e's agreement is older than 3 months
    assert (
        counts[KpiCode.ACTIVE_GUIDANCE_CARE].numerator,
        counts[KpiCode.ACTIVE_GUIDANCE_CARE].denominator,
    ) == (0, 2)
    assert counts[KpiCode.WERKFIT].numerator == 1  # R-KPI-2
    assert counts[KpiCode.PLACEMENTS].numerator == 3  # R-KPI-3: a, g, h
    assert counts[KpiCode.PLACEMENTS_LDR_NBW].numerator == 1  # R-KPI-3: a is in the LDR
    assert counts[KpiCode.PLACEMENTS_AMR].numerator == 1  # R-KPI-3: h via provider B (AMR)
    # R-KPI-4: g ended within 6 months, h lasted; a's durability is not decided yet
    assert (
        counts[KpiCode.DURABLE_PLACEMENTS].numerator,
        counts[KpiCode.DURABLE_PLACEMENTS].denominator,
    ) == (1, 2)
    # R-KPI-7: a works with LKS now, nobody did at the end of 2025
    assert (counts[KpiCode.LKS_GROWTH].numerator, counts[KpiCode.LKS_GROWTH].denominator) == (1, 0)


def test_results_status_and_targets(world: World, ctx_for: Ctx) -> None:
    """R-KPI-1..7: realisation vs target with status; an organisation's own target replaces
    the default."""
    results = _results(ctx_for())
    r1 = results[KpiCode.ACTIVE_GUIDANCE_WORK]
    assert (r1.realised, r1.target, r1.status) == (D("66.7"), D(100), Status.BEHIND)
    r4 = results[KpiCode.DURABLE_PLACEMENTS]
    assert (r4.realised, r4.status) == (D("50.0"), Status.BEHIND)
    assert results[KpiCode.LKS_GROWTH].status is Status.NO_DATA  # growth from zero
    assert results[KpiCode.SATISFACTION].status is Status.NO_DATA  # no survey yet
    services.kpi_target_set(
        actor=world.km,
        organisation=world.org,
        kpi=KpiCode.ACTIVE_GUIDANCE_WORK,
        year=2026,
        target="60",
    )
    assert _results(ctx_for())[KpiCode.ACTIVE_GUIDANCE_WORK].status is Status.MET
    assert _results(ctx_for(year=2027))[KpiCode.ACTIVE_GUIDANCE_WORK].target is None


def test_activity_window_is_configurable(world: World, ctx_for: Ctx) -> None:
    """R-KPI-1/5: with a 6-month window e's agreement of five months ago counts."""
    services.kpi_settings_update(actor=world.km, organisation=world.org, activity_window_months=6)
    counts = selectors.kpi_counts(ctx_for())
    assert counts[KpiCode.ACTIVE_GUIDANCE_CARE].numerator == 1


@pytest.mark.parametrize(
    ("filters", "work", "placements"),
    [
        ({"municipality": "Duiven"}, (2, 2), 1),
        ({"municipality": "Zevenaar"}, (0, 1), 1),
        ({"municipality": "Westervoort"}, (0, 0), 1),
        ({"unit": "care"}, (0, 0), 0),
        ({"unit": "work"}, (2, 3), 3),
        ({"target_group": "disability"}, (1, 1), 1),
        ({"target_group": "work_perspective"}, (2, 3), 1),
    ],
)
def test_counts_respect_the_filters(
    world: World, ctx_for: Ctx, filters: dict[str, str], work: tuple[int, int], placements: int
) -> None:
    """R-KPI: every KPI per municipality, per target group and per unit."""
    if "municipality" in filters:
        filters = {"municipality": world.municipalities[filters["municipality"]].pk}
    counts = selectors.kpi_counts(ctx_for(**filters))
    r1 = counts[KpiCode.ACTIVE_GUIDANCE_WORK]
    assert (r1.numerator, r1.denominator) == work
    assert counts[KpiCode.PLACEMENTS].numerator == placements


def test_breakdowns(world: World, ctx_for: Ctx, django_assert_max_num_queries) -> None:
    """R-KPI: per municipality, per unit and per target group, one grouped query each."""
    ctx = ctx_for()
    with django_assert_max_num_queries(2):
        by_mun = selectors.breakdown_by_municipality(ctx, KpiCode.ACTIVE_GUIDANCE_WORK)
    assert [(r.label, r.counts.numerator, r.counts.denominator, r.realised) for r in by_mun] == [
        ("Duiven", 2, 2, D("100.0")),
        ("Westervoort", 0, 0, None),
        ("Zevenaar", 0, 1, D("0.0")),
    ]
    with django_assert_max_num_queries(2):
        by_unit = selectors.breakdown_by_unit(ctx, KpiCode.PLACEMENTS)
    assert [(r.label, r.counts.numerator) for r in by_unit] == [
        ("Zorg & Ondersteuning", 0),
        ("Unit Werk", 3),
    ]
    with django_assert_max_num_queries(1):
        by_group = {
            r.label: r.counts.numerator
            for r in selectors.breakdown_by_target_group(ctx, KpiCode.PLACEMENTS)
        }
    assert by_group["Arbeidsbeperking (LDR/NBW/LKS)"] == 1
    assert by_group["Zorgklant"] == 0


def test_trend_over_twelve_months(world: World, ctx_for: Ctx, django_assert_num_queries) -> None:
    """R-KPI: a monthly trend of the last 12 months, one query per KPI (placements: one per
    source, trajectory outcomes and the WSP's placements through matching, issue 15)."""
    ctx = ctx_for()
    with django_assert_num_queries(2):
        placements = selectors.trend(ctx, KpiCode.PLACEMENTS)
    assert len(placements) == 12
    by_month = {p.month.isoformat()[:7]: p.numerator for p in placements}
    assert (by_month["2026-04"], by_month["2026-05"], by_month["2026-06"]) == (1, 2, 0)
    with django_assert_num_queries(2):  # one pass over the facts + the population size
        guided = selectors.trend(ctx, KpiCode.ACTIVE_GUIDANCE_WORK)
    # a's trajectory was ordered on 21 April: from April's end on, a and (now) c are guided
    assert [p.numerator for p in guided][-1] == 2
    assert {p.month.isoformat()[:7]: p.numerator for p in guided}["2026-03"] == 0
    with django_assert_num_queries(0):  # the guided trend is cached briefly
        assert selectors.trend(ctx, KpiCode.ACTIVE_GUIDANCE_WORK) == guided
    lks = {p.month.isoformat()[:7]: p.numerator for p in selectors.trend(ctx, KpiCode.LKS_GROWTH)}
    assert (lks["2026-04"], lks["2026-05"], lks["2026-11"]) == (0, 1, 1)
    durable = selectors.trend(ctx, KpiCode.DURABLE_PLACEMENTS)
    assert {p.month.isoformat()[:7]: (p.numerator, p.denominator) for p in durable}["2026-10"] == (
        1,
        1,
    )


def test_satisfaction_from_survey_waves(world: World, ctx_for: Ctx) -> None:
    """R-KPI-6: the score of the year's waves weighted by respondents, per municipality."""
    import datetime as dt

    duiven = world.municipalities["Duiven"]
    services.survey_wave_record(
        actor=None,
        organisation=world.org,
        name="KBO 2026",
        held_on=dt.date(2026, 3, 1),
        score="8.2",
        respondents=300,
    )
    services.survey_wave_record(
        actor=None,
        organisation=world.org,
        name="KBO 2026 Duiven",
        held_on=dt.date(2026, 9, 1),
        score="7.4",
        respondents=100,
        municipality=duiven,
    )
    services.survey_wave_record(
        actor=None,
        organisation=world.org,
        name="KBO 2025",
        held_on=dt.date(2025, 3, 1),
        score="5.0",
        respondents=100,
    )
    result = _results(ctx_for())[KpiCode.SATISFACTION]
    assert (result.realised, result.counts.numerator, result.status) == (D("8.0"), 400, Status.MET)
    duiven_only = _results(ctx_for(municipality=duiven.pk))[KpiCode.SATISFACTION]
    assert (duiven_only.realised, duiven_only.status) == (D("7.4"), Status.BEHIND)
    rows = selectors.breakdown_by_municipality(ctx_for(), KpiCode.SATISFACTION)
    assert [(r.label, r.realised) for r in rows][:2] == [
        ("Hele organisatie", D("8.2")),
        ("Duiven", D("7.4")),
    ]


def test_drilldown_is_scoped(world: World, ctx_for: Ctx, steering_cm, policy_officer) -> None:
    """R-SEC-1: the drill-down lists only clients within the user's own scope; a policy
    officer without client access sees none."""
    ctx = ctx_for()
    names = lambda qs: sorted(c.first_name for c in qs)  # noqa: E731
    # unit Werk sees a, b, c (2b-5) but not d/e (Zorg & Ondersteuning)
    assert names(
        selectors.drilldown_clients(user=steering_cm, ctx=ctx, code=KpiCode.ACTIVE_GUIDANCE_WORK)
    ) == ["A", "C"]
    assert names(
        selectors.drilldown_clients(
            user=steering_cm, ctx=ctx, code=KpiCode.ACTIVE_GUIDANCE_WORK, part="rest"
        )
    ) == ["B"]
    services.kpi_settings_update(actor=world.km, organisation=world.org, activity_window_months=6)
    ctx = ctx_for()
    assert selectors.kpi_counts(ctx)[KpiCode.ACTIVE_GUIDANCE_CARE].numerator == 1  # e
    assert (
        names(
            selectors.drilldown_clients(
                user=steering_cm, ctx=ctx, code=KpiCode.ACTIVE_GUIDANCE_CARE
            )
        )
        == []
    )
    assert names(
        selectors.drilldown_clients(user=world.km2, ctx=ctx, code=KpiCode.ACTIVE_GUIDANCE_CARE)
    ) == ["E"]
    assert not selectors.drilldown_clients(
        user=policy_officer, ctx=ctx, code=KpiCode.PLACEMENTS
    ).exists()


def test_other_organisation_does_not_count(world: World, other_org, ctx_for: Ctx) -> None:
    """R-SEC-1: KPIs never mix tenants."""
    from opstap.clients.tests.factories import a_case_manager, make_client

    make_client(other_org, ladder_step="4", case_manager=a_case_manager(other_org))
    assert selectors.kpi_counts(ctx_for())[KpiCode.ACTIVE_GUIDANCE_WORK].denominator == 3
    assert TODAY.year == 2026
