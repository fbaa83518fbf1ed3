"""Fixtures of the reporting tests: a contracted provider with two products, clients in
Duiven and Westervoort, and a functional administrator. Set up through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality, Organisation
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.providers.services import LocationInput
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Trajectory


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.APP_ADMIN, username="beheerder")


@pytest.fixture
def contracted(provider_a: Provider, make_user: Callable[..., User]) -> Provider:
    manager = make_user(RoleCode.CONTRACT_MANAGER, username="contractmanager")
    provider_services.contract_create(
        actor=manager,
        provider=provider_a,
        reference="LEON-A",
        start_date=dt.date(2024, 1, 1),
        terms_granted=4,
    )
    return provider_a


def _product(provider: Provider, name: str) -> Product:
    return provider_services.product_create(
        actor=None,
        provider=provider,
        name=name,
        product_code=3,
        tile_codes=["EW04"],
        price_type="fixed",
        price=Decimal("2500.00"),
        price_valid_from=dt.date(2022, 1, 1),
        nominal_duration_days=182,
        locations=[LocationInput(city="Duiven", address="Rijnstraat 1")],
        service_kind="general",
    )


@pytest.fixture
def products(contracted: Provider) -> dict[str, Product]:
    return {
        "mapped": _product(contracted, "Werkervaringsplaats"),
        "unmapped": _product(contracted, "Nieuw product zonder code"),
    }


@pytest.fixture
def municipality(org: Organisation) -> Callable[[str], Municipality]:
    return lambda name: Municipality.objects.get(organisation=org, name=name)


@pytest.fixture
def client_in(
    org: Organisation, case_manager: User, municipality: Callable[[str], Municipality]
) -> Callable[[str], Client]:
    return lambda name: make_client(org, case_manager=case_manager, municipality=municipality(name))


@pytest.fixture
def provision(case_manager: User) -> Callable[..., Trajectory]:
    """A trajectory ordered through the service, its start and end dates then set as a
    migrated record would have them (the validation report exists for records that did not
    pass today's date rules, e.g. imported from an earlier system)."""

    def factory(
        client: Client, product: Product, start: dt.date | None, end: dt.date | None = None
    ) -> Trajectory:
        trajectory = trajectory_services.trajectory_order(
            actor=case_manager,
            client=client,
            product=product,
            rotonde_exit="regular",
            aim_tiles=["EW04"],
            on=dt.date(2026, 1, 5),
        )
        Trajectory.objects.filter(pk=trajectory.pk).update(
            start_date=start,
            actual_end_date=end,
            state=("completed" if end else "running") if start else "ordered",
        )
        trajectory.refresh_from_db()
        return trajectory

    return factory
