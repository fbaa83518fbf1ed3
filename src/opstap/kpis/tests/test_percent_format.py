"""A percentage reads the same on a KPI card as in a finance or KPI report (its table, its
chart, the xlsx) and in a template: one rule, `opstap.core.dutch.format_percent`."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from opstap.core.charts import _fmt as chart_label
from opstap.core.exports import PCT_HOUSE, report_cell
from opstap.core.reports import Cell
from opstap.kpis.formulas import KpiKind
from opstap.kpis.report import value_cell
from opstap.kpis.views import fmt as kpi_card


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("66.7"), "66,7%"),
        (Decimal("28.39"), "28,39%"),
        (Decimal("100"), "100,0%"),
        (Decimal("9.00"), "9,0%"),
        (Decimal("-12.5"), "-12,5%"),
    ],
)
def test_the_same_percentage_reads_the_same_everywhere(value: Decimal, text: str) -> None:
    """The defect: a KPI card wrote 66,7% where the finance and KPI report tables wrote
    66,70% (and 28,39% on a report, 28,4% on a card)."""
    finance_report = Cell(value, "pct").display()  # the finance calculators' cells
    kpi_report = value_cell(KpiKind.SHARE, value).display()
    growth_card = kpi_card(KpiKind.GROWTH, value)
    template = Template("{% load opstap %}{{ v|nl_percent }}").render(Context({"v": value}))
    assert kpi_card(KpiKind.SHARE, value) == text
    assert finance_report == kpi_report == growth_card == template == text
    assert chart_label(float(value), "pct") == text
    # Excel shows the same decimals: at least one, a second only when there is one.
    assert report_cell(Cell(value, "pct")).number_format == PCT_HOUSE == "0.0#%"
