"""The chart and export kit: one SVG renderer per chart shape, typed Excel cells, CSV."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from opstap.core.charts import Bar, horizontal_bars, render_svg
from opstap.core.exports import MONEY, Sheet, XCell, csv_bytes, report_xlsx, xlsx_bytes
from opstap.core.reports import Cell, Chart, Report, Series, Table


def test_line_chart_is_accessible_and_escapes_text() -> None:
    chart = Chart("Klanten <per> maand", "line", ("jan 26", "feb 26"), (Series("A&B", (1.0, 2.0)),))
    svg = str(render_svg(chart))
    assert 'role="img"' in svg and "<title" in svg
    assert "Klanten &lt;per&gt; maand" in svg and "A&amp;B" in svg


def test_horizontal_bars_show_no_bar_without_data() -> None:
    svg = str(
        horizontal_bars(
            [Bar("Aanbieder A", 40.0, "40,0%"), Bar("Aanbieder B", None, "geen gegevens")],
            title="Uitstroom",
            top=100.0,
            norm=35.0,
            norm_label="norm 35%",
        )
    )
    assert svg.count("<rect") == 1
    assert "geen gegevens" in svg and "norm 35%" in svg


def test_xlsx_cells_are_typed() -> None:
    data = xlsx_bytes(
        [
            Sheet(
                "Blad",
                [
                    [XCell("Kop", bold=True)],
                    [dt.date(2026, 12, 3), XCell(Decimal("12.50"), MONEY), 7],
                ],
                widths={1: 20},
                freeze="A2",
            )
        ]
    )
    ws = load_workbook(io.BytesIO(data))["Blad"]
    assert ws["A1"].font.bold
    assert ws["A2"].number_format == "dd-mm-yyyy"
    assert ws["B2"].value == 12.5 and ws["B2"].number_format == MONEY
    assert ws["C2"].value == 7


def test_report_xlsx_writes_percentages_as_fractions() -> None:
    report = Report(
        "Model",
        summary=(("Totaal", Cell(Decimal("1500"), "money")),),
        tables=(
            Table("Per jaar", ("Jaar", "Aandeel"), ((Cell("2026"), Cell(Decimal("25"), "pct")),)),
        ),
    )
    wb = load_workbook(io.BytesIO(report_xlsx(report)))
    assert wb.sheetnames == ["Samenvatting", "Per jaar"]
    assert wb["Samenvatting"]["B5"].value == 1500
    assert wb["Per jaar"]["B3"].value == 0.25 and wb["Per jaar"]["B3"].number_format == "0.00%"


def test_csv_for_other_systems() -> None:
    data = csv_bytes(("Datum", "Bedrag", "Leeg"), [(dt.date(2026, 12, 3), Decimal("1.5"), None)])
    assert data.decode("utf-8-sig") == "Datum;Bedrag;Leeg\r\n2026-12-03;1.50;\r\n"
