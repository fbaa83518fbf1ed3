"""The xlsx export of the provider comparison (R-PI-1): typed cells (shares as percentages,
costs as euro numbers), 'geen gegevens' as an empty value with the status beside it, a
withheld small number as the text "< 5" (R-SEC-1; the selectors decide what is withheld). Written
by core's export kit (user text stays text, R-SEC-6)."""

from __future__ import annotations

from typing import Any

from opstap.core.dutch import format_date
from opstap.core.exports import DECIMAL1, MONEY, PCT1, Sheet, XCell, xlsx_bytes

from .computation import INDICATORS, IndicatorResult, Kind, Status
from .selectors import Comparison, Row

PCT = PCT1


def _cell_value(result: IndicatorResult) -> Any:
    if result.status == Status.SUPPRESSED:
        return result.display  # the marker "< 5" as text (small numbers, R-SEC-1)
    if result.value is None:
        return None
    if result.kind == Kind.SHARE:
        return float(result.value) / 100
    return result.value  # Decimal: openpyxl writes a number


def _format(result: IndicatorResult) -> str:
    return {Kind.SHARE: PCT1, Kind.MONEY: MONEY}.get(Kind(result.kind), DECIMAL1)


def _count(result: IndicatorResult, count: int | None) -> Any:
    """A numerator or denominator; the marker "< 5" when the result is withheld."""
    return result.display if result.status == Status.SUPPRESSED else count


def _cell(result: IndicatorResult) -> XCell:
    return XCell(_cell_value(result), _format(result))


def comparison_xlsx(comparison: Comparison, products: list[Row]) -> bytes:
    period = comparison.period
    label = f"{format_date(period.start)} t/m {format_date(period.end)}"
    bold: list[Any] = [XCell(f"Prestatie-indicatoren aanbieders, periode {label}", bold=True)]

    def head(*titles: str) -> list[Any]:
        return [XCell(t, bold=True) for t in titles]

    providers: list[list[Any]] = [
        bold,
        head("Aanbieder", *(d.label for d in INDICATORS)),
        *(
            [row.name, *(_cell(r) for r in row.results)]
            for row in [*comparison.rows, *([comparison.total] if comparison.total else [])]
        ),
    ]
    trajectory_based = [i for i, d in enumerate(INDICATORS) if not d.provider_only]
    per_product: list[list[Any]] = [
        head("Aanbieder", "Product", *(d.label for d in INDICATORS if not d.provider_only)),
        *(
            [row.provider_name, row.name, *(_cell(row.results[i]) for i in trajectory_based)]
            for row in products
        ),
    ]
    counts: list[list[Any]] = [
        head("Aanbieder", "Indicator", "Teller", "Noemer", "Waarde", "Norm", "Status"),
        *(
            [
                row.name,
                result.label,
                _count(result, result.numerator),
                _count(result, result.denominator),
                _cell(result),
                XCell(float(result.target) / 100 if result.target is not None else None, PCT),
                result.status_label,
            ]
            for row in comparison.rows
            for result in row.results
        ),
    ]
    return xlsx_bytes(
        [
            Sheet("Aanbieders", providers, widths={1: 36}),
            Sheet("Producten", per_product, widths={1: 30, 2: 36}),
            Sheet("Tellingen", counts, widths={1: 30, 2: 50}),
        ]
    )
