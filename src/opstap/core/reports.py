"""A report as plain tables and chart series: one shape that the HTML page, the xlsx export
and the PDF all render, so the three can never disagree (finance models, KPI reports).
No business rules here; numbers are written by `opstap.core.dutch`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .dutch import format_number, format_percent
from .money import format_euro, format_euro_html

CellKind = Literal["text", "int", "money", "pct", "bool", "decimal"]


@dataclass(frozen=True)
class Cell:
    value: str | int | Decimal | bool | None
    kind: CellKind = "text"
    strong: bool = False
    #: A text that stands where a number stands (the small-number marker "< 5"): written as
    #: text in the xlsx, aligned right like the numbers in the page and the PDF.
    in_place_of_number: bool = False

    @property
    def is_number(self) -> bool:
        return self.kind in ("int", "money", "pct", "decimal")

    @property
    def aligns_right(self) -> bool:
        return self.is_number or self.in_place_of_number

    def display(self) -> str:
        """Dutch notation: 1.411.750,00 and 28,39% (`format_percent`, the house rule)."""
        v = self.value
        if v is None:
            return "—"
        if self.kind == "bool":
            return "ja" if v else "nee"
        if self.kind == "int":
            return format_number(int(v))
        if self.kind == "money":
            return format_euro(Decimal(v))
        if self.kind == "pct":
            return format_percent(Decimal(v))
        if self.kind == "decimal":  # e.g. a mark out of 10: 8,2
            return format_number(Decimal(v), 1)
        return str(v)

    def display_html(self) -> str:
        """`display` for a page: an amount keeps € and number on one line (no-break space);
        the PDF and the xlsx keep `display` and the number."""
        if self.kind == "money" and self.value is not None:
            return format_euro_html(Decimal(self.value))
        return self.display()


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    numeric_columns: tuple[bool, ...] = ()

    def column_is_number(self, index: int) -> bool:
        return any(row[index].aligns_right for row in self.rows if index < len(row))

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """(header, numeric column?) so numeric headers align right like their numbers."""
        return [(h, i > 0 and self.column_is_number(i)) for i, h in enumerate(self.headers)]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    kind: Literal["line", "bar"]
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: Literal["int", "money", "pct"] = "int"
    reference_line: float | None = None  # e.g. the 7.5% safety-net threshold
    reference_label: str = ""


@dataclass(frozen=True)
class Report:
    title: str
    summary: tuple[tuple[str, Cell], ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
