"""User text in spreadsheets stays text (R-SEC-6: formula injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice (``=HYPERLINK(...)``, DDE). Every export that writes text a
user typed goes through this module:

- **CSV**: such a text cell gets a leading apostrophe (the OWASP advice), so a spreadsheet
  shows the text and never evaluates it; numbers we format ourselves (``-12.50``) stay as they
  are because only ``str`` values pass through :func:`csv_value`.
- **xlsx**: the cell's data type is set to *string* and the cell gets Excel's ``quotePrefix``
  style, so it is stored as text and stays text when a user edits it. Our exports never write
  formulas, so :func:`neutralise_workbook` turns every formula cell into a text cell; write-only
  workbooks (streamed) build their cells with :func:`write_only_text`.
- Characters that XML (and so xlsx) cannot hold are removed instead of crashing the export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet treat this text as (the start of) a formula?"""
    return text.startswith(FORMULA_PREFIXES)


def clean_text(text: str) -> str:
    """Remove the control characters an xlsx file cannot store."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def csv_value(value: Any) -> Any:
    """One CSV cell: user text that looks like a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(v) for v in values]


def xlsx_value(value: Any) -> Any:
    """A value fit for an openpyxl cell assignment (illegal characters removed)."""
    return clean_text(value) if isinstance(value, str) else value


def neutralise_workbook(workbook: Any) -> Any:
    """Make every formula-like cell of a (normal, not write-only) workbook a text cell."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (isinstance(value, str) and is_formula_like(value)):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook


def write_only_text(sheet: Any, value: Any) -> Any:
    """A cell for a write-only sheet: text stays text, other values are passed as they are."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=clean_text(value))
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def save_workbook(workbook: Any, target: Any) -> None:
    """Neutralise formulas, then save (normal workbooks)."""
    neutralise_workbook(workbook)
    workbook.save(target)
