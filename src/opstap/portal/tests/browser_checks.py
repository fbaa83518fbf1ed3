"""Checks every journey page passes (issue 14): screenshots at 1366 and 320 px, no page
wider than the viewport (WCAG 1.4.10 reflow), and axe-core (vendored) with 0 violations."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

WIDTHS = (1366, 320)


def screenshot_dir() -> Path:
    default = Path(tempfile.gettempdir()) / "opstap-screenshots"
    folder = Path(os.environ.get("OPSTAP_SCREENSHOTS", default))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_page(page: Any, live_server: Any, name: str) -> None:
    """Screenshot at each width, assert no sideways scrolling and 0 axe violations."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshot_dir() / f"{name}-{width}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name}: {scroll_width} px wide at {width} px"
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
            "'wcag21aa']})"
        )
        violations = [
            {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert violations == [], f"{name} at {width} px: " + json.dumps(violations)[:3000]
    page.set_viewport_size({"width": 1366, "height": 900})
