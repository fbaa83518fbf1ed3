"""Browser journey (Debian chromium): a case manager finds "jobcoaching in Zevenaar for a
client on step 5" in the instrument guide in one search (R-NET-5)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from opstap.conftest import browser_login
from opstap.providers import services
from opstap.providers.services import LocationInput

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_case_manager_finds_jobcoaching_in_zevenaar_step_5(  # type: ignore[no-untyped-def]
    page, live_server, case_manager, jobcoaching_zevenaar, make_product
) -> None:
    """R-NET-5: one search with free text and the ladder-step filter; the result shows the
    price valid today, duration, location and provider; the page passes axe."""
    make_product(
        jobcoaching_zevenaar.provider,
        name="Jobcoaching Duiven",
        product_code=5,
        tile_codes=["EW08"],
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("75.00"),
        locations=[LocationInput(city="Duiven")],
        ladder_steps=["5"],
    )
    make_product(
        jobcoaching_zevenaar.provider,
        name="Jobcoaching Zevenaar trede 4",
        product_code=5,
        tile_codes=["EW08"],
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("70.00"),
        price_valid_from=dt.date(2024, 1, 1),
        locations=[LocationInput(city="Zevenaar")],
        ladder_steps=["4"],
    )
    assert services.product_orderability(product=jobcoaching_zevenaar, on=dt.date(2026, 6, 1))[0]
    browser_login(page, "klantmanager")
    page.wait_for_url("**/")
    page.get_by_role("link", name="Instrumentengids").click()
    page.get_by_label("Zoeken", exact=True).fill("jobcoaching Zevenaar")
    page.get_by_label("Trede", exact=True).select_option("5")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/instrumentengids/?*")
    assert page.get_by_role("heading", level=2).first.inner_text() == "1 product gevonden"
    row = page.locator("table.opstap-table tbody tr")
    assert row.count() == 1
    text = row.inner_text()
    assert "Jobcoaching op de werkplek" in text
    assert "Werkkracht Liemers B.V." in text
    assert "Zevenaar" in text and "365 dagen" in text and "€\u00a080,00 per uur" in text
    page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)[:3000]
    row.get_by_role("link", name="Jobcoaching op de werkplek").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Jobcoaching op de werkplek"
