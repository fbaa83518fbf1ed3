"""`indicator_cell`: one indicator in a cell of the comparison tables, with the markup the
included `_cell.html` wrote before (issue 18), for every status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from opstap.indicators.computation import IndicatorResult, Status


def _result(
    status: Status, value: str | None, kind: str = "share", **extra: object
) -> IndicatorResult:
    return IndicatorResult(
        code="plan_signed",
        label="Plan getekend",
        kind=kind,
        numerator=3,
        denominator=4,
        value=None if value is None else Decimal(value),
        target=Decimal("80"),
        status=status,
        explanation="",
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("result", "html"),
    [
        (
            _result(Status.MET, "87.5"),
            '87,5% <span class="opstap-badge opstap-badge--ok">norm</span>',
        ),
        (
            _result(Status.NOT_MET, "12.25"),
            '12,3% <span class="opstap-badge opstap-badge--danger">onder norm</span>',
        ),
        # a no-break space after €: the amount does not wrap at 320 px (WCAG 1.4.10)
        (_result(Status.NO_TARGET, "1234.5", kind="money"), "€\u00a01.234,50"),
        (_result(Status.NO_TARGET, "7.84", kind="score"), "7,8"),
        (_result(Status.NO_DATA, None), '<span class="opstap-muted">geen gegevens</span>'),
        (
            _result(Status.NOT_APPLICABLE, None),
            '<span class="opstap-muted">per aanbieder</span>',
        ),
        (
            _result(Status.SUPPRESSED, None, suppressed_below=5),
            '<span class="opstap-muted">&lt; 5</span><span class="opstap-visually-hidden"> '
            "(kleine aantallen worden niet getoond)</span>",
        ),
    ],
    ids=["met", "not met", "money", "score", "no data", "not applicable", "suppressed"],
)
def test_cell_markup(result: IndicatorResult, html: str) -> None:
    template = Template("{% load indicators %}<td>{{ r|indicator_cell }}</td>")
    assert template.render(Context({"r": result})) == f"<td>{html}</td>"
