"""R-SEC-3 in the browser: the idle warning appears before the session expires (the
browser clock is fast-forwarded)."""

from __future__ import annotations

import pytest

from opstap.conftest import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_idle_warning_before_expiry(page, case_manager) -> None:  # type: ignore[no-untyped-def]
    """R-SEC-3: staff see a warning two minutes before the 60-minute idle timeout."""
    page.clock.install()
    browser_login(page, "klantmanager")
    page.wait_for_url("**/")
    assert page.locator("body").get_attribute("data-idle-seconds") == "3600"
    warning = page.locator("#idle-warning")
    assert warning.is_hidden()
    page.clock.run_for("57:00")
    assert warning.is_hidden()
    page.clock.run_for("01:30")
    assert warning.is_visible()
    page.get_by_role("button", name="Ingelogd blijven").click()
    page.wait_for_timeout(300)
    assert warning.is_hidden()
