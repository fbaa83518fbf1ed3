"""Fixtures of the KPI tests: a small organisation whose KPIs can be counted by hand.

Everything is set up through the services (clients, trajectories, outcomes), on a fixed day
(Sunday 22 November 2026) so that windows and year fractions are exact.

| client | step | municipality | case manager | facts |
|---|---|---|---|---|
| a | 4  | Duiven      | km  | trajectory at A; werkfit, placed 2026-05-06 with LKS; LDR |
| b | 5  | Zevenaar    | km  | nothing |
| c | 3  | Duiven      | km2 | agreement documented by km2 (own case manager) today |
| d | 2a | Westervoort | km2 | note documented by km (not d's case manager) |
| e | 1  | Westervoort | km2 | agreement by km2 five months ago |
| g | 6  | Zevenaar    | km  | placement 2026-05-10 ended 2026-08-01: not durable |
| h | 6  | Westervoort | km  | trajectory at B (AMR); placed 2026-04-25 to 2026-11-01: durable |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.services import case_manager_set_unit, client_event_record
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.kpis import selectors, services
from opstap.organisations.models import Municipality, Organisation
from opstap.providers.models import Product, Provider

# Reuse the trajectory fixtures (contracted providers, products, the happy-path walk).
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.tests.conftest import (  # noqa: F401
    contract_manager,
    contracted_a,
    contracted_b,
    make_product,
)

TODAY = dt.date(2026, 11, 22)
ORDER_DAY = dt.date(2026, 4, 21)


@pytest.fixture(autouse=True)
def _small_numbers_shown(settings: Any) -> None:
    """The test world counts one to three clients per cell, to check the arithmetic; the
    small-number suppression (issue 19) is switched off here and tested on its own in
    test_disclosure.py, which sets the threshold back to 5."""
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 1


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Trends are cached; every test starts (and ends) without cached numbers."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class World:
    org: Organisation
    km: User
    km2: User
    clients: dict[str, Client]
    municipalities: dict[str, Municipality]
    provider_a: Provider
    provider_b: Provider


def _running(actor: User, provider_user: User, client: Client, product: Product) -> Any:
    trajectory = trajectory_services.trajectory_order(
        actor=actor,
        client=client,
        product=product,
        rotonde_exit="regular",
        aim_tiles=["EW04"],
        on=ORDER_DAY,
    )
    steps = [
        ("plan_intake", provider_user, {"intake_date": "2026-04-28"}, dt.date(2026, 4, 22)),
        ("hold_intake", provider_user, {"held_on": "2026-04-28"}, dt.date(2026, 4, 28)),
        ("submit_plan", provider_user, {}, dt.date(2026, 5, 1)),
        ("approve_plan", actor, {}, dt.date(2026, 5, 4)),
        ("start", provider_user, {"start_date": "2026-05-06"}, dt.date(2026, 5, 6)),
    ]
    for action, who, payload, on in steps:
        trajectory = trajectory_services.trajectory_transition(
            actor=who, trajectory=trajectory, action=action, payload=payload, reason="", on=on
        )
    return trajectory


@pytest.fixture
def world(
    frozen: None,
    org: Organisation,
    make_user: Callable[..., User],
    contracted_a: Provider,  # noqa: F811
    contracted_b: Provider,  # noqa: F811
    make_product: Callable[..., Product],  # noqa: F811
) -> World:
    from opstap.providers.services import provider_add_staff

    km = make_user(RoleCode.CASE_MANAGER, username="km")
    km2 = make_user(RoleCode.CASE_MANAGER, username="km2")
    case_manager_set_unit(user=km, unit="work")
    case_manager_set_unit(user=km2, unit="care")
    staff_a = make_user(RoleCode.PROVIDER_STAFF, username="staff-a")
    provider_add_staff(provider=contracted_a, user=staff_a)
    staff_b = make_user(RoleCode.PROVIDER_STAFF, username="staff-b")
    provider_add_staff(provider=contracted_b, user=staff_b)
    product_a = make_product(contracted_a, 3)
    product_b = make_product(contracted_b, 3, name="Werkfit B")
    mun = {m.name: m for m in Municipality.objects.filter(organisation=org)}

    def client(key: str, step: str, municipality: str, cm: User, **extra: Any) -> Client:
        return make_client(
            org,
            municipality=mun[municipality],
            ladder_step=step,
            case_manager=cm,
            first_name=key.upper(),
            last_name=f"Klant {key}",
            **extra,
        )

    c = {
        "a": client("a", "4", "Duiven", km, ldr_registered=True),
        "b": client("b", "5", "Zevenaar", km),
        "c": client("c", "3", "Duiven", km2),
        "d": client("d", "2a", "Westervoort", km2),
        "e": client("e", "1", "Westervoort", km2),
        "g": client("g", "6", "Zevenaar", km, ladder_sub_status="with_growth"),
        "h": client("h", "6", "Westervoort", km, ladder_sub_status="with_growth"),
    }
    t_a = _running(km, staff_a, c["a"], product_a)
    trajectory_services.outcome_record(
        actor=km,
        trajectory=t_a,
        werkfit=True,
        employer="Bouwbedrijf Duiven",
        placement_start="2026-05-06",
        hours_per_week="32",
        lks=True,
    )
    t_g = _running(km, staff_a, c["g"], product_a)
    trajectory_services.outcome_record(
        actor=km,
        trajectory=t_g,
        employer="Logistiek Zevenaar",
        placement_start="2026-05-10",
        last_day_of_employment="2026-08-01",
    )
    t_h = _running(km, staff_b, c["h"], product_b)
    trajectory_services.outcome_record(
        actor=km,
        trajectory=t_h,
        employer="Zorg Liemers",
        placement_start="2026-04-25",
        last_day_of_employment="2026-11-01",
    )
    trajectory_services.outcomes_check_durability(on=TODAY)
    client_event_record(client=c["c"], kind="agreement", summary="Gesprek", actor=km2)
    client_event_record(client=c["d"], kind="other", summary="Notitie", actor=km)
    client_event_record(
        client=c["e"],
        kind="agreement",
        summary="Gesprek",
        actor=km2,
        occurred_at=timezone.now() - dt.timedelta(days=150),
    )
    services.amr_provider_add(actor=None, organisation=org, provider=contracted_b)
    return World(org, km, km2, c, mun, contracted_a, contracted_b)


@pytest.fixture
def ctx_for(world: World) -> Callable[..., selectors.KpiContext]:
    def factory(**filters: Any) -> selectors.KpiContext:
        filters.setdefault("year", 2026)
        return selectors.kpi_context(
            organisation_id=world.org.pk, filters=selectors.KpiFilters(**filters), today=TODAY
        )

    return factory


@pytest.fixture
def policy_officer(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.POLICY_OFFICER, username="beleid")


@pytest.fixture
def steering_cm(make_user: Callable[..., User]) -> User:
    """A team lead who is case manager (unit Werk) and policy officer: may drill down, but
    only to the clients in their own scope."""
    user = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="teamleider")
    case_manager_set_unit(user=user, unit="work")
    return user
