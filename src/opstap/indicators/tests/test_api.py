"""/api/v1/providers/{id}/indicators and /api/v1/provider-indicators (R-PI-1, R-SEC-1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from opstap.accounts.models import User
from opstap.providers.models import Product
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

PERIOD = "?from=2026-01-01&to=2026-10-31"


@pytest.fixture
def two_providers(
    running: Callable[..., Trajectory], product3: Product, product3_b: Product
) -> tuple[Product, Product]:
    running(product3, signed=True)
    running(product3, signed=False)
    running(product3_b, signed=True)
    return product3, product3_b


def test_provider_indicators_in_camel_case(
    two_providers: tuple[Product, Product],
    contract_manager: User,
    api_as: Callable[[User], Any],
) -> None:
    """R-PI-1: per provider and per product, 'geen gegevens' as null, never 0 or 100."""
    a, _b = two_providers
    response = api_as(contract_manager).get(f"/api/v1/providers/{a.provider_id}/indicators{PERIOD}")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": "2026-01-01", "end": "2026-10-31"}
    first = body["indicators"][0]
    assert first["code"] == "plan_signed"
    assert (first["numerator"], first["denominator"], first["value"]) == (1, 2, "50.00")
    assert first["status"] == "not_met"
    work = next(i for i in body["indicators"] if i["code"] == "work")
    assert work["value"] is None and work["status"] == "no_data"
    assert body["products"][0]["name"] == a.name
    codes = {i["code"] for i in body["products"][0]["indicators"]}
    assert "vog" not in codes and "plan_signed" in codes


def test_provider_staff_of_b_get_404_for_a(
    two_providers: tuple[Product, Product],
    provider_user_b: User,
    api_as: Callable[[User], Any],
) -> None:
    """R-SEC-1: a provider system sees its own indicators only; A's are a 404."""
    a, b = two_providers
    client = api_as(provider_user_b)
    assert client.get(f"/api/v1/providers/{a.provider_id}/indicators").status_code == 404
    assert client.get(f"/api/v1/providers/{b.provider_id}/indicators").status_code == 200
    listed = client.get(f"/api/v1/provider-indicators{PERIOD}").json()
    assert [p["id"] for p in listed] == [b.provider_id]


def test_bad_period_is_problem_json(
    contract_manager: User, api_as: Callable[[User], Any], two_providers: tuple[Product, Product]
) -> None:
    client = api_as(contract_manager)
    response = client.get("/api/v1/provider-indicators?from=2026-13-01")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["invalidParams"][0]["name"] == "from"
    reversed_ = client.get("/api/v1/provider-indicators?from=2026-05-01&to=2026-01-01")
    assert reversed_.status_code == 400


def test_list_compares_all_visible_providers(
    two_providers: tuple[Product, Product],
    contract_manager: User,
    api_as: Callable[[User], Any],
) -> None:
    a, b = two_providers
    body = api_as(contract_manager).get(f"/api/v1/provider-indicators{PERIOD}").json()
    by_id = {p["id"]: p for p in body}
    assert set(by_id) == {a.provider_id, b.provider_id}
    assert by_id[b.provider_id]["indicators"][0]["value"] == "100.00"
