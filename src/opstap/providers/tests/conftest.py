"""Fixtures of the provider-network tests; data is set up through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.providers import services
from opstap.providers.models import Product, Provider
from opstap.providers.services import LocationInput

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def contract_manager(make_user: Callable[..., User]) -> User:
    user = make_user(RoleCode.CONTRACT_MANAGER, username="contractmanager")
    user.email = "cm@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def make_product() -> Callable[..., Product]:
    def factory(provider: Provider, **overrides: Any) -> Product:
        values: dict[str, Any] = {
            "actor": None,
            "provider": provider,
            "name": "Werkfit-traject",
            "product_code": 3,
            "tile_codes": ["EW04"],
            "price_type": "fixed",
            "price": Decimal("2500.00"),
            "price_valid_from": dt.date(2024, 1, 1),
            "nominal_duration_days": 182,
            "locations": [LocationInput(city="Duiven", address="Rijnstraat 1")],
            "target_groups": ["work_perspective"],
            "ladder_steps": ["4", "5"],
        }
        values.update(overrides)
        return services.product_create(**values)

    return factory


@pytest.fixture
def contracted_a(provider_a: Provider, contract_manager: User) -> Provider:
    """Provider A with contract manager, a running contract since 2021 and a certificate."""
    provider_a.contract_manager = contract_manager
    provider_a.save(update_fields=["contract_manager"])
    services.contract_create(
        actor=contract_manager,
        provider=provider_a,
        reference="LEON-A",
        start_date=dt.date(2024, 1, 1),
        terms_granted=3,
    )
    services.evidence_register(
        actor=contract_manager,
        provider=provider_a,
        kind="certificate",
        certificate_kind="jobcoach",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2030, 12, 31),
        description="NOLOC-certificaat",
    )
    return provider_a


@pytest.fixture
def jobcoaching_zevenaar(contracted_a: Provider, make_product: Callable[..., Product]) -> Product:
    return make_product(
        contracted_a,
        name="Jobcoaching op de werkplek",
        description="Begeleiding van werknemer en werkgever op de werkplek.",
        product_code=5,
        tile_codes=["EW08", "EW09"],
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("80.00"),
        price_valid_from=dt.date(2021, 10, 1),
        nominal_duration_days=365,
        locations=[LocationInput(city="Zevenaar", address="Hoofdstraat 10")],
        target_groups=["disability", "work_perspective"],
        ladder_steps=["5", "6"],
        required_certificate="jobcoach",
    )


@pytest.fixture
def frozen_today() -> Any:
    """Freeze 'today' at TODAY (Europe/Amsterdam noon)."""
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(
        dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=ZoneInfo("Europe/Amsterdam")),
        tick=False,
    ):
        yield TODAY
