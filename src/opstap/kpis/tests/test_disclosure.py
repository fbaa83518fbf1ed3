"""Small-number disclosure (issue 19 item 11, R-SEC-1): KPI breakdowns, trends and totals
went down to 1 client. For users without access to the clients behind them, counts of 1-4
(threshold `OPSTAP_SMALL_NUMBER_THRESHOLD`, default 5) show as "< 5" in the pages and the
exports and as null with `suppressedBelow` in the API."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from opstap.kpis import disclosure, selectors
from opstap.kpis.formulas import SLUGS_NL, KpiCode

from .conftest import World


@pytest.fixture(autouse=True)
def _threshold(settings: Any) -> None:
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 5


def _login(user: Any) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.mark.parametrize(
    ("counts", "additive", "hidden"),
    [
        ([0, 5, 12], True, [False, False, False]),  # zero discloses no one
        ([1, 5, 12], True, [True, True, False]),  # one hidden: the smallest other too
        ([1, 4, 12], True, [True, True, False]),
        ([1, 5, 12], False, [True, False, False]),  # overlapping groups: no secondary
        ([None, 3], True, [False, True]),
        ([4, 0], True, [True, False]),  # no other non-zero cell to hide
    ],
)
def test_suppressed_cells_table(counts, additive, hidden) -> None:
    assert disclosure.suppressed_cells(counts, 5, additive=additive) == hidden


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_a_single_hidden_cell_is_never_computable_from_the_total(counts: list[int]) -> None:
    """Property: in an additive breakdown, either no cell or at least two non-zero cells
    are hidden (or the only hidden one has no non-zero partner), and every small one is."""
    hidden = disclosure.suppressed_cells(counts, 5, additive=True)
    assert all(h for c, h in zip(counts, hidden, strict=True) if 0 < c < 5)
    others = [c for c, h in zip(counts, hidden, strict=True) if not h and c > 0]
    assert sum(hidden) != 1 or not others


def test_policy_officer_sees_markers_not_small_counts(world: World, policy_officer) -> None:
    """R-SEC-1: the breakdowns per municipality/unit/target group and the trend of the test
    world hold 1-3 clients per cell: a policy officer sees "< 5" (before: the exact 1)."""
    html = (
        _login(policy_officer)
        .get(reverse("kpis:detail", args=[SLUGS_NL[KpiCode.ACTIVE_GUIDANCE_WORK]]))
        .content.decode()
    )
    assert "&lt; 5" in html
    assert 'id="small-numbers"' in html
    assert 'data-kpi="active-guidance-work">&lt; 5' in html  # total 2 of 3: hidden too
    assert "66,7%" not in html


def test_team_lead_filtered_on_own_unit_sees_exact_numbers(world: World, steering_cm) -> None:
    """Users with access to every client behind the numbers see them exactly: the team lead
    of Unit Werk, filtered on that unit. Unfiltered (care clients outside the scope): hidden."""
    http = _login(steering_cm)
    url = reverse("kpis:detail", args=[SLUGS_NL[KpiCode.ACTIVE_GUIDANCE_WORK]])
    assert "&lt; 5" in http.get(url).content.decode()
    own = http.get(url, {"jaar": 2026, "unit": "work"}).content.decode()
    assert "&lt; 5" not in own and 'id="small-numbers"' not in own


def test_exports_and_api_carry_the_marker(
    world: World, policy_officer, api_as: Callable[..., Any]
) -> None:
    """The xlsx shows "< 5" as text; the API gives null with suppressedBelow = 5."""
    response = _login(policy_officer).get(reverse("kpis:export_xlsx"), {"jaar": 2026})
    wb = load_workbook(io.BytesIO(response.content))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "< 5" in values
    assert response.status_code == 200
    body = api_as(policy_officer).get("/api/v1/kpis", {"year": 2026}).json()
    guided = {k["code"]: k for k in body["kpis"]}["active-guidance-work"]
    assert guided["numerator"] is None and guided["realised"] is None
    assert guided["suppressedBelow"] == 5
    assert "66.7" not in str(guided)


def test_threshold_is_configurable(world: World, policy_officer, settings, ctx_for) -> None:
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 2
    assert selectors.small_number_threshold(policy_officer, ctx_for()) == 2
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 1
    assert selectors.small_number_threshold(policy_officer, ctx_for()) is None


def test_report_summary_carries_the_marker_too(world: World, policy_officer) -> None:
    """R-SEC-1: the council report's first page (the xlsx sheet 'Samenvatting' and the PDF's
    opening lines) showed the realisation of a suppressed KPI exactly (66,7%: 2 of 3
    clients) while the KPI table below it said "< 5"."""
    response = _login(policy_officer).get(reverse("kpis:export_xlsx"), {"jaar": 2026})
    summary = load_workbook(io.BytesIO(response.content))["Samenvatting"]
    rows = {row[0].value: row[1].value for row in summary.iter_rows() if row[0].value}
    guided = next(k for k in rows if str(k).startswith("Actief begeleid naar werk"))
    assert rows[guided] == "< 5"
    numbers = [v for v in rows.values() if isinstance(v, float)]
    assert all(abs(v - 2 / 3) > 0.001 for v in numbers)


def test_a_hidden_count_has_no_hidden_denominator() -> None:
    """The council report's KPI table showed "< 5" under "Noemer" for a suppressed count
    ("Plaatsingen via arbeidsmarktregio"), which has no denominator: it now shows none."""
    from decimal import Decimal

    from opstap.kpis import formulas
    from opstap.kpis.report import summary_table

    definition = formulas.definition(KpiCode.PLACEMENTS_AMR)
    result = formulas.evaluate(
        definition, formulas.KpiCounts(numerator=1), target=Decimal(20), elapsed=Decimal(1)
    )
    (row,) = summary_table([result], threshold=5).rows
    assert row[2].value == row[4].value == "< 5"  # realisation and numerator hidden
    assert row[5].value is None  # no denominator to hide


def test_pdf_aligns_the_marker_like_the_numbers() -> None:
    """The council PDF printed "< 5" at the left of its column while the numbers in the same
    column stood at the right (the marker was a plain text cell); it now aligns right."""
    import re
    from decimal import Decimal

    from django.template.loader import render_to_string
    from django.utils import timezone

    from opstap.core.reports import Report
    from opstap.kpis import formulas
    from opstap.kpis.report import summary_table

    hidden = formulas.evaluate(
        formulas.definition(KpiCode.PLACEMENTS_AMR),
        formulas.KpiCounts(numerator=1),
        target=Decimal(20),
        elapsed=Decimal(1),
    )
    shown = formulas.evaluate(
        formulas.definition(KpiCode.PLACEMENTS),
        formulas.KpiCounts(numerator=12),
        target=Decimal(305),
        elapsed=Decimal(1),
    )
    table = summary_table([hidden, shown], threshold=5)
    html = render_to_string(
        "core/report_pdf.html",
        {
            "report": Report("KPI's", tables=(table,)),
            "charts": [],
            "organisation": None,
            "generated_at": timezone.now(),
        },
    )
    cells = re.findall(r'<td class="([^"]*)">([^<]*)</td>', html)
    markers = [cls for cls, text in cells if text == "&lt; 5"]
    assert len(markers) == 2  # realisation and numerator
    assert markers == ["num", "num"]
    assert ("num", "12") in cells  # the numbers beside them
    assert ("num", "&lt; 5") in cells


def test_a_hidden_month_cannot_be_computed_from_the_year() -> None:
    """R-SEC-1: walked in the demo council report, 'Werkfit gemaakt' read 23 for 2026 and per
    month 'okt < 5', 'nov 20', 'dec < 5'; with a single small month, the year minus the other
    months gave it exactly (23 - 20 = 3). The months of the measurement year add up to the
    year's count, so a second month is hidden with it, in the table and in the chart; a
    month-end stock (actively guided) has no such total and keeps its other months."""
    import datetime as dt
    from decimal import Decimal

    from opstap.kpis import formulas
    from opstap.kpis.report import trend_chart, trend_table
    from opstap.kpis.selectors.trend import TrendPoint

    months = [dt.date(2026, m, 1) for m in range(1, 13)]
    counts = [0] * 9 + [3, 20, 0]
    points = [TrendPoint(m, Decimal(c), c) for m, c in zip(months, counts, strict=True)]
    definition = formulas.definition(KpiCode.WERKFIT)
    result = formulas.evaluate(
        definition, formulas.KpiCounts(numerator=23), target=Decimal(200), elapsed=Decimal(1)
    )
    rows = trend_table(result, points, threshold=5).rows
    assert [r[2].value for r in rows[9:11]] == ["< 5", "< 5"]  # October and November
    assert rows[0][2].value == 0  # zero discloses no one
    values = trend_chart(result, points, threshold=5).series[0].values
    assert values[9] is None and values[10] is None

    stock = [TrendPoint(m, Decimal(50), c, 900) for m, c in zip(months, counts, strict=True)]
    guided = formulas.evaluate(
        formulas.definition(KpiCode.ACTIVE_GUIDANCE_WORK),
        formulas.KpiCounts(numerator=20, denominator=900),
        target=Decimal(100),
        elapsed=Decimal(1),
    )
    rows = trend_table(guided, stock, threshold=5).rows
    assert rows[9][2].value == "< 5" and rows[10][2].value == 20
