"""The order form shows what is ordered before it is submitted: the price terms, the maximum
hourly rate where it applies and the nominal duration (R-TRJ-1, R-NET-6, R-NET-7). An earlier
walk: the form showed the product's name only. 'Today' is 15 June 2026."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.money import VatCode
from opstap.providers.models import Product, Provider
from opstap.trajectories.price_terms import duration_nl, order_terms_nl

from .conftest import AMS

TODAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS)


@dataclass
class OrderForm:
    """The order form for one client, as a signed-in case manager gets it."""

    http: HttpClient
    client: Client

    def url(self, **params: str | int) -> str:
        return reverse("trajectories:order") + "?" + urlencode({"client": self.client.pk, **params})

    def get(self, **params: str | int) -> Any:
        return self.http.get(self.url(**params))


@pytest.fixture
def order_form(case_manager: User, client_k: Client, time_machine: Any) -> OrderForm:
    """The order form for client K as the case manager sees it on 15 June 2026."""
    time_machine.move_to(TODAY, tick=False)
    http = HttpClient()
    http.force_login(case_manager)
    return OrderForm(http, client_k)


def _summary(html: str) -> list[tuple[str, str]]:
    block = re.search(r'<dl class="opstap-dl" id="order-summary"[^>]*>(.*?)</dl>', html, re.S)
    assert block, "no summary on the order form"
    return re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", block.group(1))


@pytest.mark.django_db
def test_order_form_shows_fixed_price_and_duration(
    order_form: OrderForm, contracted_a: Provider, make_product: Callable[..., Product]
) -> None:
    """R-NET-6: a code-3 product at the price valid today (€ 1.500,00), for 182 days."""
    product = make_product(contracted_a, 3, price=Decimal("1500.00"))
    response = order_form.get(product=product.pk)
    assert response.status_code == 200
    assert _summary(response.content.decode()) == [
        ("Prijsafspraak", "Vaste prijs €\u00a01.500,00 (prijs van het product op de besteldatum)"),
        ("Btw-tarief", "Hoog tarief"),
        ("Nominale duur", "182 dagen (26 weken)"),
    ]


@pytest.mark.django_db
def test_order_form_shows_hourly_rate_and_ceiling(
    order_form: OrderForm, contracted_a: Provider, make_product: Callable[..., Product]
) -> None:
    """R-NET-7, R-TRJ-1: jobcoaching is paid per hour, at most the ceiling (€ 80,00 from the
    reference data); its rate is indicative until the quote is approved."""
    product = make_product(contracted_a, 5, price=Decimal("72.50"), nominal_duration_days=90)
    assert _summary(order_form.get(product=product.pk).content.decode()) == [
        ("Prijsafspraak", "€\u00a072,50 per uur (indicatief: nog geen offerte goedgekeurd)"),
        ("Maximum uurtarief", "€\u00a080,00 per uur (plafond voor jobcoaching en jobfinding)"),
        ("Btw-tarief", "Hoog tarief"),
        ("Nominale duur", "90 dagen"),
    ]


def test_order_summary_of_a_variable_price_product() -> None:
    """R-TRJ-1: a code-2 product without a price follows the quote; R-BILL-11: its VAT
    category is the one the product records."""
    assert order_terms_nl(2, None, duration_days=365, vat_code=VatCode.EXEMPT).lines() == [
        ("Prijsafspraak", "Volgens offerte (nog geen offerte goedgekeurd)"),
        ("Btw-tarief", "Vrijgesteld (0%)"),
        ("Nominale duur", "365 dagen (1 jaar)"),
    ]


def test_duration_in_words() -> None:
    assert duration_nl(1) == "1 dag"
    assert duration_nl(10) == "10 dagen"
    assert duration_nl(14) == "14 dagen (2 weken)"


def _offers(html: str) -> list[list[str]]:
    """The rows of the found-products table, each cell's text without tags."""
    table = re.search(r'<table class="opstap-table" id="product-offers">(.*?)</table>', html, re.S)
    assert table, "no table of found products on the order form"
    body = table.group(1).split("<tbody>")[1]
    return [
        [re.sub(r"<br>", " | ", re.sub(r"<(?!br>)[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body)
        )
    ]


@pytest.mark.django_db
def test_found_products_show_price_terms_and_vat_before_choosing(
    order_form: OrderForm, contracted_a: Provider, make_product: Callable[..., Product]
) -> None:
    """R-TRJ-1, R-NET-6, R-NET-7, R-BILL-11: the products found on the order form each show
    the price terms an order gets today and the VAT category the product records. The walk
    of session 18: the list gave name and provider only; price and VAT showed on the
    trajectory page, after ordering."""
    # given: a fixed-price product (high VAT), jobcoaching per hour with the ceiling (low
    # VAT) and a variable-price product without a price (exempt), today 15 June 2026
    make_product(contracted_a, 3, name="Werkfit A", price=Decimal("1500.00"))
    make_product(
        contracted_a,
        5,
        name="Werkfit B",
        price=Decimal("72.50"),
        vat_code="low",
        nominal_duration_days=90,
    )
    make_product(contracted_a, 2, name="Werkfit C", price=None, vat_code="exempt")
    # when: the case manager searches the products
    response = order_form.get(q_product="werkfit")
    # then: one row per product, with its terms, VAT category and duration
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="opstap-table-scroll"' in body
    provider = contracted_a.name
    assert _offers(body) == [
        [
            "Werkfit A",
            provider,
            "3",
            "Vaste prijs €\u00a01.500,00 (prijs van het product op de besteldatum)",
            "Hoog tarief",
            "182 dagen (26 weken)",
        ],
        [
            "Werkfit B",
            provider,
            "5",
            "€\u00a072,50 per uur (indicatief: nog geen offerte goedgekeurd) | "
            "Maximum uurtarief €\u00a080,00 per uur (plafond voor jobcoaching en jobfinding)",
            "Laag tarief",
            "90 dagen",
        ],
        [
            "Werkfit C",
            provider,
            "2",
            "Volgens offerte (nog geen offerte goedgekeurd)",
            "Vrijgesteld (0%)",
            "182 dagen (26 weken)",
        ],
    ]
    # and the combobox's options say the same beside each name
    options = order_form.http.get(
        reverse("trajectories:order_product_options"), {"q_product": "werkfit b"}
    ).content.decode()
    assert (
        "€\u00a072,50 per uur (indicatief: nog geen offerte goedgekeurd); btw: laag tarief"
        in options
    )


@pytest.mark.django_db
def test_found_products_cost_the_same_queries_for_2_or_12(
    order_form: OrderForm,
    contracted_a: Provider,
    make_product: Callable[..., Product],
    django_assert_num_queries: Any,
) -> None:
    """No N+1 (the list-page rule): price, ceiling and VAT of the products found come in a
    fixed number of queries, on the page and in the combobox's options."""

    def make(first: int, n: int) -> None:
        for i in range(first, first + n):
            make_product(contracted_a, 5 if i % 2 else 3, name=f"Werkfit {i:02d}")

    http = order_form.http
    page = order_form.url(q_product="werkfit")
    options = reverse("trajectories:order_product_options") + "?q_product=werkfit"
    make(0, 2)
    http.get(page)  # warm the per-user caches
    with CaptureQueriesContext(connection) as small_page:
        assert _offers(http.get(page).content.decode())[1][0] == "Werkfit 01"
    with CaptureQueriesContext(connection) as small_options:
        http.get(options)
    make(2, 10)
    with django_assert_num_queries(len(small_page.captured_queries)):
        rows = _offers(http.get(page).content.decode())
    assert len(rows) == 12
    assert sum("Maximum uurtarief" in row[3] for row in rows) == 6
    with django_assert_num_queries(len(small_options.captured_queries)):
        assert http.get(options).content.decode().count("btw: hoog tarief") == 12
