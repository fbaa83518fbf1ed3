"""Small numbers on the provider indicators (R-SEC-1, issue 19 item 11): counts of 1 to 4
clients are withheld as "< 5" from users who may not see the clients behind them, on every
surface: the comparison page with its chart, the drill-in per provider and product, the panel
on the product page, the xlsx export and both API operations. Whoever may see every client
behind the numbers (here: the case manager of all of them) sees the counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from openpyxl import load_workbook

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.indicators import charts, selectors
from opstap.indicators.computation import (
    CLIENT_BASED,
    INDICATORS,
    IndicatorFacts,
    Period,
    Status,
    compute,
    suppress_small_numbers,
)
from opstap.providers.models import Product
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

PERIOD = "van=2026-01-01&tot=2026-10-31"
API_PERIOD = "?from=2026-01-01&to=2026-10-31"
TODAY = dt.date(2026, 11, 1)
MARKER_HTML = "&lt; 5"


@pytest.fixture(autouse=True)
def _threshold_five(settings: Any) -> None:
    """The default threshold (the indicator tests' conftest switches it off)."""
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 5


@pytest.fixture
def two_providers(
    running: Callable[..., Trajectory], product3: Product, product3_b: Product
) -> tuple[Product, Product]:
    """Provider A: two plans approved (one signed); provider B: one (signed)."""
    running(product3, signed=True)
    running(product3, signed=False)
    running(product3_b, signed=True)
    return product3, product3_b


def _login(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


# --- The rule (pure) ---------------------------------------------------------------------


def _results(plans_signed: int, plans_approved: int, staff: int = 2) -> Any:
    return compute(
        IndicatorFacts(
            plans_signed=plans_signed,
            plans_approved=plans_approved,
            staff=staff,
            staff_with_vog=staff,
        )
    )


def _plan(row: Any) -> Any:
    return next(r for r in row if r.code == "plan_signed")


@pytest.mark.parametrize(
    ("counts", "additive", "hidden"),
    [
        # (signed, approved) per row; which rows are withheld at threshold 5
        ([(4, 10), (10, 10)], False, [True, False]),  # small numerator
        ([(2, 3), (10, 10)], False, [True, False]),  # small denominator
        ([(0, 10), (10, 10)], False, [False, False]),  # zero discloses no one
        ([(0, 0), (5, 5)], False, [False, False]),  # no data stays "geen gegevens"
        ([(1, 9), (6, 9), (7, 20)], True, [True, True, False]),  # secondary: 6 < 7
        ([(1, 9), (6, 9), (7, 20)], False, [True, False, False]),  # not additive: no second
        ([(1, 9), (2, 9)], True, [True, True]),  # two hidden: nothing to compute back
    ],
)
def test_small_counts_are_withheld(
    counts: list[tuple[int, int]], additive: bool, hidden: list[bool]
) -> None:
    """R-SEC-1: numerator or denominator 1..4 withholds the result (value, counts and
    verdict), shown as "< 5"; one hidden row among rows that add up to a shown total takes
    the smallest other non-zero row with it."""
    rows = [_results(n, d) for n, d in counts]
    shown = suppress_small_numbers(rows, 5, additive=additive)
    assert [_plan(row).status == Status.SUPPRESSED for row in shown] == hidden
    for row, hide in zip(shown, hidden, strict=True):
        plan = _plan(row)
        if hide:
            assert (plan.numerator, plan.denominator, plan.value) == (None, None, None)
            assert plan.display == "< 5"
            assert plan.suppressed_below == 5


def test_provider_wide_facts_and_a_user_with_access_are_not_withheld() -> None:
    """Staff with a VOG, evaluations, complaints procedure and quarterly overviews count no
    clients: shown even when small. Threshold None (the user sees every client): nothing."""
    (row,) = suppress_small_numbers([_results(1, 2, staff=2)], 5, additive=False)
    vog = next(r for r in row if r.code == "vog")
    assert (vog.numerator, vog.denominator, vog.status) == (2, 2, Status.MET)
    assert {r.code for r in row if r.status == Status.SUPPRESSED} == {"plan_signed"}
    assert "vog" not in CLIENT_BASED and "plan_signed" in CLIENT_BASED
    (untouched,) = suppress_small_numbers([_results(1, 2)], None, additive=False)
    assert _plan(untouched).numerator == 1


# --- Who gets the threshold ----------------------------------------------------------------


def test_threshold_per_user(
    two_providers: tuple[Product, Product],
    contract_manager: User,
    case_manager: User,
    provider_user_a: User,
    make_user: Callable[..., User],
    settings: Any,
) -> None:
    """The contract manager (aggregates only) gets it; the case manager of every client
    behind the numbers does not; another case manager does; provider A's staff see their own
    provider's counts (every trajectory there is theirs to see) but not B's; threshold 1
    switches it off."""
    a, b = two_providers
    ids = [a.provider_id, b.provider_id]
    assert selectors.small_number_threshold(contract_manager, ids) == 5
    assert selectors.small_number_threshold(case_manager, ids) is None
    assert selectors.small_number_threshold(make_user(RoleCode.CASE_MANAGER), ids) == 5
    assert selectors.small_number_threshold(provider_user_a, [a.provider_id]) is None
    assert selectors.small_number_threshold(provider_user_a, [b.provider_id]) == 5
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 1
    assert selectors.small_number_threshold(contract_manager, ids) is None


# --- Every surface -------------------------------------------------------------------------


def test_comparison_page_and_chart(
    two_providers: tuple[Product, Product], contract_manager: User, case_manager: User
) -> None:
    """The comparison table, its total row and the chart's table show "< 5" instead of
    "1 / 2" and "50,0%"; the case manager of all three clients sees the counts."""
    url = reverse("indicators:overview") + "?" + PERIOD
    html = _login(contract_manager).get(url).content.decode()
    assert MARKER_HTML in html
    assert "1 / 2" not in html and "50,0%" not in html
    assert "kleine aantallen" in html
    own = _login(case_manager).get(url).content.decode()
    assert "1 / 2" in own and "50,0%" in own


def test_chart_draws_no_bar_for_a_withheld_value(
    two_providers: tuple[Product, Product], contract_manager: User
) -> None:
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 10, 31))
    comparison = selectors.provider_comparison(contract_manager, period=period, today=TODAY)
    svg = str(charts.bar_chart(comparison.rows, "plan_signed", title="Plan"))
    assert MARKER_HTML in svg
    assert "50,0%" not in svg


def test_drill_in_per_provider_and_product(
    two_providers: tuple[Product, Product], contract_manager: User, case_manager: User
) -> None:
    a, _b = two_providers
    url = reverse("indicators:provider", args=[a.provider_id]) + "?" + PERIOD
    html = _login(contract_manager).get(url).content.decode()
    assert MARKER_HTML in html and "1 / 2" not in html and "50,0%" not in html
    assert "1 / 2" in _login(case_manager).get(url).content.decode()


def test_panel_on_the_product_page(
    two_providers: tuple[Product, Product],
    make_user: Callable[..., User],
    case_manager: User,
) -> None:
    """The instrument guide's product page: another case manager (providers.view, not the
    clients) sees "< 5"; the case manager of the clients sees "1 / 2"."""
    a, _b = two_providers
    url = reverse("providers:product", args=[a.pk])
    other = _login(make_user(RoleCode.CASE_MANAGER)).get(url).content.decode()
    assert "Prestatie-indicatoren" in other
    assert MARKER_HTML in other and "1 / 2" not in other
    assert "1 / 2" in _login(case_manager).get(url).content.decode()


def test_export_writes_the_marker_as_text(
    two_providers: tuple[Product, Product], contract_manager: User
) -> None:
    """xlsx: the value cell and the counts read "< 5" (text), on every sheet."""
    response = _login(contract_manager).get(reverse("indicators:export") + "?" + PERIOD)
    wb = load_workbook(BytesIO(response.content))
    plan_column = 2  # column B: indicator 1
    providers = wb["Aanbieders"]
    assert {providers.cell(row=r, column=plan_column).value for r in (3, 4, 5)} == {"< 5"}
    products = wb["Producten"]
    assert products.cell(row=2, column=3).value == "< 5"
    counts = [row for row in wb["Tellingen"].iter_rows(min_row=2, values_only=True)]
    plan_rows = [row for row in counts if row[1] == INDICATORS[0].label]
    assert plan_rows and all(row[2:5] == ("< 5", "< 5", "< 5") for row in plan_rows)
    vog_rows = [row for row in counts if row[1].startswith("5.")]
    assert all(row[2] != "< 5" for row in vog_rows)  # staff are no clients


def test_api_both_operations(
    two_providers: tuple[Product, Product],
    contract_manager: User,
    case_manager: User,
    api_as: Callable[[User], Any],
) -> None:
    """API: numerator, denominator and value null, status `suppressed`, `suppressedBelow` 5
    (the provider, its products and the list); the case manager of the clients gets counts."""
    a, _b = two_providers
    api = api_as(contract_manager)
    one = api.get(f"/api/v1/providers/{a.provider_id}/indicators{API_PERIOD}").json()
    listed = api.get(f"/api/v1/provider-indicators{API_PERIOD}").json()
    plans = [
        next(i for i in indicators if i["code"] == "plan_signed")
        for indicators in [
            one["indicators"],
            *(p["indicators"] for p in one["products"]),
            *(row["indicators"] for row in listed),
        ]
    ]
    assert len(plans) == 4
    for plan in plans:
        assert plan["status"] == "suppressed"
        assert plan["suppressedBelow"] == 5
        assert (plan["numerator"], plan["denominator"], plan["value"]) == (None, None, None)
        assert plan["display"] == "< 5"
    own = api_as(case_manager).get(f"/api/v1/providers/{a.provider_id}/indicators{API_PERIOD}")
    plan = next(i for i in own.json()["indicators"] if i["code"] == "plan_signed")
    assert (plan["numerator"], plan["denominator"], plan["suppressedBelow"]) == (1, 2, None)
    assert Decimal(plan["value"]) == Decimal("50.00")
