"""Issue 14: the contract manager's working day in a real browser, on the demo organisation
(R-NET-6, R-NET-7, R-PI-1): the start page, the providers, one provider with its contract and
products, a product's price history, a wrong input (a new price that starts before the current
one is refused in Dutch and changes nothing), a new price, indexation and change proposals,
and the performance indicators with a drill-in per provider. Every page: screenshots at 1366
and 320 px, no sideways scrolling, axe 0 violations (`check_page`).

The demo is built as on DEMO_TODAY (explicit today); the clock ticks from 10:00 that day
because a browser test needs time to move. No sleeps: every step waits for its page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from opstap.conftest import DEMO_TODAY, browser_login
from opstap.demo import generator
from opstap.portal.tests.browser_checks import check_page
from opstap.providers.models import Product, ProductPrice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVIDER = "Werkkracht Liemers B.V."
PRODUCT = "Jobcoaching op de werkplek"


@pytest.fixture
def demo_moment() -> Iterator[None]:
    import time_machine

    moment = dt.datetime.combine(DEMO_TODAY, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=True):  # time moves in a browser test
        yield


def test_contract_manager_working_day(page: Any, live_server: Any, demo_moment: None) -> None:
    """R-NET-6: a new price starts after the current one; R-PI-1: indicators per provider."""
    generator.build(scale="demo", today=DEMO_TODAY, log=lambda _msg: None)
    product = Product.objects.get(provider__name=PROVIDER, name=PRODUCT)
    current = ProductPrice.objects.filter(product=product).order_by("-valid_from").first()
    assert current is not None and current.valid_from < DEMO_TODAY
    prices_before = ProductPrice.objects.filter(product=product).count()
    page.set_default_timeout(60_000)  # a long journey on a shared, busy machine

    browser_login(page, "contractmanager", generator.DEMO_PASSWORD)
    page.wait_for_url("**/")
    nav = page.locator("nav.opstap-nav").inner_text()
    assert "Aanbieders" in nav and "Prestatie-indicatoren" in nav
    assert "Betaalbatches" not in nav  # only what the role may open
    check_page(page, live_server, "contract-manager-home")

    page.locator("nav.opstap-nav").get_by_role("link", name="Aanbieders", exact=True).click()
    page.wait_for_url("**/aanbieders/")
    check_page(page, live_server, "contract-manager-providers")

    page.locator("main").get_by_role("link", name=PROVIDER, exact=True).first.click()
    page.wait_for_url(f"**/aanbieders/{product.provider_id}/")
    contracts = page.locator("section.opstap-card", has=page.locator("h3")).first.inner_text()
    assert "Ingang" in contracts and "loopt tot" in contracts
    check_page(page, live_server, "contract-manager-provider")

    page.locator("main").get_by_role("link", name=PRODUCT, exact=True).first.click()
    page.wait_for_url(f"**/aanbieders/producten/{product.pk}/")
    assert "Prijshistorie" in page.locator("main").inner_text()
    check_page(page, live_server, "contract-manager-product")

    # A wrong input: a new price that starts before the current one. History is never
    # rewritten; the refusal is in Dutch and no price is added.
    page.get_by_text("Nieuwe prijs vastleggen").click()
    page.get_by_label("Nieuwe prijs of uurtarief (EUR, excl. btw)").fill("78.50")
    before = current.valid_from - dt.timedelta(days=30)
    page.get_by_label("Geldig vanaf").fill(before.isoformat())
    page.get_by_role("button", name="Prijs vastleggen").click()
    # The refusal stands in the form, which stays open with what was typed (dd04e37).
    refusal = page.locator("main form").filter(has_text="Er geldt al een prijs")
    refusal.wait_for()
    message = refusal.inner_text()
    assert f"Er geldt al een prijs vanaf {current.valid_from:%d-%m-%Y}" in message
    assert "R-NET" not in message
    amount = page.get_by_label("Nieuwe prijs of uurtarief (EUR, excl. btw)")
    assert amount.input_value() == "78.50"
    assert ProductPrice.objects.filter(product=product).count() == prices_before
    check_page(page, live_server, "contract-manager-price-refused")

    # The right input: a new price from the first of next year (under the ceiling, R-NET-7),
    # in the form that is still open.
    next_year = dt.date(DEMO_TODAY.year + 1, 1, 1)
    amount.fill("78.50")
    page.get_by_label("Geldig vanaf").fill(next_year.isoformat())
    page.get_by_role("button", name="Prijs vastleggen").click()
    page.locator(".opstap-messages", has_text="Nieuwe prijs vastgelegd").wait_for()
    history = page.locator("table", has=page.locator("th", has_text="Herkomst")).inner_text()
    assert "€\u00a078,50" in history and f"{next_year:%d-%m-%Y}" in history  # the house style
    newest = ProductPrice.objects.filter(product=product).order_by("-valid_from").first()
    assert newest is not None and newest.amount == Decimal("78.50")
    check_page(page, live_server, "contract-manager-price-set")

    page.goto("/aanbieders/indexatie/")
    page.wait_for_load_state()
    check_page(page, live_server, "contract-manager-indexation")
    page.goto("/aanbieders/voorstellen/")
    page.wait_for_load_state()
    check_page(page, live_server, "contract-manager-proposals")

    page.locator("nav.opstap-nav").get_by_role("link", name="Prestatie-indicatoren").click()
    page.wait_for_url("**/indicatoren/**")
    assert page.locator("svg[role=img]").count() >= 1  # the chart, with a table behind it
    check_page(page, live_server, "contract-manager-indicators")
    indicators = page.locator("table", has=page.locator("caption", has_text="kolomkoppen"))
    indicators.get_by_role("link", name=PROVIDER).click()
    page.wait_for_url(f"**/indicatoren/aanbieders/{product.provider_id}/**")
    assert "Per product" in page.locator("main").inner_text()
    check_page(page, live_server, "contract-manager-provider-indicators")
