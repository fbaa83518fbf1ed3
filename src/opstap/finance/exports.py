"""Exports of a model report (R-INT-4): xlsx with typed cells (amounts as numbers with a euro
format, percentages as fractions with a percent format) and an A4 PDF fit for a council letter."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from opstap.core.export_safety import save_workbook, xlsx_value

from .charts import render_svg
from .report import Cell, Report, Table

FORMATS = {
    "money": "€ #,##0.00;[Red]-€ #,##0.00",
    "pct": "0.00%",
    "int": "#,##0",
    "decimal": "0.0",
}
HEADER_FILL = PatternFill("solid", fgColor="DDE6EE")


def _value(cell: Cell) -> Any:
    v = cell.value
    if v is None:
        return None
    if cell.kind == "pct":
        return float(Decimal(v) / 100)
    if cell.kind == "money":
        return float(Decimal(v))  # Excel stores doubles; cents are exact at these magnitudes
    if cell.kind == "int":
        return int(v)
    if cell.kind == "decimal":
        return float(Decimal(v))
    if cell.kind == "bool":
        return "ja" if v else "nee"
    return str(v)


def _write_cell(ws: Any, row: int, col: int, cell: Cell) -> None:
    target = ws.cell(row=row, column=col, value=xlsx_value(_value(cell)))
    if cell.kind in FORMATS:
        target.number_format = FORMATS[cell.kind]
    if cell.strong:
        target.font = Font(bold=True)


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Blad"
    name, n = base, 2
    while name in used:
        name = f"{base[:25]} {n}"
        n += 1
    used.add(name)
    return name


def _write_table(ws: Any, table: Table, start_row: int) -> int:
    ws.cell(row=start_row, column=1, value=table.title).font = Font(bold=True, size=12)
    for c, header in enumerate(table.headers, start=1):
        cell = ws.cell(row=start_row + 1, column=c, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=start_row + 2):
        for c, cell in enumerate(row, start=1):
            _write_cell(ws, r, c, cell)
    return start_row + len(table.rows) + 3


def report_xlsx(report: Report, *, scenario_name: str = "") -> bytes:
    wb = Workbook()
    ws: Any = wb.active
    used: set[str] = set()
    ws.title = _sheet_title("Samenvatting", used)
    ws.cell(row=1, column=1, value=report.title).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=xlsx_value(scenario_name) or "Niet opgeslagen berekening")
    ws.cell(row=3, column=1, value="Gemaakt op")
    ws.cell(
        row=3, column=2, value=timezone.localtime().replace(tzinfo=None)
    ).number_format = "dd-mm-yyyy hh:mm"
    row = 5
    for label, cell in report.summary:
        ws.cell(row=row, column=1, value=label)
        _write_cell(ws, row, 2, cell)
        row += 1
    for note in report.notes:
        row += 1
        ws.cell(row=row, column=1, value=note).alignment = Alignment(wrap_text=False)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 26
    for table in report.tables:
        sheet = wb.create_sheet(_sheet_title(table.title, used))
        _write_table(sheet, table, 1)
        for c in range(1, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 20 if c > 1 else 28
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    save_workbook(wb, buffer)  # user text stays text (R-SEC-6)
    return buffer.getvalue()


def report_pdf(
    report: Report, *, organisation: Any, scenario_name: str = "", meta: str = "Financieel model"
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "finance/report_pdf.html",
        {
            "report": report,
            "charts": [render_svg(c) for c in report.charts],
            "organisation": organisation,
            "scenario_name": scenario_name,
            "meta": meta,
            "generated_at": timezone.localtime(),
        },
    )
    return bytes(HTML(string=html).write_pdf())
