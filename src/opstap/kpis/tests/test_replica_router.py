"""Reporting reads on a real streaming replica (issue 18, opstap/core/db_routing.py).

Run against a second PostgreSQL cluster that `ops/replica up` starts with pg_basebackup as a
hot standby of the primary (port 5433), the primary being the test database server:

    ops/replica up
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opstap_ci \\
    OPSTAP_DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/opstap_ci \\
      .venv/bin/pytest -m replica -p no:xdist

The test database exists on the primary only; the standby receives it by streaming
replication, so each test points the `replica` alias at the standby's copy of it and waits
until the standby has replayed the primary's WAL before it reads. Marked `replica`: it needs
that second cluster, so the default run leaves it out and `.ci/run` runs it by itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connections
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User

from .conftest import World

pytestmark = [
    pytest.mark.replica,
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "replica"]
    ),
]

REPLICA_PORT = int(os.environ.get("OPSTAP_TEST_REPLICA_PORT", "5433"))


@pytest.fixture
def standby() -> Iterator[Any]:
    """The `replica` alias pointed at the real standby's copy of the test database."""
    if "replica" not in connections.settings or connections["default"].vendor != "postgresql":
        pytest.fail(
            "Deze test heeft PostgreSQL en een replica nodig: zet DATABASE_URL en "
            "OPSTAP_DATABASE_REPLICA_URL (zie de docstring; ops/replica up start de replica)."
        )
    connection = connections["replica"]
    original = connection.settings_dict
    connection.close()
    connection.settings_dict = {
        **connections["default"].settings_dict,
        "PORT": REPLICA_PORT,
        "TEST": {"MIRROR": "default"},
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone() == (True,), "port {REPLICA_PORT} is not a standby"
        yield connection
    finally:
        connection.close()
        connection.settings_dict = original


def replayed(standby: Any, timeout: float = 30.0) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone() == (True,):
                return
        if time.monotonic() > deadline:
            pytest.fail(f"the standby did not replay {target} within {timeout} s")
        time.sleep(0.05)


def test_reporting_reads_go_to_the_standby_and_give_the_primarys_answer(
    standby: Any, world: World, policy_officer: User, api_as: Callable[[User], Any]
) -> None:
    """The KPI API (a reporting read) runs its queries on the standby; the answer equals the
    one computed on the primary; a dossier list (not a reporting read) stays on the primary."""
    replayed(standby)
    api = api_as(policy_officer)
    with CaptureQueriesContext(standby) as on_standby:
        from_standby = api.get("/api/v1/kpis", {"year": 2026})
    assert from_standby.status_code == 200
    assert len(on_standby.captured_queries) > 0

    from opstap.core.db_routing import pin_to_primary

    pin_to_primary(policy_officer.pk)
    with CaptureQueriesContext(standby) as pinned:
        from_primary = api.get("/api/v1/kpis", {"year": 2026})
    assert pinned.captured_queries == []
    assert from_standby.json() == from_primary.json()

    with CaptureQueriesContext(standby) as other:
        assert api_as(world.km).get("/api/v1/trajectories").status_code == 200
    assert other.captured_queries == []


def test_read_your_writes(
    standby: Any, world: World, policy_officer: User, api_as: Callable[[User], Any]
) -> None:
    """A user who just wrote reads reports from the primary (the standby may lag); another
    user keeps reading the standby."""
    replayed(standby)
    api = api_as(world.km)
    client = world.clients[next(iter(world.clients))]
    wrote = api.patch(f"/api/v1/clients/{client.pk}", {"phone": "0612345678"}, format="json")
    assert wrote.status_code == 200, wrote.content
    with CaptureQueriesContext(standby) as after_write:
        assert api.get("/api/v1/kpis", {"year": 2026}).status_code in (200, 403)
    assert after_write.captured_queries == []

    replayed(standby)
    with CaptureQueriesContext(standby) as someone_else:
        assert api_as(policy_officer).get("/api/v1/kpis", {"year": 2026}).status_code == 200
    assert len(someone_else.captured_queries) > 0


def test_the_standby_refuses_writes(standby: Any) -> None:
    """It is a real hot standby: a write there fails, so the router must never send one."""
    with pytest.raises(DatabaseError), standby.cursor() as cursor:
        cursor.execute("CREATE TABLE opstap_should_not_exist (id int)")
