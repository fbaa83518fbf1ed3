"""A server-rendered horizontal bar chart of one indicator per provider (no script, CSP).
Shown beside its table; providers without data get a 'geen gegevens' label, not a bar."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .computation import Kind
from .selectors import Row

WIDTH = 640
LABEL_W = 220
RIGHT = 70
BAR_H = 22
GAP = 8
TOP = 28
COLOUR_MET = "#1e6b35"
COLOUR_NOT_MET = "#a4262c"
COLOUR_INFO = "#0b4f8a"


def bar_chart(rows: Sequence[Row], code: str, *, title: str) -> SafeString:
    """Bars of indicator `code` for each row (0-100% for shares, 0-max for money/scores)."""
    if not rows:
        return mark_safe("")
    results = [row.result(code) for row in rows]
    kind = results[0].kind
    values = [float(r.value) for r in results if r.value is not None]
    top = 100.0 if kind == Kind.SHARE else max(values or [1.0]) * 1.1 or 1.0
    plot_w = WIDTH - LABEL_W - RIGHT
    height = TOP + len(rows) * (BAR_H + GAP) + 10
    target = results[0].target
    parts = [
        f'<svg class="opstap-svg-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="ind-chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ind-chart-title">{escape(title)}</title>',
    ]
    for i, (row, result) in enumerate(zip(rows, results, strict=True)):
        y = TOP + i * (BAR_H + GAP)
        name = row.name if len(row.name) <= 32 else row.name[:31] + "…"
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H * 0.7:.1f}" text-anchor="end" '
            f'font-size="12" fill="#222">{escape(name)}</text>'
        )
        if result.value is None:
            parts.append(
                f'<text x="{LABEL_W + 4}" y="{y + BAR_H * 0.7:.1f}" font-size="12" '
                f'fill="#4a4a4a">{escape(result.display)}</text>'
            )
            continue
        width = max(float(result.value) / top * plot_w, 1.0)
        colour = {"met": COLOUR_MET, "not_met": COLOUR_NOT_MET}.get(result.status, COLOUR_INFO)
        parts.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H}" fill="{colour}"/>'
            f'<text x="{LABEL_W + width + 4:.1f}" y="{y + BAR_H * 0.7:.1f}" font-size="12" '
            f'fill="#222">{escape(result.display)}</text>'
        )
    if target is not None and kind == Kind.SHARE:
        x = LABEL_W + float(target) / top * plot_w
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 8}" y2="{height - 6}" '
            'stroke="#333" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{TOP - 12}" text-anchor="middle" font-size="11" '
            f'fill="#333">norm {target:.0f}%</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
