"""Need-to-know (R-SEC-1) in the provider network: provider staff of A cannot see or change
B's products, evidence, signals or evaluations (404s and empty lists), in pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from opstap.core.roles import RoleCode
from opstap.providers import services
from opstap.providers.models import ProductChangeProposal
from opstap.providers.services import LocationInput

D = dt.date


@pytest.fixture
def two_providers(
    contracted_a,
    provider_b,
    contract_manager,
    case_manager,
    make_product,
    provider_user_a,
    provider_user_b,
):
    services.contract_create(
        actor=contract_manager,
        provider=provider_b,
        reference="LEON-B",
        start_date=D(2024, 1, 1),
        terms_granted=3,
    )
    product_a = make_product(contracted_a, name="Product van A")
    product_b = make_product(
        provider_b, name="Product van B", locations=[LocationInput(city="Westervoort")]
    )
    evidence_b = services.evidence_register(
        actor=contract_manager,
        provider=provider_b,
        kind="complaints",
        valid_from=D(2024, 1, 1),
        valid_until=None,
    )
    services.network_settings_update(
        actor=contract_manager, organisation=contract_manager.organisation, signal_threshold=1
    )
    signal_b = services.signal_register(
        actor=case_manager, provider=provider_b, description="Niet bereikbaar", on=D(2026, 1, 1)
    )
    return {
        "a": product_a,
        "b": product_b,
        "evidence_b": evidence_b,
        "signal_b": signal_b,
        "provider_b": provider_b,
    }


def test_provider_staff_pages_404_for_other_provider(
    two_providers, provider_user_a, client: Client
) -> None:
    """R-SEC-1: provider A's staff get 404 on B's provider page, product, evidence document
    and evaluation, and may not propose a change to B's product."""
    b = two_providers
    client.force_login(provider_user_a)
    assert client.get(f"/aanbieders/{b['provider_b'].pk}/").status_code == 404
    assert client.get(f"/aanbieders/producten/{b['b'].pk}/").status_code == 404
    assert (
        client.get(f"/aanbieders/bewijsstukken/{b['evidence_b'].pk}/document/").status_code == 404
    )
    evaluation = b["signal_b"].evaluation
    assert client.get(f"/aanbieders/evaluaties/{evaluation.pk}/").status_code == 404
    response = client.post(f"/aanbieders/producten/{b['b'].pk}/voorstel/", {"name": "Weg"})
    assert response.status_code == 404
    assert not ProductChangeProposal.objects.exists()
    # Their own pages work; the list redirects to their own provider.
    assert client.get(f"/aanbieders/producten/{b['a'].pk}/").status_code == 200
    response = client.get("/aanbieders/")
    assert response.status_code == 302
    own = client.get(response["Location"]).content.decode()
    assert "Product van A" in own and "Product van B" not in own
    assert "Niet bereikbaar" not in own  # signals are internal


def test_provider_staff_api_lists_only_own(two_providers, provider_user_a, api_as) -> None:
    """R-SEC-1: provider systems see only their own providers, products and proposals; B's
    objects are 404; signals are never visible to providers."""
    api = api_as(provider_user_a)
    providers = api.get("/api/v1/providers").json()
    assert [p["name"] for p in providers["results"]] == ["Werkkracht Liemers B.V."]
    products = api.get("/api/v1/products").json()
    assert [p["name"] for p in products["results"]] == ["Product van A"]
    assert api.get(f"/api/v1/products/{two_providers['b'].pk}").status_code == 404
    assert api.get(f"/api/v1/providers/{two_providers['provider_b'].pk}").status_code == 404
    response = api.post(
        "/api/v1/product-change-proposals",
        {"productId": two_providers["b"].pk, "changes": {"name": "Weg"}},
        format="json",
    )
    assert response.status_code == 404
    response = api.post(
        "/api/v1/product-change-proposals",
        {
            "productId": two_providers["a"].pk,
            "changes": {"capacity": 8},
            "motivation": "Meer plaatsen",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert api.get("/api/v1/product-change-proposals").json()["count"] == 1


def test_provider_b_sees_nothing_of_a_proposals(
    two_providers, provider_user_a, provider_user_b, api_as
) -> None:
    services.product_change_propose(
        actor=provider_user_a, product=two_providers["a"], changes={"capacity": 3}
    )
    assert api_as(provider_user_b).get("/api/v1/product-change-proposals").json()["count"] == 0


def test_case_manager_sees_only_own_signals(two_providers, make_user, contract_manager) -> None:
    """R-NET-9 / R-SEC-1: a case manager sees the signals they registered, not colleagues'."""
    from opstap.providers import selectors

    other = make_user(RoleCode.CASE_MANAGER)
    assert selectors.signals_for(other).count() == 0
    assert selectors.signals_for(contract_manager).count() == 1


def test_other_organisation_sees_nothing(two_providers, make_user, other_org, api_as) -> None:
    outsider = make_user(RoleCode.CASE_MANAGER, organisation=other_org)
    api = api_as(outsider)
    assert api.get("/api/v1/products").json()["count"] == 0
    assert api.get(f"/api/v1/products/{two_providers['a'].pk}").status_code == 404


def test_provider_staff_cannot_manage(two_providers, provider_user_a, client: Client) -> None:
    client.force_login(provider_user_a)
    assert client.get("/aanbieders/indexatie/").status_code == 403
    assert client.get("/aanbieders/voorstellen/").status_code == 403
    assert client.get("/instrumentengids/").status_code == 403


def test_api_products_filters_and_constant_queries(
    two_providers, case_manager, api_as, make_product, django_assert_max_num_queries
) -> None:
    """R-NET-5: /api/v1/products filters as the guide; query count constant in page size."""
    api = api_as(case_manager)
    body = api.get("/api/v1/products", {"q": "Westervoort"}).json()
    assert [p["name"] for p in body["results"]] == ["Product van B"]
    assert body["results"][0]["priceToday"] == "2500.00"
    assert body["results"][0]["tiles"] == ["EW04"]
    assert api.get("/api/v1/products", {"ladderStep": "6"}).json()["count"] == 0
    assert api.get("/api/v1/products", {"maxPrice": "abc"}).status_code == 400
    api.get("/api/v1/products")
    with django_assert_max_num_queries(20) as ctx:
        api.get("/api/v1/products")
    n = len(ctx.captured_queries)
    for i in range(8):
        make_product(two_providers["a"].provider, name=f"Extra {i}")
    with django_assert_max_num_queries(n):
        assert api.get("/api/v1/products").json()["count"] == 10


def test_api_tiles(db, case_manager, api_as) -> None:
    """R-NET-1: /api/v1/tiles lists the tiles with EVA and Dennis codes."""
    body = api_as(case_manager).get("/api/v1/tiles", {"pageSize": 100}).json()
    codes = [t["code"] for t in body["results"]]
    assert "EW07" in codes and "DW10" in codes
    tile = api_as(case_manager).get("/api/v1/tiles/EW02").json()
    assert tile["number"] == 1 and tile["name"] == "Diagnostiek (intake)"


def test_provider_staff_start_page_shows_own_provider(
    two_providers, provider_user_a, client: Client
) -> None:
    client.force_login(provider_user_a)
    html = client.get("/").content.decode()
    assert "Werkkracht Liemers B.V." in html and "Stichting Ontplooi" not in html
