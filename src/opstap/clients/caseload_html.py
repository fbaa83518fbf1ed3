"""The caseload page's repeated parts (its rows, the chart's bars, the table beside the chart
and the filter options), written here instead of by template loops (issue 18: the nine cells
of 25 rows through the template engine were a sixth of the page's Python calls). Each is
byte for byte what the template's loop wrote, every value escaped as the template escapes it
(`core.escape.escape_text`); `clients/tests/test_caseload_rows.py` holds them to the old loops.
Presentation only: the values come from the view's rows and the selectors' counts."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString, mark_safe

from opstap.core.escape import escape_text

from .forms import CaseloadFilterForm


def caseload_rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The caseload's rows (`_rows`) as its template's loop wrote them (issue 18: nine cells
    of 25 rows through the template engine were a sixth of the page's Python calls); every
    value escaped as the template escapes it, the target groups' badges (HTML already) as
    they are. `clients/tests/test_caseload_rows.py` compares it with the loop."""
    if not rows:
        return mark_safe(
            '\n    <tr><td colspan="9">Geen klanten gevonden met deze filters.</td></tr>\n    '
        )
    esc = escape_text
    parts = []
    for r in rows:
        badge = (
            f' <span class="opstap-badge">{esc(r["sub_status"])}</span>' if r["sub_status"] else ""
        )
        cells = (
            f'<td><a class="utrecht-link" href="{esc(r["url"])}">{esc(r["name"])}</a></td>',
            f"<td>{esc(r['client_number'])}</td>",
            f'<td class="num">{esc(r["age"])}</td>',
            f"<td>{esc(r['ladder_step'])}{badge}</td>",
            f"<td>{esc(r['unit'])}</td>",
            f"<td>{esc(r['track'])}</td>",
            f"<td>{esc(r['target_groups'])}</td>",
            f"<td>{esc(r['municipality'])}</td>",
            f"<td>{esc(r['case_manager'] or '—')}</td>",
        )
        # Each row with the white space the loop wrote around it: the same bytes.
        parts.append("\n    <tr>\n      " + "\n      ".join(cells) + "\n    </tr>\n    ")
    return mark_safe("".join(parts))  # noqa: S308  # every value is escaped


def filter_fields(form: CaseloadFilterForm) -> list[dict[str, Any]]:
    """The caseload's filters, each select's options written once here (59 options on every
    view of the page, issue 18) with the markup the template wrote per option before, each
    value and label escaped by `escape_text` (`format_html` per option cost 3,000 Python
    calls a page view; `test_caseload_rows` compares the two)."""
    fields = []
    for field in form:
        options = None
        if field.name != "q":
            current = field.value()
            esc = escape_text  # what format_html escaped each option's value and label with
            options = mark_safe(  # noqa: S308  # every value and label is escaped
                "".join(
                    f'<option value="{esc(value)}"{" selected" if value == current else ""}>'
                    f"{esc(label)}</option>"
                    for value, label in field.field.choices  # type: ignore[attr-defined]
                )
            )
        fields.append({"field": field, "options": options})
    return fields


def chart(counts: list[dict[str, Any]]) -> dict[str, Any]:
    """Server-rendered SVG bars (no script needed); the table beside it has the numbers. The
    bars are written here as the template's loop wrote them (issue 18); `test_caseload_rows`
    compares them with the loop."""
    top = max((c["count"] for c in counts), default=0) or 1
    bar_h, gap, width = 22, 6, 320
    bars = []
    for i, c in enumerate(counts):
        bars.append(
            {
                **c,
                "y": i * (bar_h + gap),
                "text_y": i * (bar_h + gap) + 16,
                "w": max(1, round(width * c["count"] / top)) if c["count"] else 0,
                "label_x": 40 + (max(1, round(width * c["count"] / top)) if c["count"] else 0) + 6,
            }
        )
    esc = escape_text
    bars_html = "".join(  # with the white space the loop wrote around each bar
        f'\n    <text x="0" y="{b["text_y"]}" font-size="13" fill="#1a1a1a">{esc(b["step"])}</text>'
        f'\n    <rect x="40" y="{b["y"]}" width="{b["w"]}" height="{bar_h}" fill="#0b4f8a"></rect>'
        f'\n    <text x="{b["label_x"]}" y="{b["text_y"]}" font-size="13" fill="#1a1a1a">'
        f"{b['count']}</text>\n    "
        for b in bars
    )
    return {
        "bars": bars,
        "height": len(counts) * (bar_h + gap),
        "bar_h": bar_h,
        # The bars as the template's loop wrote them (issue 18), every text escaped.
        "bars_html": mark_safe(bars_html),  # noqa: S308
    }


def counts_rows_html(counts: list[dict[str, Any]]) -> SafeString:
    """The rows of the table beside the chart, as the template's loop wrote them (issue 18),
    the labels escaped; `test_caseload_rows` compares them with the loop."""
    return mark_safe(  # noqa: S308  # the labels are escaped, the numbers are integers
        "".join(
            f'<tr><th scope="row">{escape_text(c["label"])}</th>'
            f'<td class="num">{c["count"]}</td><td class="num">{c["percent"]}</td></tr>'
            for c in counts
        )
    )
