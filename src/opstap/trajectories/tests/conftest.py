"""Fixtures of the trajectory tests: a contracted provider with products of codes 1-5, a
client in the case manager's caseload. Everything is set up through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.providers.services import LocationInput
from opstap.trajectories import services
from opstap.trajectories.models import Trajectory

ORDER_DAY = dt.date(2026, 4, 21)  # a Tuesday; day 14 is 5 May (Atw)
#: Amsterdam summer time, for tests that set an explicit "today" with time_machine.
AMS = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture
def contract_manager(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.CONTRACT_MANAGER, username="contractmanager")


def _contract(provider: Provider, actor: User, reference: str) -> Provider:
    provider_services.contract_create(
        actor=actor,
        provider=provider,
        reference=reference,
        start_date=dt.date(2024, 1, 1),
        terms_granted=4,
    )
    return provider


@pytest.fixture
def contracted_a(provider_a: Provider, contract_manager: User) -> Provider:
    return _contract(provider_a, contract_manager, "LEON-A")


@pytest.fixture
def contracted_b(provider_b: Provider, contract_manager: User) -> Provider:
    return _contract(provider_b, contract_manager, "LEON-B")


@pytest.fixture
def make_product() -> Callable[..., Product]:
    def factory(provider: Provider, code: int = 3, **overrides: Any) -> Product:
        price_type = {1: "fixed", 2: "variable", 3: "fixed", 4: "variable", 5: "hourly"}[code]
        values: dict[str, Any] = {
            "actor": None,
            "provider": provider,
            "name": f"Werkfit-traject code {code}",
            "product_code": code,
            "tile_codes": ["EW04"],
            "price_type": price_type,
            "price": Decimal("2500.00") if code != 5 else Decimal("75.00"),
            "price_valid_from": dt.date(2022, 1, 1),
            "nominal_duration_days": 182,
            "locations": [LocationInput(city="Duiven", address="Rijnstraat 1")],
            "service_kind": "jobcoaching" if code == 5 else "general",
        }
        values.update(overrides)
        return provider_services.product_create(**values)

    return factory


@pytest.fixture
def product3(contracted_a: Provider, make_product: Callable[..., Product]) -> Product:
    return make_product(contracted_a, 3)


@pytest.fixture
def client_k(org: Organisation, case_manager: User) -> Client:
    return make_client(org, case_manager=case_manager, first_name="Kees", last_name="Klant")


@pytest.fixture
def order(case_manager: User, client_k: Client) -> Callable[..., Trajectory]:
    def factory(product: Product, **overrides: Any) -> Trajectory:
        values: dict[str, Any] = {
            "actor": case_manager,
            "client": client_k,
            "product": product,
            "rotonde_exit": "regular",
            "aim_tiles": ["EW04"],
            "on": ORDER_DAY,
        }
        values.update(overrides)
        return services.trajectory_order(**values)

    return factory


@pytest.fixture
def walk(case_manager: User, provider_user_a: User) -> Callable[..., Trajectory]:
    """Move a code-3 trajectory to `until` (a state value) along the happy path."""
    steps = [
        ("plan_intake", "provider", {"intake_date": "2026-04-28"}, "", dt.date(2026, 4, 22)),
        ("hold_intake", "provider", {"held_on": "2026-04-28"}, "", dt.date(2026, 4, 28)),
        ("submit_plan", "provider", {}, "", dt.date(2026, 5, 1)),
        ("approve_plan", "cm", {}, "", dt.date(2026, 5, 4)),
        ("start", "provider", {"start_date": "2026-05-06"}, "", dt.date(2026, 5, 6)),
    ]

    def factory(
        trajectory: Trajectory,
        until: str,
        *,
        days_earlier: int = 0,
        provider_user: User | None = None,
        case_manager_user: User | None = None,
    ) -> Trajectory:
        """`days_earlier` moves every step (and the dates in its payload) back that many days,
        for a trajectory ordered that much earlier; `provider_user` and `case_manager_user`
        take the steps of another provider or of the client's other case manager."""
        shift = dt.timedelta(days=days_earlier)
        for action, who, payload, reason, on in steps:
            actor = (
                (provider_user or provider_user_a)
                if who == "provider"
                else (case_manager_user or case_manager)
            )
            moved = {k: (dt.date.fromisoformat(v) - shift).isoformat() for k, v in payload.items()}
            trajectory = services.trajectory_transition(
                actor=actor,
                trajectory=trajectory,
                action=action,
                payload=moved,
                reason=reason,
                on=on - shift,
            )
            if trajectory.state == until:
                break
        return trajectory

    return factory
