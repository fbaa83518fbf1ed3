"""The chart kit: server-rendered SVG (no script needed under our CSP). Every chart is shown
next to its table alternative; the SVG carries a <title> and role="img".

- `render_svg(chart)`: a line or (grouped) bar chart over labels, from a `reports.Chart`
  (finance models, KPI trends);
- `horizontal_bars(bars, title=...)`: one bar per named row, e.g. an indicator per provider,
  with an optional norm line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape as _escape
from django.utils.safestring import SafeString, mark_safe

from .dutch import format_number, format_percent
from .reports import Chart

WIDTH, HEIGHT = 640, 320
_EURO_SPACE = re.compile(r"€ (?=-?\d)")


def escape(text: object) -> str:
    """Escaped chart text, the amounts in it kept together (no-break space after €) like
    every amount on a page."""
    return str(_escape(_EURO_SPACE.sub("€\u00a0", str(text))))


LEFT, RIGHT, TOP, BOTTOM = 80, 16, 24, 56
COLOURS = ("#0b4f8a", "#c4561a", "#1e6b35", "#7a3b8f", "#8a6d0b", "#4a4a4a")


def _fmt(value: float, unit: str) -> str:
    if unit == "pct":
        return format_percent(value)
    if unit == "money":
        # the no-break space of every amount on a page: a label never splits after the €
        if abs(value) >= 1_000_000:
            return f"€\u00a0{format_number(value / 1_000_000, 1)} mln"
        return "€\u00a0" + format_number(round(value), 0)  # an axis tick: whole euros
    return format_number(value)


def nice_ticks(lo: float, hi: float, *, whole: bool = False, count: int = 4) -> list[float]:
    """Axis ticks at a round step (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi];
    whole numbers only for counts (issue 14: ticks read "0, 1, 2, 2, 3")."""
    raw = (hi - lo) / count
    if raw <= 0:
        return [lo, lo + 1]
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    first = math.floor(lo / step) * step
    ticks = [first]
    while ticks[-1] < hi - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def render_svg(chart: Chart) -> SafeString:
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.reference_line is not None:
        values.append(chart.reference_line)
    if not values or not chart.labels:
        return mark_safe("")
    lo = min(0.0, min(values))
    hi = max(0.0, max(values))
    if chart.kind == "line" and lo >= 0 and min(values) > 0:
        lo = min(values) * 0.9  # a caseload line reads better without a zero base
    if hi == lo:
        hi = lo + 1
    ticks = nice_ticks(lo, hi, whole=chart.unit == "int")
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(v: float) -> float:
        return TOP + plot_h - (v - lo) / (hi - lo) * plot_h

    n = len(chart.labels)
    step = plot_w / n
    parts: list[str] = [
        f'<svg class="opstap-svg-chart" viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(chart.series)}" '
        f'role="img" aria-labelledby="chart-{id(chart)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{id(chart)}">{escape(chart.title)}</title>',
    ]
    for v in ticks:  # grid and axis labels
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#d9d9d9" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="#333">{escape(_fmt(v, chart.unit))}</text>'
        )
    for i, label in enumerate(chart.labels):
        x = LEFT + step * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="13" '
            f'fill="#333">{escape(label)}</text>'
        )
    if lo < 0 < hi:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
            'stroke="#333" stroke-width="1"/>'
        )
    k = max(len(chart.series), 1)
    for si, series in enumerate(chart.series):
        colour = COLOURS[si % len(COLOURS)]
        if chart.kind == "bar":
            bar_w = step * 0.8 / k
            for i, bar in enumerate(series.values):
                if bar is None:
                    continue
                v = bar
                x = LEFT + step * i + step * 0.1 + bar_w * si
                top, bottom = sorted((y(v), y(max(lo, 0.0))))
                parts.append(
                    f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
                    f'height="{max(bottom - top, 0.5):.1f}" fill="{colour}"/>'
                )
        else:
            points = [
                f"{LEFT + step * (i + 0.5):.1f},{y(v):.1f}"
                for i, v in enumerate(series.values)
                if v is not None
            ]
            dash = ' stroke-dasharray="6 4"' if series.dashed else ""
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
            for p in points:
                cx, cy = p.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
        ly = HEIGHT - 14 + 20 * si
        parts.append(
            f'<rect x="{LEFT}" y="{ly - 9}" width="14" height="10" fill="{colour}"/>'
            f'<text x="{LEFT + 20}" y="{ly}" font-size="12" fill="#222">'
            f"{escape(series.name)}</text>"
        )
    if chart.reference_line is not None:
        ry = y(chart.reference_line)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ry:.1f}" y2="{ry:.1f}" '
            'stroke="#a4262c" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{WIDTH - RIGHT}" y="{ry - 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="#a4262c">{escape(chart.reference_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


COLOUR_MET = "#1e6b35"
COLOUR_NOT_MET = "#a4262c"
COLOUR_INFO = "#0b4f8a"
BAR_LABEL_W = 220
BAR_RIGHT = 70
BAR_H = 22
BAR_GAP = 8
BAR_TOP = 28


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: `value` None shows `display` without a bar."""

    label: str
    value: float | None
    display: str
    colour: str = COLOUR_INFO


def horizontal_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    top: float,
    norm: float | None = None,
    norm_label: str = "",
    element_id: str = "bars-chart-title",
) -> SafeString:
    """One horizontal bar per row, scaled to `top`; `norm` draws a dashed vertical line."""
    if not bars:
        return mark_safe("")
    plot_w = WIDTH - BAR_LABEL_W - BAR_RIGHT
    height = BAR_TOP + len(bars) * (BAR_H + BAR_GAP) + 10
    parts = [
        f'<svg class="opstap-svg-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{element_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{element_id}">{escape(title)}</title>',
    ]
    for i, bar in enumerate(bars):
        y = BAR_TOP + i * (BAR_H + BAR_GAP)
        name = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
        parts.append(
            f'<text x="{BAR_LABEL_W - 8}" y="{y + BAR_H * 0.7:.1f}" text-anchor="end" '
            f'font-size="12" fill="#222">{escape(name)}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="{BAR_LABEL_W + 4}" y="{y + BAR_H * 0.7:.1f}" font-size="12" '
                f'fill="#4a4a4a">{escape(bar.display)}</text>'
            )
            continue
        width = max(bar.value / top * plot_w, 1.0)
        parts.append(
            f'<rect x="{BAR_LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H}" '
            f'fill="{bar.colour}"/>'
            f'<text x="{BAR_LABEL_W + width + 4:.1f}" y="{y + BAR_H * 0.7:.1f}" font-size="12" '
            f'fill="#222">{escape(bar.display)}</text>'
        )
    if norm is not None:
        x = BAR_LABEL_W + norm / top * plot_w
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{BAR_TOP - 8}" y2="{height - 6}" '
            'stroke="#333" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{BAR_TOP - 12}" text-anchor="middle" font-size="13" '
            f'fill="#333">{escape(norm_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
