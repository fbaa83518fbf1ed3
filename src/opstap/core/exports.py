"""The export kit: xlsx with typed cells, CSV for other systems, and the A4 PDF of a report.

Excel files open cleanly in Excel: numbers are numbers (amounts with the euro format,
percentages as fractions with a percent format), dates are dates. Every workbook is written
row by row (openpyxl's write-only mode), so a large export costs little memory. User text
stays text in every cell, xlsx and CSV alike (`export_safety`, R-SEC-6: formula injection).
Used by the finance and KPI reports, the indicator comparison, the payment batch and the
audit trail.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .charts import render_svg
from .export_safety import csv_value, is_formula_like, write_only_text, xlsx_value
from .reports import Cell, Report, Table

__all__ = [
    "DATE",
    "DATETIME",
    "DECIMAL1",
    "INT",
    "MONEY",
    "PCT",
    "PCT1",
    "PCT_HOUSE",
    "TIMESTAMP",
    "Sheet",
    "XCell",
    "csv_bytes",
    "report_pdf",
    "report_xlsx",
    "xlsx_bytes",
    "xlsx_file",
]

#: Money in Excel, negative as on the pages (`money.format_euro`: "€ -100,00", not "-€ 100,00").
MONEY = "€ #,##0.00;[Red]€ -#,##0.00"
PCT = "0.00%"
PCT1 = "0.0%"
#: A report's percentage in Excel: the house rule of `dutch.format_percent` (28,4%, 28,39%).
PCT_HOUSE = "0.0#%"
INT = "#,##0"
DECIMAL1 = "0.0"
DATE = "dd-mm-yyyy"
DATETIME = "dd-mm-yyyy hh:mm"
TIMESTAMP = "yyyy-mm-dd hh:mm:ss"
HEADER_FILL = "DDE6EE"


@dataclass(frozen=True)
class XCell:
    """A value with its look: number format, bold, font size, wrapping, header fill."""

    value: Any
    number_format: str | None = None
    bold: bool = False
    size: float | None = None
    wrap: bool = False
    fill: str | None = None


@dataclass
class Sheet:
    """One worksheet: rows of plain values or `XCell`s (dates get the date format by
    themselves); `widths` by column number (1 = A); `freeze` e.g. ``"A2"``."""

    title: str
    rows: Iterable[Sequence[Any]]
    widths: Mapping[int, float] = field(default_factory=dict)
    freeze: str | None = None


def _cell(ws: Any, value: Any) -> Any:
    if not isinstance(value, XCell):
        if isinstance(value, dt.datetime):
            value = XCell(value, DATETIME)
        elif isinstance(value, dt.date):
            value = XCell(value, DATE)
        else:
            return write_only_text(ws, value)  # user text stays text (R-SEC-6)
    cell = WriteOnlyCell(ws, value=xlsx_value(value.value))
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if value.number_format:
        cell.number_format = value.number_format
    if value.bold or value.size:
        cell.font = Font(bold=value.bold, size=value.size)
    if value.wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if value.fill:
        cell.fill = PatternFill("solid", fgColor=value.fill)
    return cell


def _write(sheets: Iterable[Sheet], target: IO[bytes]) -> None:
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for column, width in sheet.widths.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        for row in sheet.rows:
            ws.append([_cell(ws, value) for value in row])
    wb.save(target)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    buffer = io.BytesIO()
    _write(sheets, buffer)
    return buffer.getvalue()


def xlsx_file(sheets: Iterable[Sheet]) -> IO[bytes]:
    """The workbook in a spooled temporary file (on disk above 10 MB), rewound."""
    output = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    _write(sheets, output)
    output.seek(0)
    return output


def csv_value_nl(value: Any) -> Any:
    """One CSV field as Dutch Excel reads it: dates `03-12-2026`, amounts with a decimal comma
    and two decimals (`1500,25`, no thousands separator, so the number stays a number), empty
    for none; user text that looks like a formula gets a leading apostrophe (R-SEC-6)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return csv_value(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV for Dutch Excel (issue 14): `;`-separated, UTF-8 with BOM (so é and € survive),
    decimal comma, dates as dd-mm-jjjj (`csv_value_nl`). Documented in docs/core.md."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_value_nl(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- Reports (finance models, KPI report) ---------------------------------------------------

_REPORT_FORMATS = {"money": MONEY, "pct": PCT_HOUSE, "int": INT, "decimal": DECIMAL1}


def report_cell(cell: Cell) -> XCell:
    """A report `Cell` as a typed Excel cell."""
    v = cell.value
    value: Any
    if v is None:
        value = None
    elif cell.kind == "pct":
        value = float(Decimal(v) / 100)
    elif cell.kind in ("money", "decimal"):
        value = float(Decimal(v))  # Excel stores doubles; cents are exact at these magnitudes
    elif cell.kind == "int":
        value = int(v)
    elif cell.kind == "bool":
        value = "ja" if v else "nee"
    else:
        value = str(v)
    return XCell(value, _REPORT_FORMATS.get(cell.kind), bold=cell.strong)


def _sheet_title(title: str, used: set[str]) -> str:
    """An Excel sheet name (at most 31 characters, none of []:*?/\\), shortened at a word
    boundary, never mid-word (issue 14), and unique in the workbook."""
    clean = " ".join("".join(ch for ch in title if ch not in "[]:*?/\\").split()) or "Blad"
    base = _whole_words(clean, 28)
    name, n = base, 2
    while name in used:
        suffix = f" {n}"
        name = _whole_words(clean, 28 - len(suffix)) + suffix
        n += 1
    used.add(name)
    return name


def _whole_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;-(\u2013")
    return cut if cut and len(cut) <= limit else text[:limit]


def _summary_rows(report: Report, scenario_name: str) -> Iterable[Sequence[Any]]:
    yield [XCell(report.title, bold=True, size=14)]
    yield [scenario_name or "Niet opgeslagen berekening"]
    yield ["Gemaakt op", XCell(timezone.localtime().replace(tzinfo=None), DATETIME)]
    yield []
    for label, cell in report.summary:
        yield [label, report_cell(cell)]
    for note in report.notes:
        yield []
        yield [note]


def _table_rows(table: Table) -> Iterable[Sequence[Any]]:
    yield [XCell(table.title, bold=True, size=12)]
    yield [XCell(h, bold=True, wrap=True, fill=HEADER_FILL) for h in table.headers]
    for row in table.rows:
        yield [report_cell(cell) for cell in row]


def report_xlsx(report: Report, *, scenario_name: str = "") -> bytes:
    """A summary sheet, then one sheet per table."""
    used: set[str] = set()
    summary = Sheet(
        _sheet_title("Samenvatting", used),
        _summary_rows(report, scenario_name),
        widths={1: 48, 2: 26},
    )
    tables = [
        Sheet(
            _sheet_title(table.title, used),
            _table_rows(table),
            widths={c: 20 if c > 1 else 28 for c in range(1, len(table.headers) + 1)},
            freeze="A3",
        )
        for table in report.tables
    ]
    return xlsx_bytes([summary, *tables])


def report_pdf(
    report: Report, *, organisation: Any, scenario_name: str = "", meta: str = "Financieel model"
) -> bytes:
    """The report on A4 with the organisation's letterhead, fit for a council letter."""
    from weasyprint import HTML

    html = render_to_string(
        "core/report_pdf.html",
        {
            "report": report,
            "charts": [(c, render_svg(c)) for c in report.charts],
            # a table of more than six columns is printed across the page (issue 14: the
            # business case lost every column after "Besparing jaar 1" in portrait)
            "landscape": any(len(t.headers) > 6 for t in report.tables),
            "organisation": organisation,
            "scenario_name": scenario_name,
            "meta": meta,
            "generated_at": timezone.localtime(),
        },
    )
    return bytes(HTML(string=html).write_pdf())
