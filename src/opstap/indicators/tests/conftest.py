"""Fixtures of the indicator tests: two contracted providers with a code-3 product each, and
a helper that walks a trajectory to running through the services (with a plan document that
is or is not signed by the candidate)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.organisations.models import Organisation
from opstap.providers.models import Product, Provider
from opstap.trajectories import services
from opstap.trajectories.models import Trajectory
from opstap.trajectories.tests import conftest as trajectory_fixtures

# The shared trajectory fixtures (contracted providers, products, a client), re-exported.
client_k = trajectory_fixtures.client_k
contract_manager = trajectory_fixtures.contract_manager
contracted_a = trajectory_fixtures.contracted_a
contracted_b = trajectory_fixtures.contracted_b
make_product = trajectory_fixtures.make_product
product3 = trajectory_fixtures.product3

ORDER_DAY = dt.date(2026, 1, 6)
START_DAY = dt.date(2026, 1, 26)
PERIOD_START = dt.date(2026, 1, 1)
PERIOD_END = dt.date(2026, 10, 31)
TODAY = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _small_numbers_shown(settings: Any) -> None:
    """The test world counts one to three trajectories per provider, to check the arithmetic;
    the small-number suppression (issue 19 item 11) is switched off here and tested on its
    own in test_small_numbers.py, which sets the threshold back to 5."""
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 1


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    """The indicator tests' data is dated in 2026; pages that default to "the last twelve
    months" must see that year whatever the real date (make test with OPSTAP_TEST_TODAY)."""
    moment = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def product3_b(contracted_b: Provider, make_product: Callable[..., Product]) -> Product:
    return make_product(contracted_b, 3, name="Werkfit Ontplooi")


@pytest.fixture
def running(
    org: Organisation, case_manager: User, provider_user_a: User, provider_user_b: User
) -> Callable[..., Trajectory]:
    """Order and walk a trajectory to running; the plan is approved on 2026-01-19."""
    counter = {"n": 0}

    def factory(product: Product, *, signed: bool = True, agreements: bool = True) -> Trajectory:
        counter["n"] += 1
        client: Client = make_client(
            org, case_manager=case_manager, first_name="Klant", last_name=f"Nr {counter['n']}"
        )
        staff = (
            provider_user_a if product.provider.name.startswith("Werkkracht") else (provider_user_b)
        )
        trajectory = services.trajectory_order(
            actor=case_manager,
            client=client,
            product=product,
            rotonde_exit="regular",
            aim_tiles=["EW04"],
            on=ORDER_DAY,
        )
        steps: list[tuple[str, Any, dict[str, str], dt.date]] = [
            ("plan_intake", staff, {"intake_date": "2026-01-12"}, dt.date(2026, 1, 7)),
            ("hold_intake", staff, {"held_on": "2026-01-12"}, dt.date(2026, 1, 12)),
        ]
        for action, actor, payload, on in steps:
            trajectory = services.trajectory_transition(
                actor=actor, trajectory=trajectory, action=action, payload=payload, on=on
            )
        services.trajectory_document_submit(
            actor=staff,
            trajectory=trajectory,
            kind="plan",
            title="Plan van aanpak",
            goals=["Werkritme"],
            result_agreements=["Stage binnen 2 maanden"] if agreements else [],
            signed_by_candidate=signed,
            on=dt.date(2026, 1, 15),
        )
        trajectory.refresh_from_db()
        trajectory = services.trajectory_transition(
            actor=case_manager,
            trajectory=trajectory,
            action="approve_plan",
            on=dt.date(2026, 1, 19),
        )
        return services.trajectory_transition(
            actor=staff,
            trajectory=trajectory,
            action="start",
            payload={"start_date": START_DAY.isoformat()},
            on=START_DAY,
        )

    return factory
