"""/api/v1/trajectories (R-TRJ-2, R-ABS-1, R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opstap.accounts.models import User
from opstap.clients.tests.factories import make_client
from opstap.organisations.models import Organisation
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import Trajectory

from .conftest import AMS, ORDER_DAY

pytestmark = pytest.mark.django_db


def test_provider_token_sees_only_own(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    provider_user_b: User,
) -> None:
    """R-SEC-1: provider staff see only their provider's trajectories; others are 404."""
    trajectory = order(product3)
    body = api_as(provider_user_a).get("/api/v1/trajectories").json()
    assert [row["id"] for row in body["results"]] == [trajectory.pk]
    assert body["results"][0]["stateLabel"] == "Besteld"
    api = api_as(provider_user_b)
    assert api.get("/api/v1/trajectories").json()["count"] == 0
    response = api.get(f"/api/v1/trajectories/{trajectory.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_transition_via_api(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
) -> None:
    """R-TRJ-2: POST /transitions performs a transition with its payload."""
    trajectory = order(product3)
    response = api_as(provider_user_a).post(
        f"/api/v1/trajectories/{trajectory.pk}/transitions",
        {"action": "plan_intake", "payload": {"intake_date": "2026-12-01"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "intake_planned"
    assert body["intakeDate"] == "2026-12-01"
    assert body["events"][-1]["action"] == "plan_intake"


def test_illegal_transition_is_problem_409_in_dutch(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-2: a provider approving its own plan gets problem+json 409 with the reason."""
    trajectory = walk(order(product3), "plan_submitted")
    response = api_as(provider_user_a).post(
        f"/api/v1/trajectories/{trajectory.pk}/transitions",
        {"action": "approve_plan"},
        format="json",
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "eigen plan niet goedkeuren" in response.json()["detail"]


def test_final_report_before_start_is_409(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
) -> None:
    """R-TRJ-6: a final report before the end is refused (problem+json)."""
    trajectory = order(product3)
    response = api_as(provider_user_a).post(
        f"/api/v1/trajectories/{trajectory.pk}/reports",
        {"kind": "final_report", "title": "Eindrapportage", "text": "Te vroeg"},
        format="json",
    )
    assert response.status_code == 409
    assert "Eindrapportage ontvangen" in response.json()["detail"]


def test_missing_reason_is_problem_400(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    case_manager: User,
) -> None:
    """R-TRJ-2: a transition that needs a reason without one is 400 with invalidParams."""
    trajectory = walk(order(product3), "plan_submitted")
    response = api_as(case_manager).post(
        f"/api/v1/trajectories/{trajectory.pk}/transitions",
        {"action": "return_plan"},
        format="json",
    )
    assert response.status_code == 400
    params = response.json()["invalidParams"]
    assert params[0]["name"] == "reason"
    assert "reden" in params[0]["reason"].lower()


def test_reports_and_absences_endpoints(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-4, R-ABS-1: progress reports and absence through the API."""
    trajectory = walk(order(product3, absence_risk="elevated"), "running")
    api = api_as(provider_user_a)
    response = api.post(
        f"/api/v1/trajectories/{trajectory.pk}/reports",
        {"kind": "progress_report", "title": "Voortgang", "text": "Gaat goed"},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = api.post(
        f"/api/v1/trajectories/{trajectory.pk}/absences",
        {"occurredAt": "2026-06-01T09:00:00+02:00", "reason": "Ziek"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["riskAtReport"] == "elevated"
    assert len(api.get(f"/api/v1/trajectories/{trajectory.pk}/absences").json()) == 1
    assert len(api.get(f"/api/v1/trajectories/{trajectory.pk}/reports").json()) == 1


def test_list_query_count_constant(
    api_as: Callable[[User], Any],
    org: Organisation,
    case_manager: User,
    product3: Product,
    provider_user_a: User,
) -> None:
    """The API list costs the same number of queries for 2 or 12 rows (no N+1)."""
    api = api_as(provider_user_a)

    def make(n: int) -> None:
        for _ in range(n):
            client = make_client(org, case_manager=case_manager)
            services.trajectory_order(
                actor=case_manager,
                client=client,
                product=product3,
                rotonde_exit="regular",
                on=ORDER_DAY,
            )

    make(2)
    api.get("/api/v1/trajectories?pageSize=100")  # warm the per-user permission cache
    make(1)  # a write: the next list counts again
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/trajectories?pageSize=100").status_code == 200
    make(10)
    with CaptureQueriesContext(connection) as large:
        body = api.get("/api/v1/trajectories?pageSize=100").json()
    assert body["count"] == 13
    assert len(large.captured_queries) == len(small.captured_queries)


def test_list_total_counted_once_and_exact_after_a_write(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    case_manager: User,
    time_machine: Any,
) -> None:
    """Issue 6: paging does not count the provider's trajectories again, and any trajectory
    write (an order, a transition) makes the next total exact. Today is explicit: a day
    within the provider's contract."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    order(product3)
    order(product3)
    api = api_as(provider_user_a)
    assert api.get("/api/v1/trajectories?pageSize=1").json()["count"] == 2
    with CaptureQueriesContext(connection) as second_page:
        body = api.get("/api/v1/trajectories?pageSize=1&page=2").json()
    assert body["count"] == 2
    assert not any("COUNT(" in q["sql"] for q in second_page.captured_queries)
    today = timezone.localdate()
    late = order(product3, on=today - dt.timedelta(days=40))  # its intake is overdue
    assert api.get("/api/v1/trajectories?pageSize=1").json()["count"] == 3
    overdue_url = "/api/v1/trajectories?pageSize=1&overdue=true"
    overdue_before = api.get(overdue_url).json()["count"]
    assert overdue_before >= 1
    # Holding the intake meets that deadline: the overdue total follows at once.
    for action, payload in (
        ("plan_intake", {"intake_date": today.isoformat()}),
        ("hold_intake", {"held_on": today.isoformat()}),
    ):
        services.trajectory_transition(
            actor=provider_user_a, trajectory=late, action=action, payload=payload, on=today
        )
    assert api.get(overdue_url).json()["count"] == overdue_before - 1


def test_reports_and_absences_reads_are_audited(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-SEC-2: reading a trajectory's reports or absence history through the API writes a
    `read` audit record about the client."""
    from opstap.audit.models import AuditRecord

    trajectory = walk(order(product3), "running")
    api = api_as(provider_user_a)
    for endpoint in ("reports", "absences"):
        before = AuditRecord.objects.filter(
            action="read", client_id=trajectory.client_id, actor_id=provider_user_a.pk
        ).count()
        assert api.get(f"/api/v1/trajectories/{trajectory.pk}/{endpoint}").status_code == 200
        after = AuditRecord.objects.filter(
            action="read", client_id=trajectory.client_id, actor_id=provider_user_a.pk
        ).count()
        assert after == before + 1, endpoint


def test_case_manager_total_cached_and_exact_after_a_client_write(
    api_as: Callable[[User], Any],
    org: Organisation,
    case_manager: User,
    make_user: Callable[..., User],
    product3: Product,
    time_machine: Any,
) -> None:
    """Issue 18: a case manager's trajectory scope is the clients they see (R-SEC-1), so the
    API's total joins the clients. It is counted once for paging, and a client write that
    changes the scope (a handover to another case manager) makes the next total exact for
    both: the count's key holds the version of the trajectories and of the clients."""
    from django.core.cache import cache

    from opstap.clients.services import case_manager_set_unit, client_handover
    from opstap.core.roles import RoleCode

    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    cache.clear()
    colleague = make_user(RoleCode.CASE_MANAGER, username="km-zorg")
    case_manager_set_unit(user=colleague, unit="care")
    moving = make_client(org, case_manager=case_manager, ladder_step="4")
    for client in (moving, make_client(org, case_manager=case_manager, ladder_step="4")):
        services.trajectory_order(
            actor=case_manager,
            client=client,
            product=product3,
            rotonde_exit="regular",
            on=ORDER_DAY,
        )
    api = api_as(colleague)
    assert api.get("/api/v1/trajectories?pageSize=1").json()["count"] == 0
    api = api_as(case_manager)
    assert api.get("/api/v1/trajectories?pageSize=1").json()["count"] == 2
    with CaptureQueriesContext(connection) as second_page:
        body = api.get("/api/v1/trajectories?pageSize=1&page=2").json()
    assert body["count"] == 2
    assert not any("COUNT(" in q["sql"] for q in second_page.captured_queries)
    # The handover writes the client only: both totals follow at once.
    client_handover(
        actor=case_manager, client=moving, new_case_manager=colleague, note="Naar zorg."
    )
    assert api_as(colleague).get("/api/v1/trajectories?pageSize=1").json()["count"] == 1
    assert api_as(case_manager).get("/api/v1/trajectories?pageSize=1").json()["count"] == 1


def test_only_joins_with_depended_on_tables_are_cached(org: Organisation) -> None:
    """A count joined with a table whose writes do not bump the cache (here the products) is
    never cached: only the trajectories and the clients they depend on are covered."""
    from opstap.trajectories.selectors import TRAJECTORY_COUNTS

    with_clients = Trajectory.objects.filter(organisation=org, client__ladder_step="4")
    with_products = Trajectory.objects.filter(organisation=org, product__name="x")
    assert TRAJECTORY_COUNTS._key(with_clients.values("pk"), org.pk) is not None
    assert TRAJECTORY_COUNTS._key(with_products.values("pk"), org.pk) is None


# The case manager's trajectory list: its statements with its total in the counts cache
# (SQLite, forced authentication); issue 18: this budget may only go down.
# PostgreSQL: the audit records' link and INSERT are one statement (audit 0007, R-SEC-2);
# 5 before the organisation data cache (the ladder mapping).
CASE_MANAGER_LIST_QUERIES = 4 - (2 if connection.vendor == "postgresql" else 0)


def test_case_manager_list_works_out_her_scope_once(
    api_as: Callable[[User], Any],
    org: Organisation,
    case_manager: User,
    product3: Product,
    time_machine: Any,
) -> None:
    """Issue 18, R-SEC-1: a case manager's trajectories are those of the clients she sees (her
    unit, by the ladder mapping). The list's total (the clients' trajectory counters) and its
    rows each need that scope; it is worked out once per request (the ladder mapping read
    once, was twice), as on the client list and every page's GET."""
    from opstap.clients.services import case_manager_set_unit

    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    case_manager_set_unit(user=case_manager, unit="work")
    for _ in range(3):
        services.trajectory_order(
            actor=case_manager,
            client=make_client(org, case_manager=case_manager, ladder_step="4"),
            product=product3,
            rotonde_exit="regular",
            on=ORDER_DAY,
        )
    api = api_as(case_manager)
    url = "/api/v1/trajectories?pageSize=2"
    first = api.get(url).json()  # sums the total once
    with CaptureQueriesContext(connection) as second:
        body = api.get(url).json()
    assert body == first and body["count"] == 3 and len(body["results"]) == 2
    sqls = [q["sql"] for q in second.captured_queries]
    # Read once by the first call; since the organisation data cache, not at all here.
    assert sum('FROM "clients_laddermapping"' in sql for sql in sqls) == 0, sqls
    assert len(sqls) == CASE_MANAGER_LIST_QUERIES, sqls
