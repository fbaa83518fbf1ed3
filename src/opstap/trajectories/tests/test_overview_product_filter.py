"""The overview's product filter (walk finding): a select of the first 500 products by name
left an organisation with more products unable to filter on the others — a product named
after the 500th was refused ("geen geldige keuze") and every trajectory listed. The product
is now searched (htmx combobox); only a chosen product is read, by its id."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.providers.models import Product
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def _login(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _many_products(product: Product, n: int) -> None:
    """`n` more products of the same provider, all named before the given one."""
    copies = []
    for i in range(n):
        copy = Product.objects.get(pk=product.pk)
        copy.pk = None
        copy.name = f"Aaa-product {i:04d}"
        copies.append(copy)
    Product.objects.bulk_create(copies)


def test_filter_on_a_product_after_the_first_500(
    order: Callable[..., Trajectory],
    make_product: Callable[..., Product],
    product3: Product,
    case_manager: User,
) -> None:
    last = make_product(product3.provider, 3, name="Zwemles-traject")
    order(product3)
    wanted = order(last)
    _many_products(product3, 505)
    http = _login(case_manager)
    url = reverse("trajectories:list")

    body = http.get(url).content.decode()
    assert "2 trajecten gevonden" in body
    assert "Aaa-product 0001" not in body  # no list of every product on each page load

    response = http.get(url, {"product": last.pk})
    body = response.content.decode()
    assert "1 trajecten gevonden" in body, body
    assert [row["url"] for row in response.context["rows"]] == [
        reverse("trajectories:detail", args=[wanted.pk])
    ]
    assert "Gekozen: Zwemles-traject" in body

    options = http.get(reverse("trajectories:overview_product_options"), {"q_product": "zwem"})
    assert options.status_code == 200
    assert f'data-value="{last.pk}"' in options.content.decode()
    many = http.get(reverse("trajectories:overview_product_options"), {"q_product": "aaa"})
    assert many.content.decode().count('role="option"') == 20
    assert "Meer dan 20 gevonden" in many.content.decode()


def test_typed_product_text_without_a_choice_filters_on_the_matches(
    order: Callable[..., Trajectory],
    make_product: Callable[..., Product],
    product3: Product,
    case_manager: User,
) -> None:
    """Without JavaScript the search text is sent alone: the products matching it count."""
    last = make_product(product3.provider, 3, name="Zwemles-traject")
    order(product3)
    order(last)
    body = _login(case_manager).get(reverse("trajectories:list"), {"q_product": "zwemles"})
    assert "1 trajecten gevonden" in body.content.decode()


def test_a_product_of_another_organisation_or_garbage_is_named_at_the_field(
    order: Callable[..., Trajectory], product3: Product, case_manager: User
) -> None:
    order(product3)
    http = _login(case_manager)
    for value in ("999999", "abc"):
        body = http.get(reverse("trajectories:list"), {"product": value}).content.decode()
        assert (
            "Kies het product opnieuw uit de lijst" in body
            or "Dit product is niet gevonden" in body
        )
        assert "1 trajecten gevonden" in body  # the other filters keep applying
