"""Browser smoke test: a case manager logs in and sees the home page (Debian chromium)."""

from __future__ import annotations

import json

import pytest

from opstap.conftest import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_case_manager_logs_in_and_sees_home(page, case_manager) -> None:  # type: ignore[no-untyped-def]
    browser_login(page, "klantmanager")
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Goedendag")
    assert "RSD de Liemers" in page.locator("header").inner_text()
    # Keyboard: the first Tab reaches the skip link, which becomes visible.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Direct naar de inhoud"


def test_login_and_home_pass_axe(page, case_manager, live_server) -> None:  # type: ignore[no-untyped-def]
    """Accessibility smoke check: no serious or critical axe-core violations (WCAG 2.1 AA)."""
    for step in ("login", "home"):
        if step == "home":
            browser_login(page, "klantmanager")
            page.wait_for_url("**/")
        else:
            page.goto("/account/inloggen/")
        # Loaded from our own static files: CSP (script-src 'self') refuses inline scripts.
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
        )
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], json.dumps(serious, indent=1)[:3000]
