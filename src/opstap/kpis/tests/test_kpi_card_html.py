"""The KPI cards of the dashboard and the detail page are written in the view (issue 18:
through the template engine they were an eighth of the dashboard's Python calls): every card, with
and without a link, with suppressed counts ("< 5"), without a denominator, with months
without a denominator and with a growth or score KPI, equals what the card's template wrote
(`card_template_before.html`, as it was) on the same card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines

from opstap.kpis import formulas as f
from opstap.kpis.selectors import TrendPoint
from opstap.kpis.views import _card, card_html

#: `kpis/_card.html` as it was until the cards were written in the view.
CARD_TEMPLATE = (Path(__file__).parent / "card_template_before.html").read_text(encoding="utf-8")

MONTHS = [dt.date(2025, m, 1) for m in range(2, 13)] + [dt.date(2026, 1, 1)]


def _points(code: f.KpiCode, base: int) -> list[TrendPoint]:
    kind = f.definition(code).kind
    points = []
    for i, month in enumerate(MONTHS):
        n = base + i * 7 if i % 4 else i  # some months under the threshold
        if kind is f.KpiKind.SHARE:
            d = None if i == 3 else 40 + i
            points.append(TrendPoint(month, f.share_pct(n, d) if d else None, n, d))
        elif kind is f.KpiKind.SCORE:
            points.append(TrendPoint(month, Decimal("7.4") if i % 2 else None, n))
        else:
            points.append(TrendPoint(month, Decimal(n), n))
    return points


@pytest.mark.parametrize("code", list(f.KpiCode))
@pytest.mark.parametrize("threshold", [None, 5, 2000])
@pytest.mark.parametrize("link", [True, False])
@pytest.mark.parametrize("query", ["", "gemeente=3&unit=work"])
def test_kpi_card_html_is_what_its_template_wrote(
    code: f.KpiCode, threshold: int | None, link: bool, query: str
) -> None:
    d = f.definition(code)
    denominator = 1234 if d.kind in (f.KpiKind.SHARE, f.KpiKind.GROWTH) else None
    counts = f.KpiCounts(
        numerator=3 if threshold == 2000 else 1035,
        denominator=denominator,
        score=Decimal("7.25") if d.kind is f.KpiKind.SCORE else None,
    )
    target = None if code is f.KpiCode.PLACEMENTS_AMR else Decimal("55")
    result = f.evaluate(d, counts, target=target, elapsed=Decimal("0.9"))
    card = _card(result, _points(code, 11), query, threshold)
    template = engines["django"].from_string(CARD_TEMPLATE)
    expected = template.render({"card": card, "link": link})
    assert str(card_html(card, link=link)) == expected
