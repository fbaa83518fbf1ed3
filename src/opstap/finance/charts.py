"""Server-rendered SVG charts (no script needed under our CSP). Every chart is shown next to
its table alternative; the SVG carries a <title> and role="img"."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .report import Chart

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 80, 16, 24, 56
COLOURS = ("#0b4f8a", "#c4561a", "#1e6b35", "#7a3b8f", "#8a6d0b", "#4a4a4a")


def _fmt(value: float, unit: str) -> str:
    if unit == "pct":
        return f"{value:.1f}%".replace(".", ",")
    if unit == "money":
        if abs(value) >= 1_000_000:
            return f"€ {value / 1_000_000:.1f} mln".replace(".", ",")
        if abs(value) >= 1_000:
            return f"€ {value / 1_000:.0f}k"
        return f"€ {value:.0f}"
    return f"{value:,.0f}".replace(",", ".")


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
    for i in range(5):  # grid and axis labels
        v = lo + (hi - lo) * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#d9d9d9" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333">{escape(_fmt(v, chart.unit))}</text>'
        )
    for i, label in enumerate(chart.labels):
        x = LEFT + step * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
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
            f'<text x="{WIDTH - RIGHT}" y="{ry - 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#a4262c">{escape(chart.reference_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
