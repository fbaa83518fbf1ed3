"""The order form shows what is ordered before it is submitted: the price terms, the maximum
hourly rate where it applies and the nominal duration (R-TRJ-1, R-NET-6, R-NET-7). An earlier
walk: the form showed the product's name only. 'Today' is 15 June 2026."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.providers.models import Product, Provider
from opstap.trajectories.price_terms import duration_nl, order_summary_nl

from .conftest import AMS

TODAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS)


def _summary(html: str) -> list[tuple[str, str]]:
    block = re.search(r'<dl class="opstap-dl" id="order-summary"[^>]*>(.*?)</dl>', html, re.S)
    assert block, "no summary on the order form"
    return re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", block.group(1))


@pytest.mark.django_db
def test_order_form_shows_fixed_price_and_duration(
    case_manager: User,
    client_k: Client,
    contracted_a: Provider,
    make_product: Callable[..., Product],
    time_machine: Any,
) -> None:
    """R-NET-6: a code-3 product at the price valid today (€ 1.500,00), for 182 days."""
    time_machine.move_to(TODAY, tick=False)
    product = make_product(contracted_a, 3, price=Decimal("1500.00"))
    http = HttpClient()
    http.force_login(case_manager)
    url = reverse("trajectories:order") + f"?client={client_k.pk}&product={product.pk}"
    response = http.get(url)
    assert response.status_code == 200
    assert _summary(response.content.decode()) == [
        ("Prijsafspraak", "Vaste prijs €\u00a01.500,00 (prijs van het product op de besteldatum)"),
        ("Nominale duur", "182 dagen (26 weken)"),
    ]


@pytest.mark.django_db
def test_order_form_shows_hourly_rate_and_ceiling(
    case_manager: User,
    client_k: Client,
    contracted_a: Provider,
    make_product: Callable[..., Product],
    time_machine: Any,
) -> None:
    """R-NET-7, R-TRJ-1: jobcoaching is paid per hour, at most the ceiling (€ 80,00 from the
    reference data); its rate is indicative until the quote is approved."""
    time_machine.move_to(TODAY, tick=False)
    product = make_product(contracted_a, 5, price=Decimal("72.50"), nominal_duration_days=90)
    http = HttpClient()
    http.force_login(case_manager)
    url = reverse("trajectories:order") + f"?client={client_k.pk}&product={product.pk}"
    assert _summary(http.get(url).content.decode()) == [
        ("Prijsafspraak", "€\u00a072,50 per uur (indicatief: nog geen offerte goedgekeurd)"),
        ("Maximum uurtarief", "€\u00a080,00 per uur (plafond voor jobcoaching en jobfinding)"),
        ("Nominale duur", "90 dagen"),
    ]


def test_order_summary_of_a_variable_price_product() -> None:
    """R-TRJ-1: a code-2 product without a price follows the quote."""
    assert order_summary_nl(2, None, duration_days=365) == [
        ("Prijsafspraak", "Volgens offerte (nog geen offerte goedgekeurd)"),
        ("Nominale duur", "365 dagen (1 jaar)"),
    ]


def test_duration_in_words() -> None:
    assert duration_nl(1) == "1 dag"
    assert duration_nl(10) == "10 dagen"
    assert duration_nl(14) == "14 dagen (2 weken)"
