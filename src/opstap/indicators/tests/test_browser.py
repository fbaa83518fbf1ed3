"""Browser journey (R-PI-1): the contract manager opens the indicators from the menu, sorts
by an indicator, switches the chart, drills into a provider, and the pages pass axe
(WCAG 2.1 AA, serious and critical)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from opstap.accounts.models import User
from opstap.conftest import browser_login
from opstap.providers.models import Product
from opstap.trajectories.models import Trajectory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _axe(page: Any, live_server: Any) -> None:
    page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)[:3000]


def test_contract_manager_indicators_journey(
    page: Any,
    live_server: Any,
    running: Callable[..., Trajectory],
    product3: Product,
    product3_b: Product,
    contract_manager: User,
) -> None:
    """R-PI-1: comparison with chart and table, sorting, drill-in per provider."""
    running(product3, signed=False)
    running(product3_b, signed=True)
    browser_login(page, "contractmanager")
    page.wait_for_url("**/")
    page.get_by_role("link", name="Prestatie-indicatoren").first.click()
    page.get_by_label("Van").fill("2026-01-01")
    page.get_by_label("Tot en met").fill("2026-10-31")
    page.get_by_role("button", name="Toon periode").click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img]").count() == 1
    chart_table = page.locator(
        "table", has=page.locator("caption", has_text="tabel bij de grafiek")
    )
    assert "0 / 1" in chart_table.locator("tr", has_text="Werkkracht").inner_text()
    _axe(page, live_server)

    page.get_by_role("link", name="1. Plan getekend").click()
    page.wait_for_load_state()
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"
    main = page.locator("table", has=page.locator("caption", has_text="kolomkoppen"))
    first_row = main.locator("tbody tr").first.inner_text()
    assert "Stichting Ontplooi" in first_row  # 100% before 0%

    page.get_by_label("Indicator", exact=True).select_option("within_term")
    page.get_by_role("button", name="Toon grafiek").click()
    page.wait_for_load_state()
    assert "Binnen de termijn" in page.locator("#chart-title").inner_text()

    main = page.locator("table", has=page.locator("caption", has_text="kolomkoppen"))
    main.get_by_role("link", name="Werkkracht Liemers B.V.").click()
    page.wait_for_load_state()
    assert "Per product" in page.content()
    _axe(page, live_server)
