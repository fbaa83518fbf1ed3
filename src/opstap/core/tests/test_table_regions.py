"""Reflow at 320 px (WCAG 1.4.10) without JavaScript: a wide table scrolls sideways in its own
region, so the page itself never does. The region is a `div.opstap-table-scroll` (rule in the
shared stylesheet css/opstap.css, which base.html loads on every page; opstap.js wraps the
tables a template left bare). The matching, finance-report and KPI tables were wrapped in an
`opstap-table-wrap` with a rule only in an app stylesheet that some of their pages did not
load (the finance model page), so there they were cut off at 320 px."""

from __future__ import annotations

import re
from pathlib import Path

import opstap
from opstap.core.tests.test_templates_compile import _project_templates

SRC = Path(opstap.__file__).resolve().parent
SHARED_CSS = SRC / "static" / "css" / "opstap.css"
#: An element opened with role="region" (the focusable scrolling region around a table).
REGION = re.compile(r"<(\w+)\b[^>]*\brole=\"region\"[^>]*>", re.S)
CLASS = re.compile(r"\bclass=\"([^\"]*)\"")
#: A class of the table family, e.g. opstap-table, opstap-table-scroll.
TABLE_CLASS = re.compile(r"\bopstap-table[\w-]*")


def _shared_rules() -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", SHARED_CSS.read_text(encoding="utf-8"), flags=re.S)
    return set(re.findall(r"\.(opstap-[\w-]+)", css))


def _table_regions() -> list[tuple[str, str]]:
    """(place, opening tag) of every role="region" element whose next tag-level content is a
    table, in every project template."""
    found = []
    for path, name in _project_templates():
        text = path.read_text(encoding="utf-8")
        for match in REGION.finditer(text):
            after = text[match.end() : match.end() + 400]
            if "<table" in after:
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{name}:{line}", match.group(0)))
    return found


def test_the_check_sees_the_wrapped_tables() -> None:
    places = {place.split(":")[0] for place, _ in _table_regions()}
    assert {"invoices/detail.html", "kpis/_table.html", "finance/_report.html"} <= places


def test_every_table_region_uses_the_scrolling_class() -> None:
    offenders = [
        f"{place}: {tag}"
        for place, tag in _table_regions()
        if "opstap-table-scroll" not in (CLASS.search(tag) or [None, ""])[1].split()
    ]
    assert offenders == []


def test_every_table_class_in_a_template_has_a_rule_in_the_shared_stylesheet() -> None:
    """A table class whose only rule sits in an app stylesheet does nothing on a page that
    does not load that stylesheet."""
    rules = _shared_rules()
    used = {
        cls
        for path, _ in _project_templates()
        for classes in CLASS.findall(path.read_text(encoding="utf-8"))
        for cls in TABLE_CLASS.findall(classes)
    }
    assert "opstap-table-scroll" in used
    assert sorted(used - rules) == []
