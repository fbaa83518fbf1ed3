"""Table-driven tests of the pure finance models, reproducing the spec's reference figures."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.clients.ladder import LadderStep
from opstap.finance.models_pure.business_case import InvestmentYear, compute_business_case
from opstap.finance.models_pure.cost_split import MunicipalityFigures, compute_cost_split
from opstap.finance.models_pure.errors import FinanceInputError
from opstap.finance.models_pure.forecast import (
    OVERBETUWE_SCENARIOS,
    FlowMode,
    Granularity,
    PeriodFlows,
    Scenario,
    project,
)
from opstap.finance.models_pure.money import money, split_money
from opstap.finance.models_pure.outflow_premium import (
    OutflowFacts,
    OutflowKind,
    PremiumScheme,
    add_months,
    assess,
    schedule,
    second_payment_allowed,
)
from opstap.finance.models_pure.safety_net import (
    Band,
    BuigYear,
    compute_safety_net,
    compute_safety_nets,
)
from opstap.finance.models_pure.social_value import DEFAULT_MAPPING, social_value

D = Decimal
REFERENCE_2021 = [
    MunicipalityFigures("Duiven", 25_067, 433),
    MunicipalityFigures("Westervoort", 15_011, 347),
    MunicipalityFigures("Zevenaar", 44_099, 824),
]


# --- R-FIN-1 cost-split key ------------------------------------------------------------------


def test_cost_split_reference_2021() -> None:
    """R-FIN-1: 2021 reference gives 28.39% / 19.73% / 51.88%."""
    result = compute_cost_split(REFERENCE_2021)
    assert [s.percentage for s in result.shares] == [D("28.39"), D("19.73"), D("51.88")]
    assert result.total_inhabitants == 84_177
    assert result.total_client_files == 1_604


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        (D(100), [D("29.78"), D("17.83"), D("52.39")]),  # inhabitants only
        (D(0), [D("27.00"), D("21.63"), D("51.37")]),  # client files only
    ],
)
def test_cost_split_other_weights(weight: Decimal, expected: list[Decimal]) -> None:
    """R-FIN-1: the weight is configurable (0..100%)."""
    result = compute_cost_split(REFERENCE_2021, inhabitant_weight=weight)
    assert [s.percentage for s in result.shares] == expected
    assert sum(expected) == D(100)


def test_cost_split_splits_amount_to_the_cent() -> None:
    """R-FIN-1: 1,000,000 split by the key."""
    result = compute_cost_split(REFERENCE_2021)
    assert result.split(D(1_000_000)) == [
        ("Duiven", D("283900.00")),
        ("Westervoort", D("197300.00")),
        ("Zevenaar", D("518800.00")),
    ]


@pytest.mark.parametrize(
    ("figures", "weight"),
    [
        ([], D(50)),
        ([MunicipalityFigures("A", 0, 0)], D(50)),
        (REFERENCE_2021, D(101)),
        ([MunicipalityFigures("A", -1, 3)], D(50)),
    ],
)
def test_cost_split_refuses_bad_input(figures: list[MunicipalityFigures], weight: Decimal) -> None:
    """R-FIN-1: bad input gives a Dutch message, not a crash."""
    with pytest.raises(FinanceInputError):
        compute_cost_split(figures, inhabitant_weight=weight)


municipality_lists = st.lists(
    st.builds(
        MunicipalityFigures,
        name=st.text(min_size=1, max_size=5),
        inhabitants=st.integers(min_value=1, max_value=1_000_000),
        client_files=st.integers(min_value=1, max_value=50_000),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda m: m.name.strip().casefold(),  # a key names each municipality once
)


@given(
    municipality_lists,
    st.decimals(min_value=0, max_value=100, places=1),
    st.decimals(min_value=0, max_value=10_000_000, places=2),
)
def test_cost_split_properties(
    figures: list[MunicipalityFigures], weight: Decimal, amount: Decimal
) -> None:
    """R-FIN-1: shares always sum to exactly 100%, amounts to the total to the cent."""
    result = compute_cost_split(figures, inhabitant_weight=weight)
    assert sum(s.percentage for s in result.shares) == D(100)
    parts = [p for _, p in result.split(amount)]
    assert sum(parts) == money(amount)
    assert all(p >= 0 for p in parts)


@given(
    st.lists(st.decimals(min_value=0, max_value=1000, places=3), min_size=1, max_size=20),
    st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2),
)
def test_split_money_sums_to_total(weights: list[Decimal], amount: Decimal) -> None:
    """R-FIN-1: the largest-remainder split never loses or invents a cent."""
    assert sum(split_money(amount, weights)) == money(amount)


# --- R-FIN-2 business case -------------------------------------------------------------------


def reference_years(expected: int = 305) -> list[InvestmentYear]:
    return [
        InvestmentYear(
            year=2022,
            investment=D(1_000_000),
            norm_outflow=200,
            expected_outflow=expected,
            savings=(D(481_750), D(510_000), D(420_000)),
            savings_outflow=305,
        ),
        InvestmentYear(
            year=2023,
            investment=D(1_000_000),
            norm_outflow=200,
            expected_outflow=expected,
            savings=(D(505_750), D(510_000), D(420_000)),
            savings_outflow=305,
        ),
    ]


KEY_2021 = [("Duiven", D("28.39")), ("Westervoort", D("19.73")), ("Zevenaar", D("51.88"))]


def test_business_case_reference() -> None:
    """R-FIN-2: totals 1,411,750 and 1,435,750, net 411,750 and 435,750, together 847,500."""
    result = compute_business_case(reference_years(), key=KEY_2021)
    y2022, y2023 = result.years
    assert (y2022.total_savings, y2022.net_savings) == (D(1_411_750), D(411_750))
    assert (y2023.total_savings, y2023.net_savings) == (D(1_435_750), D(435_750))
    assert result.net_savings == D(847_500)
    assert result.total_investment == D(2_000_000)
    # payback: 2022 → 481,750 + 510,000 < 1M, + 420,000 in 2024; 2023 → 505,750 + 510,000.
    assert (y2022.payback_year, y2023.payback_year) == (2024, 2024)
    assert result.payback_year == 2024
    assert result.mkba_value == D(200_000)  # default 10% of the investment


def test_business_case_split_per_municipality() -> None:
    """R-FIN-2: the same per municipality by the key; parts sum to the totals."""
    result = compute_business_case(reference_years(), key=KEY_2021)
    duiven = result.municipalities[0]
    assert duiven.investment == D("567800.00")
    # 28.39% of 847,500 = 240,605.25; split per year and per flow it is a cent more.
    assert duiven.net_savings == D("240605.26")
    assert sum(m.net_savings for m in result.municipalities) == D(847_500)
    assert sum(m.total_savings for m in result.municipalities) == D(2_847_500)


def test_business_case_lower_outflow_moves_payback() -> None:
    """R-FIN-2: savings scale with the extra outflow above the norm; payback moves."""
    result = compute_business_case(reference_years(expected=270), key=KEY_2021)
    # extra outflow 70 instead of 105: savings * 2/3
    assert result.years[0].total_savings == money(D(1_411_750) * 70 / 105)
    assert result.years[0].payback_year is None
    assert result.payback_year is None
    assert result.net_savings < 0


def test_business_case_plan_versus_realisation() -> None:
    """R-FIN-2: realised outflow and savings can be entered to compare plan and reality."""
    years = reference_years()
    years[0] = InvestmentYear(
        **{**years[0].__dict__, "realised_outflow": 290, "realised_savings": (D(450_000),)}
    )
    result = compute_business_case(years)
    assert result.has_realisation
    assert result.years[0].realised_total_savings == D(450_000)
    assert result.years[0].realised_net_savings == D(-550_000)
    assert result.years[1].realised_total_savings is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": [("A", D(50))]}, "100%"),
        ({"mkba_percentage": D(-1)}, "MKBA"),
    ],
)
def test_business_case_refuses_bad_input(kwargs: dict[str, object], message: str) -> None:
    """R-FIN-2: a key must sum to 100%; MKBA not negative."""
    with pytest.raises(FinanceInputError, match=message):
        compute_business_case(reference_years(), **kwargs)  # type: ignore[arg-type]


def test_cost_split_refuses_a_municipality_twice() -> None:
    """R-FIN-1: "Duiven" entered twice was computed by position but shown and exported by
    name: both rows showed the second row's amount (EUR 197,300.00 twice). Refused."""
    figures = [*REFERENCE_2021, MunicipalityFigures(" duiven ", 100, 3)]
    with pytest.raises(FinanceInputError, match="Gemeente duiven staat twee keer"):
        compute_cost_split(figures)
    key = [("Duiven", D(50)), ("DUIVEN", D(50))]
    with pytest.raises(FinanceInputError, match="twee keer in de verdeelsleutel"):
        compute_business_case(reference_years(), key=key)


def test_business_case_mkba_configurable() -> None:
    """R-FIN-2: the MKBA percentage is configurable."""
    result = compute_business_case(reference_years(), mkba_percentage=D(25))
    assert result.mkba_value == D(500_000)


def test_social_value_meetstandaard_2026() -> None:
    """R-INT-5: social value per ladder position with the 2026 parameters."""
    before = {LadderStep.STEP_4: 100, LadderStep.STEP_2B: 50}
    after = {LadderStep.STEP_4: 60, LadderStep.STEP_2B: 45, LadderStep.STEP_6: 45}
    result = social_value(before, after)
    # 40 fewer on position 3 (+600,000), 5 fewer on position 2 (+97,500),
    # 45 more on position 5 (+497,250)
    assert result.change == D(1_194_750)
    # The mapping is editable: step 6 counted as work with support (position 4) instead.
    edited = {**DEFAULT_MAPPING, LadderStep.STEP_6: 4}
    assert social_value(before, after, mapping=edited).change == D(472_500)


# --- R-FIN-3/4 BUIG and safety net ------------------------------------------------------------


@pytest.mark.parametrize(
    ("municipality", "budget", "expenditure", "pct", "eligible", "compensation"),
    [
        # Zevenaar 2023: 9% deficit → eligible; 50% of the 1.5% between 7.5% and 9%.
        ("Zevenaar", D(13_400_000), D(14_606_000), D("9.00"), True, D("100500.00")),
        # Duiven and Westervoort: about 1-2% → own risk, not eligible.
        ("Duiven", D(6_500_000), D(6_597_500), D("1.50"), False, D(0)),
        ("Westervoort", D(4_800_000), D(4_872_000), D("1.50"), False, D(0)),
        # Exactly 7.5% is not MORE than 7.5%.
        ("X", D(1_000_000), D(1_075_000), D("7.50"), False, D(0)),
        # 15%: 50% of 5% + 100% of 2.5% = 5% of the budget.
        ("Y", D(1_000_000), D(1_150_000), D("15.00"), True, D("50000.00")),
        # Surplus.
        ("Z", D(1_000_000), D(900_000), D("-10.00"), False, D(0)),
    ],
)
def test_safety_net_reference(
    municipality: str,
    budget: Decimal,
    expenditure: Decimal,
    pct: Decimal,
    eligible: bool,
    compensation: Decimal,
) -> None:
    """R-FIN-3, R-FIN-4: deficit %, eligibility above 7.5% and compensation by the bands."""
    result = compute_safety_net(BuigYear(municipality, 2023, budget, expenditure))
    assert result.deficit_percentage == pct
    assert result.eligible is eligible
    assert result.compensation == compensation


def test_safety_net_refuses_a_municipality_year_twice_and_lks_above_budget() -> None:
    """R-FIN-3: one budget per municipality and year (two rows "Duiven 2023" gave two
    contradicting verdicts); the LKS part is part of the budget, so not larger than it."""
    items = [
        BuigYear("Duiven", 2023, D(6_500_000), D(6_597_500)),
        BuigYear("Duiven", 2024, D(6_500_000), D(6_597_500)),
    ]
    assert len(compute_safety_nets(items)) == 2
    twice = [*items, BuigYear("duiven ", 2023, D(1_000_000), D(2_000_000))]
    with pytest.raises(FinanceInputError, match="duiven 2023 staat twee keer"):
        compute_safety_nets(twice)
    with pytest.raises(FinanceInputError, match="LKS-deel"):
        compute_safety_net(BuigYear("Duiven", 2023, D(100), D(100), lks_part=D(101)))


def test_safety_net_bands_per_year() -> None:
    """R-FIN-4: bands are configurable per year."""
    other = (Band(D(0), D(5), D(0)), Band(D(5), None, D(100)))
    items = [
        BuigYear("A", 2023, D(1_000_000), D(1_060_000)),
        BuigYear("A", 2024, D(1_000_000), D(1_060_000)),
    ]
    r2023, r2024 = compute_safety_nets(items, bands_by_year={2024: other})
    assert (r2023.eligible, r2024.eligible) == (False, True)
    assert r2024.compensation == D("10000.00")


@pytest.mark.parametrize(
    "bands",
    [
        (),
        (Band(D(1), None, D(0)),),
        (Band(D(0), None, D(0)), Band(D(5), None, D(10))),
        (Band(D(0), None, D(120)),),
    ],
)
def test_safety_net_refuses_bad_bands(bands: tuple[Band, ...]) -> None:
    """R-FIN-4: bands must connect from 0% and compensate 0..100%."""
    with pytest.raises(FinanceInputError):
        compute_safety_net(BuigYear("A", 2023, D(1), D(1)), bands=bands)


# --- R-PREM-1 outflow premium -----------------------------------------------------------------


def facts(**overrides: object) -> OutflowFacts:
    base: dict[str, object] = {
        "benefit_start": dt.date(2020, 1, 1),
        "outflow_date": dt.date(2022, 3, 1),
        "outflow_kind": OutflowKind.EMPLOYMENT,
        "hours_per_week": D(24),
        "earlier_premium": False,
    }
    base.update(overrides)
    return OutflowFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "eligible"),
    [
        ({}, True),  # > 2 years, employment, 24 h
        ({"outflow_kind": OutflowKind.SELF_EMPLOYMENT}, True),
        ({"hours_per_week": D(16)}, True),  # at least 16 hours
        ({"hours_per_week": D("15.5")}, False),
        ({"outflow_date": dt.date(2022, 1, 1)}, False),  # exactly 2 years is not MORE
        ({"outflow_date": dt.date(2022, 1, 2)}, True),
        ({"outflow_kind": OutflowKind.EDUCATION}, False),
        ({"earlier_premium": True}, False),  # only once per person
    ],
)
def test_outflow_premium_eligibility(overrides: dict[str, object], eligible: bool) -> None:
    """R-PREM-1: > 2 years assistance, outflow to work >= 16 h/week, once per person."""
    assert assess(PremiumScheme(), facts(**overrides)).eligible is eligible


def test_outflow_premium_switched_off() -> None:
    """R-PREM-1: the scheme can be switched off."""
    result = assess(PremiumScheme(enabled=False), facts())
    assert not result.eligible
    assert "staat uit" in result.reasons[0]


def test_outflow_premium_schedule() -> None:
    """R-PREM-1: EUR 500 directly and EUR 500 after 6 months if still out of benefit."""
    first, second = schedule(PremiumScheme(), dt.date(2022, 8, 31))
    assert (first.due_date, first.amount) == (dt.date(2022, 8, 31), D("500.00"))
    assert (second.due_date, second.amount) == (dt.date(2023, 2, 28), D("500.00"))
    scheme = PremiumScheme()
    out = dt.date(2022, 3, 1)
    assert not second_payment_allowed(
        scheme, outflow_date=out, on=dt.date(2022, 8, 31), returned_to_benefit_on=None
    )
    assert second_payment_allowed(
        scheme, outflow_date=out, on=dt.date(2022, 9, 1), returned_to_benefit_on=None
    )
    assert not second_payment_allowed(
        scheme, outflow_date=out, on=dt.date(2022, 9, 1), returned_to_benefit_on=dt.date(2022, 6, 1)
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2020, 1, 31), 1, dt.date(2020, 2, 29)),
        (dt.date(2020, 1, 1), 24, dt.date(2022, 1, 1)),
        (dt.date(2022, 12, 15), 6, dt.date(2023, 6, 15)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    """R-PREM-1: month arithmetic for benefit duration and the waiting time."""
    assert add_months(day, months) == expected


# --- R-FIN-5 caseload forecast ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, [621, 688, 741, 741, 741]),  # basis / matig herstel
        (1, [617, 660, 681, 681, 681]),  # volledig herstel
        (2, [634, 749, 848, 848, 848]),  # zwak herstel
        (3, [626, 743, 870, 870, 870]),  # tweede golf
    ],
)
def test_forecast_overbetuwe_reference(index: int, expected: list[int]) -> None:
    """R-FIN-5: the Overbetuwe scenarios reproduced from their (documented) flows."""
    projection = project(OVERBETUWE_SCENARIOS[index])
    assert projection.ends == expected
    assert projection.labels == ["2020", "2021", "2022", "2023", "2024"]


def test_forecast_rates_and_months() -> None:
    """R-FIN-5: flows as rates of the stock, monthly periods."""
    scenario = Scenario(
        name="maand",
        start_stock=1000,
        start_year=2026,
        start_month=11,
        granularity=Granularity.MONTH,
        mode=FlowMode.RATES,
        periods=(PeriodFlows(D(3), D(2)), PeriodFlows(D(3), D(2)), PeriodFlows(D(0), D(100))),
    )
    projection = project(scenario)
    assert projection.ends == [1010, 1020, 0]
    assert projection.labels == ["nov 2026", "dec 2026", "jan 2027"]


@given(
    st.integers(min_value=0, max_value=100_000),
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=200, places=2),
            st.decimals(min_value=0, max_value=200, places=2),
        ),
        min_size=1,
        max_size=36,
    ),
    st.sampled_from(list(FlowMode)),
)
def test_forecast_conserves_people(
    start: int, flows: list[tuple[Decimal, Decimal]], mode: FlowMode
) -> None:
    """R-FIN-5: people are conserved and no stock is negative."""
    scenario = Scenario(
        name="x",
        start_stock=start,
        start_year=2026,
        mode=mode,
        periods=tuple(PeriodFlows(i, o) for i, o in flows),
    )
    rows = project(scenario).rows
    assert rows[-1].end == start + sum(r.inflow for r in rows) - sum(r.outflow for r in rows)
    assert all(r.end >= 0 and r.end == r.start + r.inflow - r.outflow for r in rows)
    assert all(a.end == b.start for a, b in itertools.pairwise(rows))
