"""Indexation (R-NET-6) and the indexed hourly-rate ceiling (R-NET-7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from opstap.providers import selectors, services
from opstap.providers.services import ProviderError

D = dt.date


@pytest.fixture
def priced(contracted_a, provider_b, contract_manager, make_product):
    """A's contract started 2024 (indexable in 2027); B's contract starts 2026-06-01 (its
    prices stay fixed on 2027-01-01: first contract year)."""
    services.contract_create(
        actor=contract_manager, provider=provider_b, reference="LEON-B", start_date=D(2026, 6, 1)
    )
    # A's third term ends 31-12-2026: extended in time, so it runs on 1 January 2027.
    services.contract_extend(
        actor=contract_manager,
        contract=contracted_a.contracts.get(),
        decided_on=D(2026, 10, 1),
        provider_consent=True,
        organisation_consent=True,
    )
    a = make_product(
        contracted_a, name="Werkfit A", price=Decimal("1000.00"), price_valid_from=D(2024, 1, 1)
    )
    b = make_product(
        provider_b, name="Werkfit B", price=Decimal("2000.00"), price_valid_from=D(2026, 6, 1)
    )
    coach = make_product(
        contracted_a,
        name="Jobcoaching A",
        product_code=5,
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("80.00"),
        price_valid_from=D(2024, 1, 1),
    )
    return a, b, coach


def test_indexation_preview_apply_and_history(priced, contract_manager) -> None:
    """R-NET-6: the contract manager enters the CPI for a year, previews the new prices and
    applies them from 1 January; historical prices stay; first-year prices stay fixed;
    applying twice is refused."""
    a, b, _coach = priced
    indexation = services.cpi_indexation_enter(
        actor=contract_manager,
        organisation=contract_manager.organisation,
        year=2027,
        percentage=Decimal("3.10"),
    )
    plan = services.indexation_plan(indexation)
    assert {p.product.name: p.new_amount for p in plan.prices} == {
        "Werkfit A": Decimal("1031.00"),
        "Jobcoaching A": Decimal("82.48"),
    }
    assert plan.skipped_first_year == 1
    assert plan.new_ceiling == Decimal("82.48")
    # Preview changes nothing.
    assert services.product_price_on(a, D(2027, 1, 1)) == Decimal("1000.00")
    services.cpi_indexation_apply(actor=contract_manager, indexation=indexation)
    assert services.product_price_on(a, D(2026, 12, 31)) == Decimal("1000.00")
    assert services.product_price_on(a, D(2027, 1, 1)) == Decimal("1031.00")
    assert services.product_price_on(b, D(2027, 1, 1)) == Decimal("2000.00")
    with pytest.raises(ProviderError, match="al toegepast"):
        services.cpi_indexation_apply(actor=contract_manager, indexation=indexation)
    with pytest.raises(ProviderError, match="al toegepast"):
        services.cpi_indexation_enter(
            actor=contract_manager,
            organisation=contract_manager.organisation,
            year=2027,
            percentage=Decimal("4"),
        )


def test_indexed_ceiling_accepted_after_first_of_january(priced, contract_manager) -> None:
    """R-NET-7: the ceiling indexes with the same percentage from 1 January: EUR 82.48 is
    refused on 31 December and accepted on 1 January; the regional 80.00 stays history."""
    _a, _b, coach = priced
    org_id = contract_manager.organisation_id
    indexation = services.cpi_indexation_enter(
        actor=contract_manager,
        organisation=contract_manager.organisation,
        year=2027,
        percentage=Decimal("3.10"),
    )
    services.cpi_indexation_apply(actor=contract_manager, indexation=indexation)
    assert selectors.rate_ceiling_on(org_id, D(2026, 12, 31)).amount == Decimal("80.00")
    assert selectors.rate_ceiling_on(org_id, D(2027, 1, 1)).amount == Decimal("82.48")
    assert selectors.rate_ceiling_on(org_id, D(2021, 10, 1)).amount == Decimal("80.00")
    with pytest.raises(ProviderError, match="EUR 82,48"):
        services.product_price_set(
            actor=None, product=coach, amount=Decimal("82.49"), valid_from=D(2027, 2, 1)
        )
    services.product_price_set(
        actor=None, product=coach, amount=Decimal("82.48"), valid_from=D(2027, 2, 1)
    )
    with pytest.raises(ProviderError, match="EUR 80,00"):
        services.product_create(
            actor=None,
            provider=coach.provider,
            name="Jobfinding oud",
            product_code=5,
            tile_codes=["EW07"],
            price_type="hourly",
            service_kind="jobfinding",
            price=Decimal("80.01"),
            price_valid_from=D(2026, 12, 31),
            nominal_duration_days=90,
            locations=[services.LocationInput(city="Duiven")],
        )


def test_indexation_pages_show_old_and_new_prices(priced, contract_manager, client: Client) -> None:
    """R-NET-6: the contract manager sees old and new prices side by side, before and after."""
    client.force_login(contract_manager)
    response = client.post("/aanbieders/indexatie/", {"year": "2027", "percentage": "3.10"})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "Werkfit A" in preview and "1.000,00" in preview and "1.031,00" in preview
    assert "Werkfit B" not in preview
    assert client.post(response["Location"]).status_code == 302
    applied = client.get(response["Location"]).content.decode()
    assert "Toegepast op" in applied
    assert "1.000,00" in applied and "1.031,00" in applied
    assert "82,48" in applied
    client.post(response["Location"])  # twice: refused with a message
    again = client.get(response["Location"]).content.decode()
    assert "dubbel indexeren kan niet" in again


def test_the_network_history_reads_dutch(priced, contract_manager, contracted_a) -> None:
    """R-NET-6, R-NET-1: the provider's history, shown on its page, names the status by its
    Dutch label and the CPI as a Dutch percentage; it wrote "Status active → suspended" and
    "3.10%" before."""
    from opstap.providers.models import ProviderStatus

    indexation = services.cpi_indexation_enter(
        actor=contract_manager,
        organisation=contract_manager.organisation,
        year=2027,
        percentage=Decimal("3.10"),
    )
    services.cpi_indexation_apply(actor=contract_manager, indexation=indexation)
    services.provider_set_status(
        actor=contract_manager,
        provider=contracted_a,
        status=ProviderStatus.SUSPENDED,
        reason="Onderzoek",
    )
    texts = list(contracted_a.events.values_list("description", flat=True))
    assert "Status actief → geschorst: Onderzoek" in texts
    assert "Prijzen geïndexeerd met 3,1% vanaf 01-01-2027." in texts


def test_history_written_before_is_rewritten_in_dutch(contracted_a, contract_manager) -> None:
    """R-NET-1: rows written before the fix get their Dutch text from the facts they hold;
    the reason the user typed stays as it was, and a row that does not match is left alone."""
    import importlib

    from django.apps import apps

    from opstap.providers.models import ProviderEvent

    migration = importlib.import_module("opstap.providers.migrations.0009_dutch_event_texts")

    def row(kind: str, description: str, data: dict) -> ProviderEvent:
        return ProviderEvent.objects.create(
            organisation=contracted_a.organisation,
            provider=contracted_a,
            kind=kind,
            description=description,
            data=data,
        )

    status = row(
        "status_changed",
        "Status active → suspended: fraude active → x",
        {"old": "active", "new": "suspended"},
    )
    cpi = row("prices_indexed", "Prijzen geïndexeerd met 3.10% vanaf 01-01-2027.", {})
    whole = row("prices_indexed", "Prijzen geïndexeerd met 2% vanaf 01-01-2028.", {})
    other = row("status_changed", "Iets anders", {"old": "active", "new": "suspended"})
    migration.rewrite(apps, None)
    for r in (status, cpi, whole, other):
        r.refresh_from_db()
    assert status.description == "Status actief → geschorst: fraude active → x"
    assert cpi.description == "Prijzen geïndexeerd met 3,1% vanaf 01-01-2027."
    assert whole.description == "Prijzen geïndexeerd met 2,0% vanaf 01-01-2028."
    assert other.description == "Iets anders"
