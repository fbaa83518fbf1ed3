"""The trajectory counter on each client (issue 18): the case manager's trajectory total is
the sum of the counters of the clients they see (R-SEC-1), and must always equal the count
of the trajectories they see, whatever is ordered, deleted, handed over or moved a step."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.services import (
    case_manager_set_unit,
    client_change_ladder_step,
    client_handover,
)
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.models import Product
from opstap.trajectories import selectors, services
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import TrajectoryFilters

from .conftest import AMS, ORDER_DAY

pytestmark = pytest.mark.django_db

STEPS = ["1", "2a", "2b", "3", "4", "5"]


def _order(case_manager: User, client: Client, product: Product) -> Trajectory:
    return services.trajectory_order(
        actor=case_manager, client=client, product=product, rotonde_exit="regular", on=ORDER_DAY
    )


def _assert_totals_exact(*users: User) -> None:
    for user in users:
        counted = selectors.trajectories_for(user).count()
        assert selectors.trajectory_total(user=user, filters=TrajectoryFilters()) == counted


@pytest.mark.parametrize("seed", range(4))
def test_total_is_the_count_of_visible_trajectories_after_any_writes(
    seed: int,
    org: Organisation,
    case_manager: User,
    make_user: Callable[..., User],
    product3: Product,
    time_machine: Any,
) -> None:
    """R-SEC-1 scope, issue 18: random orders, deletes, step changes and handovers between
    a case manager of unit Werk and one of unit Zorg; after each write both totals from the
    counters equal the count of the trajectories each one sees."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    rng = random.Random(seed)
    colleague = make_user(RoleCode.CASE_MANAGER, username="km-zorg")
    case_manager_set_unit(user=colleague, unit="care")
    clients = [make_client(org, case_manager=case_manager, ladder_step="4") for _ in range(6)]
    trajectories = [_order(case_manager, rng.choice(clients), product3) for _ in range(10)]
    _assert_totals_exact(case_manager, colleague)
    for _ in range(12):
        move = rng.choice(["order", "delete", "step", "handover"])
        client = Client.objects.get(pk=rng.choice(clients).pk)
        if move == "order" and client.ladder_step in {"3", "4", "5"}:
            trajectories.append(_order(client.case_manager, client, product3))
        elif move == "delete" and trajectories:
            trajectories.pop(rng.randrange(len(trajectories))).delete()
        elif move == "step":
            step = rng.choice([s for s in STEPS if s != client.ladder_step])
            client_change_ladder_step(
                actor=client.case_manager, client=client, step=step, reason="Herindicatie."
            )
        elif move == "handover":
            other = colleague if client.case_manager_id == case_manager.pk else case_manager
            client_handover(
                actor=client.case_manager, client=client, new_case_manager=other, note="Over."
            )
        _assert_totals_exact(case_manager, colleague)
    for client in Client.objects.filter(pk__in=[c.pk for c in clients]):
        assert client.trajectory_count == Trajectory.objects.filter(client=client).count()


def test_a_save_of_a_loaded_client_keeps_the_counter(
    org: Organisation, case_manager: User, product3: Product, time_machine: Any
) -> None:
    """A client loaded before a trajectory was ordered and saved afterwards (a form, the
    admin) does not write its stale counter back."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    client = make_client(org, case_manager=case_manager)
    stale = Client.objects.get(pk=client.pk)
    _order(case_manager, client, product3)
    stale.first_name = "Karel"
    stale.save()
    client.refresh_from_db()
    assert (client.first_name, client.trajectory_count) == ("Karel", 1)


def test_recount_corrects_counters_after_a_bulk_load(
    org: Organisation, case_manager: User, product3: Product, time_machine: Any
) -> None:
    """A bulk load sends no signals; the recount (also `trajectory_counts_rebuild`) sets the
    counters from the trajectories and says how many were off."""
    from django.core.management import call_command

    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    client = make_client(org, case_manager=case_manager)
    template = _order(case_manager, client, product3)
    copies = [Trajectory.objects.get(pk=template.pk) for _ in range(3)]
    for copy in copies:
        copy.pk = None
    Trajectory.objects.bulk_create(copies)
    assert Client.objects.get(pk=client.pk).trajectory_count == 1
    assert services.trajectory_counts_recount(organisation_id=org.pk) == 1
    assert Client.objects.get(pk=client.pk).trajectory_count == 4
    _assert_totals_exact(case_manager)
    assert services.trajectory_counts_recount(organisation_id=org.pk) == 0  # all right now
    Client.objects.filter(pk=client.pk).update(trajectory_count=9)
    out = io.StringIO()
    call_command("trajectory_counts_rebuild", stdout=out)
    assert "Klaar: 1 klanten gecorrigeerd." in out.getvalue()
    assert Client.objects.get(pk=client.pk).trajectory_count == 4


def test_a_delete_never_takes_a_counter_below_zero(
    org: Organisation, case_manager: User, product3: Product, time_machine: Any
) -> None:
    """A trajectory bulk-loaded (counter not yet recounted) and then deleted: no error."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    client = make_client(org, case_manager=case_manager)
    trajectory = _order(case_manager, client, product3)
    Client.objects.filter(pk=client.pk).update(trajectory_count=0)
    trajectory.delete()
    assert Client.objects.get(pk=client.pk).trajectory_count == 0


def test_api_total_of_a_case_manager_reads_the_counters_not_the_trajectories(
    api_as: Callable[[User], Any],
    org: Organisation,
    case_manager: User,
    product3: Product,
    time_machine: Any,
) -> None:
    """Issue 18: `GET /api/v1/trajectories` of a case manager right after a write does not
    count the joined trajectories again (a million at national scale): its total is the sum
    of the counters; with a filter the rows are counted as before."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    clients = [make_client(org, case_manager=case_manager) for _ in range(3)]
    for client in clients:
        _order(case_manager, client, product3)
    api = api_as(case_manager)
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/v1/trajectories?pageSize=1").json()
    assert body["count"] == 3
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not any("COUNT(" in sql.upper() for sql in sqls)
    assert any("SUM(" in sql.upper() and "trajectory_count" in sql for sql in sqls)
    _order(case_manager, clients[0], product3)  # a write: the next total is exact at once
    assert api.get("/api/v1/trajectories?pageSize=1").json()["count"] == 4
    with CaptureQueriesContext(connection) as filtered:
        body = api.get("/api/v1/trajectories?pageSize=1&state=ordered").json()
    assert body["count"] == 4
    assert any("COUNT(" in q["sql"].upper() for q in filtered.captured_queries)


def test_only_the_case_managers_scope_uses_the_counters(
    org: Organisation, case_manager: User, provider_user_a: User, make_user: Callable[..., User]
) -> None:
    """Provider staff (a window per provider) and organisation-wide readers have no total
    from the client counters: theirs is not a set of whole clients."""
    finance = make_user(RoleCode.FINANCE_CLERK, username="financien")
    assert selectors.scope_through_clients(case_manager)
    for user in (provider_user_a, finance):
        assert not selectors.scope_through_clients(user)
        assert selectors.trajectory_total(user=user, filters=TrajectoryFilters()) is None
    filtered = TrajectoryFilters(state="ordered")
    assert selectors.trajectory_total(user=case_manager, filters=filtered) is None
