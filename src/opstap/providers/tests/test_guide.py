"""The instrument guide (R-NET-5): one search page with free text and filters; the price
valid today; constant queries; a public variant without prices behind a setting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from opstap.providers import selectors, services
from opstap.providers.models import Product
from opstap.providers.services import LocationInput

D = dt.date


@pytest.fixture
def catalogue(contracted_a, provider_b, contract_manager, make_product, jobcoaching_zevenaar):
    services.contract_create(
        actor=contract_manager,
        provider=provider_b,
        reference="LEON-B",
        start_date=D(2024, 1, 1),
        terms_granted=3,
    )
    make_product(
        provider_b,
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
        provider_b,
        name="Taalcoaching Zevenaar",
        tile_codes=["EW03"],
        locations=[LocationInput(city="Zevenaar")],
        ladder_steps=["2b", "3"],
        target_groups=["migration"],
        price=Decimal("900.00"),
        nominal_duration_days=60,
    )
    make_product(
        contracted_a,
        name="Jobcoaching Arnhem trede 4",
        product_code=5,
        tile_codes=["EW08"],
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("70.00"),
        locations=[LocationInput(city="Arnhem")],
        ladder_steps=["4"],
    )
    return jobcoaching_zevenaar


TODAY = D(2026, 11, 22)


def _names(user, on=TODAY, **filters):
    return [p.name for p in selectors.guide_products(user, selectors.GuideQuery(**filters), on=on)]


def test_guide_text_finds_parts_of_words_on_every_database(catalogue, case_manager) -> None:
    """R-NET-5: "coach" finds Jobcoaching and Taalcoaching on SQLite and PostgreSQL alike
    (PostgreSQL's Dutch full-text search alone would not match a part of a compound)."""
    names = _names(case_manager, text="coach")
    assert "Jobcoaching op de werkplek" in names and "Taalcoaching Zevenaar" in names
    assert _names(case_manager, text="taalcoach zevenaar") == ["Taalcoaching Zevenaar"]


def test_guide_filters(catalogue, case_manager, org) -> None:
    """R-NET-5: free text plus tile, target group, ladder step, municipality, provider,
    price and duration."""
    zevenaar = org and catalogue.locations.get().municipality
    assert _names(case_manager, text="jobcoaching zevenaar") == ["Jobcoaching op de werkplek"]
    assert _names(case_manager, text="jobcoaching", ladder_step="5") == [
        "Jobcoaching Duiven",
        "Jobcoaching op de werkplek",
    ]
    assert _names(case_manager, municipality_id=zevenaar.pk) == [
        "Jobcoaching op de werkplek",
        "Taalcoaching Zevenaar",
    ]
    assert _names(case_manager, tile="EW03") == ["Taalcoaching Zevenaar"]
    assert _names(case_manager, target_group="migration") == ["Taalcoaching Zevenaar"]
    assert _names(case_manager, max_price=Decimal("75.00"), text="jobcoaching") == [
        "Jobcoaching Arnhem trede 4",
        "Jobcoaching Duiven",
    ]
    assert _names(case_manager, max_duration_days=60) == ["Taalcoaching Zevenaar"]
    assert _names(case_manager, provider_id=catalogue.provider_id, text="jobcoaching") == [
        "Jobcoaching Arnhem trede 4",
        "Jobcoaching op de werkplek",
    ]


def test_guide_page_one_search_shows_price_duration_location_provider(
    catalogue, case_manager, client: Client, org
) -> None:
    """R-NET-5: a case manager finds "jobcoaching in Zevenaar for a client on step 5" in one
    search; the result shows the price valid today, duration, location and provider."""
    client.force_login(case_manager)
    html = client.get(
        "/instrumentengids/", {"q": "jobcoaching Zevenaar", "trede": "5"}
    ).content.decode()
    assert "1 product gevonden" in html
    assert "Jobcoaching op de werkplek" in html
    assert "Werkkracht Liemers B.V." in html
    assert "€ 80,00 per uur" in html
    assert "365 dagen" in html and "Zevenaar" in html


def test_guide_page_constant_queries(
    catalogue, case_manager, client: Client, django_assert_max_num_queries, make_product
) -> None:
    """R-NET-5: the guide is a constant number of queries whatever the page holds."""
    client.force_login(case_manager)
    client.get("/instrumentengids/")  # warm session/user caches
    with django_assert_max_num_queries(20) as ctx:
        client.get("/instrumentengids/", {"q": "jobcoaching"})
    before = len(ctx.captured_queries)
    for i in range(10):
        make_product(
            catalogue.provider,
            name=f"Jobcoaching extra {i}",
            locations=[LocationInput(city="Duiven"), LocationInput(city="Zevenaar")],
        )
    with django_assert_max_num_queries(before):
        client.get("/instrumentengids/", {"q": "jobcoaching"})


def test_guide_needs_permission(catalogue, make_user, client: Client) -> None:
    from opstap.core.roles import RoleCode

    client.force_login(make_user(RoleCode.FINANCE_CLERK))
    assert client.get("/instrumentengids/").status_code == 403


def test_public_guide_behind_setting_without_prices(
    catalogue, contract_manager, org, client: Client
) -> None:
    """R-NET-5: a read-only public variant without prices for residents and employers."""
    url = f"/instrumentengids/openbaar/{org.slug}/"
    assert client.get(url).status_code == 404
    services.network_settings_update(
        actor=contract_manager, organisation=org, public_guide_enabled=True
    )
    html = client.get(url, {"q": "jobcoaching zevenaar"}).content.decode()
    assert "Jobcoaching op de werkplek" in html
    assert "€" not in html and "80,00" not in html
    assert "max_prijs" not in html


def test_ended_products_and_providers_not_in_guide(
    catalogue, contract_manager, case_manager
) -> None:
    services.product_end(actor=contract_manager, product=catalogue, reason="Vervangen")
    assert "Jobcoaching op de werkplek" not in _names(case_manager, text="jobcoaching")
    assert Product.objects.filter(pk=catalogue.pk).exists()
