"""The chart and export kit: one SVG renderer per chart shape, typed Excel cells, CSV."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from opstap.core.charts import Bar, horizontal_bars, nice_ticks, render_svg
from opstap.core.exports import (
    MONEY,
    Sheet,
    XCell,
    csv_bytes,
    report_pdf,
    report_xlsx,
    xlsx_bytes,
)
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
    assert wb["Per jaar"]["B3"].value == 0.25 and wb["Per jaar"]["B3"].number_format == "0.0#%"


def test_csv_for_dutch_excel() -> None:
    """Issue 14: `;`, decimal comma, dd-mm-jjjj, UTF-8 with BOM (Dutch Excel reads 1.50 as
    150 or as a date; it reads 1500,25 as the number)."""
    data = csv_bytes(
        ("Datum", "Bedrag", "Leeg", "Tekst"),
        [(dt.date(2026, 12, 3), Decimal("1500.25"), None, "€ en é")],
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == ("Datum;Bedrag;Leeg;Tekst\r\n03-12-2026;1500,25;;€ en é\r\n")


def test_sheet_names_are_whole_words_and_unique() -> None:
    """Issue 14: sheet names were cut mid-word at 28 characters."""
    long = "Uitgaven per gemeente en instrument (prognose)"
    report = Report(
        "Model",
        tables=(
            Table(long, ("A",), ((Cell("x"),),)),
            Table(long, ("A",), ((Cell("y"),),)),
        ),
    )
    names = load_workbook(io.BytesIO(report_xlsx(report))).sheetnames
    assert names == ["Samenvatting", "Uitgaven per gemeente en", "Uitgaven per gemeente en 2"]
    assert all(len(n) <= 31 for n in names)


def test_report_pdf_prints_every_column_and_titles_its_charts() -> None:
    """Issue 14: the business-case PDF dropped every column after the fifth; charts had no
    title. Checked from the PDF's own text."""
    from pypdf import PdfReader

    headers = tuple(f"Kolom{i}" for i in range(1, 12))
    row = tuple(Cell(Decimal("1234567.89"), "money") for _ in headers)
    report = Report(
        "Businesscase",
        tables=(Table("Per jaar", headers, (row,)),),
        charts=(Chart("Netto resultaat per jaar", "bar", ("2026",), (Series("A", (1.0,)),)),),
    )
    organisation = type("Org", (), {"name": "RSD de Liemers"})()
    reader = PdfReader(io.BytesIO(report_pdf(report, organisation=organisation)))
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    compact = text.replace("\n", " ")
    for header in headers:
        assert header in compact, header
    assert compact.count("€ 1.234.567,89") == len(headers)
    assert "Netto resultaat per jaar" in compact
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape for a wide table


@pytest.mark.parametrize(
    ("lo", "hi", "whole", "ticks"),
    [
        (0, 3, True, [0, 1, 2, 3]),  # issue 14 read "0, 1, 2, 2, 3"
        (0, 1, True, [0, 1]),
        (0, 28.4, False, [0, 10, 20, 30]),
        (-1_000_000, 1_000_000, False, [-1_000_000, -500_000, 0, 500_000, 1_000_000]),
    ],
)
def test_axis_ticks_are_round_and_distinct(
    lo: float, hi: float, whole: bool, ticks: list[float]
) -> None:
    got = nice_ticks(lo, hi, whole=whole)
    assert got == ticks
    assert len(set(got)) == len(got)
    svg = str(render_svg(Chart("T", "bar", ("a",), (Series("s", (float(hi),)),), unit="int")))
    assert 'font-size="13"' in svg


def test_negative_money_in_excel_reads_as_on_the_page() -> None:
    """One money style: a credit note read "€ -100,00" on the batch page and "-€ 100,00" in
    the batch's xlsx (walked in the demo). The negative section of the Excel format now puts
    the sign where `format_euro` does."""
    import re

    from opstap.core.money import format_euro

    negative = re.sub(r"\[[A-Za-z]+\]", "", MONEY.split(";")[1])
    page = format_euro(Decimal("-100"))
    assert page == "€ -100,00"
    assert negative.startswith(page.split("1", 1)[0])  # "€ -" before the digits
