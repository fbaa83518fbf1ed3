"""The xlsx export of the provider comparison (R-PI-1): typed cells (shares as percentages,
costs as euro numbers), 'geen gegevens' as an empty value with the status beside it."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from opstap.core.export_safety import save_workbook, xlsx_value

from .computation import INDICATORS, IndicatorResult, Kind
from .selectors import Comparison, Row

PCT = "0.0%"
EURO = '"€" #,##0.00'
SCORE = "0.0"


def _cell_value(result: IndicatorResult) -> Any:
    if result.value is None:
        return None
    if result.kind == Kind.SHARE:
        return float(result.value) / 100
    return result.value  # Decimal: openpyxl writes a number


def _format(result: IndicatorResult) -> str:
    return {Kind.SHARE: PCT, Kind.MONEY: EURO}.get(Kind(result.kind), SCORE)


def _write_row(
    ws: Any, row_idx: int, leading: list[Any], results: tuple[IndicatorResult, ...]
) -> None:
    for col, value in enumerate(leading, start=1):
        ws.cell(row=row_idx, column=col, value=xlsx_value(value))
    for i, result in enumerate(results):
        cell = ws.cell(row=row_idx, column=len(leading) + 1 + i, value=_cell_value(result))
        cell.number_format = _format(result)


def comparison_xlsx(comparison: Comparison, products: list[Row]) -> bytes:
    wb = Workbook()
    bold = Font(bold=True)
    period = comparison.period
    label = f"{period.start:%d-%m-%Y} t/m {period.end:%d-%m-%Y}"

    ws: Any = wb.active
    ws.title = "Aanbieders"
    ws.append([f"Prestatie-indicatoren aanbieders (R-PI-1), periode {label}"])
    ws["A1"].font = bold
    ws.append(["Aanbieder", *(d.label for d in INDICATORS)])
    for cell in ws[2]:
        cell.font = bold
    row_idx = 3
    for row in [*comparison.rows, *([comparison.total] if comparison.total else [])]:
        _write_row(ws, row_idx, [row.name], row.results)
        row_idx += 1
    ws.column_dimensions["A"].width = 36

    wp = wb.create_sheet("Producten")
    wp.append(["Aanbieder", "Product", *(d.label for d in INDICATORS if not d.provider_only)])
    for cell in wp[1]:
        cell.font = bold
    trajectory_based = [i for i, d in enumerate(INDICATORS) if not d.provider_only]
    for idx, row in enumerate(products, start=2):
        results = tuple(row.results[i] for i in trajectory_based)
        _write_row(wp, idx, [row.provider_name, row.name], results)
    wp.column_dimensions["A"].width = 30
    wp.column_dimensions["B"].width = 36

    wt = wb.create_sheet("Tellingen")
    wt.append(["Aanbieder", "Indicator", "Teller", "Noemer", "Waarde", "Norm", "Status"])
    for cell in wt[1]:
        cell.font = bold
    for row in comparison.rows:
        for result in row.results:
            wt.append(
                [
                    xlsx_value(row.name),
                    result.label,
                    result.numerator,
                    result.denominator,
                    _cell_value(result),
                    float(result.target) / 100 if result.target is not None else None,
                    result.status_label,
                ]
            )
            wt.cell(row=wt.max_row, column=5).number_format = _format(result)
            wt.cell(row=wt.max_row, column=6).number_format = PCT
    wt.column_dimensions["A"].width = 30
    wt.column_dimensions["B"].width = 50

    out = BytesIO()
    save_workbook(wb, out)  # user text stays text (R-SEC-6)
    return out.getvalue()
