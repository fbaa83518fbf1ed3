"""A server-rendered horizontal bar chart of one indicator per provider (no script, CSP).
Shown beside its table; providers without data get a 'geen gegevens' label, not a bar. The
drawing is core's chart kit; this module only says which bar gets which colour."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from opstap.core.charts import COLOUR_INFO, COLOUR_MET, COLOUR_NOT_MET, Bar, horizontal_bars

from .computation import Kind
from .selectors import Row


def bar_chart(rows: Sequence[Row], code: str, *, title: str) -> SafeString:
    """Bars of indicator `code` for each row (0-100% for shares, 0-max for money/scores)."""
    if not rows:
        return horizontal_bars((), title=title, top=1.0)
    results = [row.result(code) for row in rows]
    kind = results[0].kind
    values = [float(r.value) for r in results if r.value is not None]
    top = 100.0 if kind == Kind.SHARE else max(values or [1.0]) * 1.1 or 1.0
    target = results[0].target
    bars = [
        Bar(
            label=row.name,
            value=None if result.value is None else float(result.value),
            display=result.display,
            colour={"met": COLOUR_MET, "not_met": COLOUR_NOT_MET}.get(result.status, COLOUR_INFO),
        )
        for row, result in zip(rows, results, strict=True)
    ]
    norm = float(target) if target is not None and kind == Kind.SHARE else None
    return horizontal_bars(
        bars,
        title=title,
        top=top,
        norm=norm,
        norm_label=f"norm {target:.0f}%" if norm is not None else "",
        element_id="ind-chart-title",
    )
