"""The generated permission matrix is the single truth (issue 19, R-SEC-1): for every role
and every client-bearing kind of data, build data, derive the expected rows from
`matrix.VISIBILITY` and compare them with what the scopes, the pages and the API return.

The world (fixed day 22 November 2026):

| client | unit (ladder) | case manager | facts |
|---|---|---|---|
| w1 | Werk (4) | km_care | the resident; T1 at A: report, appointment, absence, outcome; |
|  |  |  | T1 ended 1 October with a final report (within A's window) |
| c1 | Zorg (1) | km_care | income coach assigned; T2 at provider B, running: report |
| own | Zorg (2a) | km_work | T3 at provider A, ended 20 May: final report; A's window has passed |
| x | Werk (5) | km_care | work profile shared with the WSP (issue 15) |

The case manager under test is `km_work` (Unit Werk): w1 and x by unit, own by caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from opstap.accounts.matrix import KINDS_NL, VISIBILITY, Reach
from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.services import case_manager_set_unit, client_link_user, income_coach_assign
from opstap.clients.tests.factories import make_client
from opstap.core.access import scoped
from opstap.core.roles import RoleCode
from opstap.matching import services as matching_services
from opstap.providers.models import Product, Provider
from opstap.providers.services import provider_add_staff
from opstap.trajectories import date_rules
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import (
    Absence,
    Appointment,
    Outcome,
    Trajectory,
    TrajectoryDocument,
)
from opstap.trajectories.tests.conftest import (  # noqa: F401
    contract_manager,
    contracted_a,
    contracted_b,
    make_product,
)

TODAY = dt.date(2026, 11, 22)
ORDER_DAY = dt.date(2026, 4, 21)
EVIDENCE_KINDS = ("final_report", "quote")


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC), tick=False):
        yield


def _at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


def _running(cm: User, staff: User, client: Client, product: Product) -> Trajectory:
    t = trajectory_services.trajectory_order(
        actor=cm,
        client=client,
        product=product,
        rotonde_exit="regular",
        aim_tiles=["EW04"],
        on=ORDER_DAY,
    )
    for action, who, payload, on in [
        ("plan_intake", staff, {"intake_date": "2026-04-28"}, dt.date(2026, 4, 22)),
        ("hold_intake", staff, {"held_on": "2026-04-28"}, dt.date(2026, 4, 28)),
        ("submit_plan", staff, {}, dt.date(2026, 5, 1)),
        ("approve_plan", cm, {}, dt.date(2026, 5, 4)),
        ("start", staff, {"start_date": "2026-05-06"}, dt.date(2026, 5, 6)),
    ]:
        t = trajectory_services.trajectory_transition(
            actor=who, trajectory=t, action=action, payload=payload, on=on
        )
    return t


@dataclass
class World:
    users: dict[RoleCode, User]
    clients: dict[str, Client]
    providers: dict[str, Provider]
    km_care: User


@pytest.fixture
def world(
    org: Any,
    make_user: Callable[..., User],
    contracted_a: Provider,  # noqa: F811
    contracted_b: Provider,  # noqa: F811
    make_product: Callable[..., Product],  # noqa: F811
) -> World:
    km_work = make_user(RoleCode.CASE_MANAGER, username="km-werk")
    km_care = make_user(RoleCode.CASE_MANAGER, username="km-zorg")
    case_manager_set_unit(user=km_work, unit="work")
    case_manager_set_unit(user=km_care, unit="care")
    users = {role: make_user(role, username=f"vis-{role.value}") for role in RoleCode}
    users[RoleCode.CASE_MANAGER] = km_work
    provider_add_staff(provider=contracted_a, user=users[RoleCode.PROVIDER_STAFF])
    staff_b = make_user(RoleCode.PROVIDER_STAFF, username="staff-b")
    provider_add_staff(provider=contracted_b, user=staff_b)
    staff_a = users[RoleCode.PROVIDER_STAFF]
    c = {
        "w1": make_client(org, ladder_step="4", case_manager=km_care),
        "c1": make_client(org, ladder_step="1", case_manager=km_care),
        "own": make_client(org, ladder_step="2a", case_manager=km_work),
        "x": make_client(org, ladder_step="5", case_manager=km_care),
    }
    client_link_user(client=c["w1"], user=users[RoleCode.RESIDENT])
    product_a = make_product(contracted_a, 3)
    product_b = make_product(contracted_b, 3, name="Werkfit B")
    with _at(dt.date(2026, 5, 6)):
        t1 = _running(km_care, staff_a, c["w1"], product_a)
        t2 = _running(km_care, staff_b, c["c1"], product_b)
        t3 = _running(km_work, staff_a, c["own"], product_a)
    with _at(dt.date(2026, 5, 20)):
        trajectory_services.trajectory_transition(
            actor=staff_a,
            trajectory=t3,
            action="complete",
            payload={"end_date": "2026-05-20"},
            on=dt.date(2026, 5, 20),
        )
    with _at(dt.date(2026, 5, 25)):
        trajectory_services.trajectory_document_submit(
            actor=staff_a,
            trajectory=t3,
            kind="final_report",
            title="Eindrapport",
            text="klaar",
            on=dt.date(2026, 5, 25),
        )
    with _at(dt.date(2026, 6, 20)):
        for t, staff in ((t1, staff_a), (t2, staff_b)):
            trajectory_services.trajectory_document_submit(
                actor=staff, trajectory=t, kind="progress_report", title="Juni", text="voortgang"
            )
        trajectory_services.appointment_create(
            actor=staff_a, trajectory=t1, starts_at=dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)
        )
        trajectory_services.absence_report(
            actor=staff_a,
            trajectory=t1,
            occurred_at=dt.datetime(2026, 6, 12, 9, tzinfo=dt.UTC),
            reason="ziek",
        )
        trajectory_services.outcome_record(
            actor=staff_a, trajectory=t1, employer="Bakkerij", placement_start="2026-06-15"
        )
    with _at(dt.date(2026, 10, 1)):
        trajectory_services.trajectory_transition(
            actor=staff_a,
            trajectory=t1,
            action="complete",
            payload={"end_date": "2026-10-01"},
            on=dt.date(2026, 10, 1),
        )
    with _at(dt.date(2026, 10, 5)):
        trajectory_services.trajectory_document_submit(
            actor=staff_a,
            trajectory=t1,
            kind="final_report",
            title="Eindrapport",
            text="goed",
            on=dt.date(2026, 10, 5),
        )
    with _at(TODAY - dt.timedelta(days=4)):
        matching_services.work_profile_save(actor=km_care, client=c["x"], shared_with_wsp=True)
        matching_services.work_profile_save(actor=km_care, client=c["w1"], shared_with_wsp=False)
    with _at(TODAY - dt.timedelta(days=3)):
        income_coach_assign(
            actor=km_care,
            client=c["c1"],
            coach=users[RoleCode.INCOME_COACH],
            valid_from=TODAY - dt.timedelta(days=3),
            reason="Budgetcoaching",
        )
    return World(users, c, {"a": contracted_a, "b": contracted_b}, km_care)


# --- rows per kind, with the facts the reaches need --------------------------------------


def _rows(kind: str) -> list[tuple[int, int, Trajectory | None]]:
    """(row id, client id, trajectory) of every row of `kind`."""
    if kind == "client":
        return [(c.pk, c.pk, None) for c in Client.objects.all()]
    if kind == "trajectory":
        return [(t.pk, t.client_id, t) for t in Trajectory.objects.all()]
    if kind in ("progress_report", "final_report"):
        docs = TrajectoryDocument.objects.select_related("trajectory")
        docs = (
            docs.filter(kind__in=EVIDENCE_KINDS)
            if kind == "final_report"
            else docs.exclude(kind__in=EVIDENCE_KINDS)
        )
        return [(d.pk, d.trajectory.client_id, d.trajectory) for d in docs]
    model = {"absence": Absence, "appointment": Appointment, "outcome": Outcome}[kind]
    return [
        (r.pk, r.trajectory.client_id, r.trajectory)
        for r in model.objects.select_related("trajectory")
    ]


def _scoped_ids(user: User, kind: str) -> set[int]:
    qs: Any = {
        "client": Client.objects.all(),
        "trajectory": Trajectory.objects.all(),
        "progress_report": TrajectoryDocument.objects.exclude(kind__in=EVIDENCE_KINDS),
        "final_report": TrajectoryDocument.objects.filter(kind__in=EVIDENCE_KINDS),
        "absence": Absence.objects.all(),
        "appointment": Appointment.objects.all(),
        "outcome": Outcome.objects.all(),
    }[kind]
    return set(scoped(user, qs).values_list("pk", flat=True))


def _in_window(t: Trajectory) -> bool:
    end = date_rules.access_window_end(
        date_rules.Facts(
            order_date=t.order_date,
            intake_held_on=t.intake_held_on,
            start_date=t.start_date,
            planned_end_date=t.planned_end_date,
            actual_end_date=t.actual_end_date,
        )
    )
    return end is None or end >= TODAY


def _expected(w: World, role: RoleCode, kind: str) -> set[int]:
    """The rows `role` reads of `kind`, derived from the matrix and the world's facts."""
    reach = VISIBILITY[role][kind]
    c = w.clients
    rows = _rows(kind)
    if reach is Reach.NONE:
        return set()
    if reach is Reach.ALL:
        return {r for r, _c, _t in rows}
    if reach is Reach.UNIT_OR_CASELOAD:  # km_work: Unit Werk (w1, x) + own caseload (own)
        mine = {c["w1"].pk, c["x"].pk, c["own"].pk}
        return {r for r, client_id, _t in rows if client_id in mine}
    if reach is Reach.ASSIGNED:  # the coach: c1
        return {r for r, client_id, _t in rows if client_id == c["c1"].pk}
    if reach is Reach.SELF:  # the resident: w1
        return {r for r, client_id, _t in rows if client_id == c["w1"].pk}
    if reach is Reach.SHARED_WITH_WSP:  # the WSP adviser: x (w1's profile is not shared)
        return {r for r, client_id, _t in rows if client_id == c["x"].pk}
    assert reach is Reach.OWN_PROVIDER_WINDOW
    mine_t = [t for t in Trajectory.objects.filter(provider=w.providers["a"]) if _in_window(t)]
    if kind == "client":
        return {t.client_id for t in mine_t}
    ids = {t.pk for t in mine_t}
    return {r for r, _c, t in rows if t is not None and t.pk in ids}


def test_matrix_covers_every_role_and_kind() -> None:
    assert set(VISIBILITY) == set(RoleCode)
    for role, row in VISIBILITY.items():
        assert set(row) == set(KINDS_NL), role


@pytest.mark.parametrize("role", list(RoleCode), ids=lambda r: r.value)
def test_scopes_follow_the_matrix(frozen: None, world: World, role: RoleCode) -> None:
    """R-SEC-1: for each kind, the scoped rows are exactly the matrix's rows."""
    user = world.users[role]
    problems = []
    for kind in KINDS_NL:
        expected, actual = _expected(world, role, kind), _scoped_ids(user, kind)
        if expected != actual:
            problems.append(
                f"{role.value} / {kind}: matrix {sorted(expected)}, code {sorted(actual)}"
            )
    # The world must exercise every reach a role has (no vacuous pass).
    for kind, reach in VISIBILITY[role].items():
        if reach is not Reach.NONE:
            assert _expected(world, role, kind), f"no {kind} rows for {role.value}"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", list(RoleCode), ids=lambda r: r.value)
def test_pages_and_api_follow_the_matrix(frozen: None, world: World, role: RoleCode) -> None:
    """R-SEC-1: the dossier page and the clients and trajectories API lists return exactly
    the matrix's clients and trajectories (forbidden = 404/403, never a 200)."""
    user = world.users[role]
    http = HttpClient()
    http.force_login(user)
    api = APIClient()
    api.force_authenticate(user=user)
    clients = _expected(world, role, "client")
    # The dossier page and the clients API are for roles with `clients.view`; providers and
    # residents reach their clients through the trajectory pages and the portal.
    dossier = user.has_opstap_perm("clients.view")
    for client in world.clients.values():
        status = http.get(f"/klanten/{client.pk}/").status_code
        expected = 200 if dossier and client.pk in clients else (404 if dossier else 403)
        assert status == expected, (role.value, client.pk, status)
    listed = api.get("/api/v1/clients", {"pageSize": 100})
    if dossier:
        assert {r["id"] for r in listed.json()["results"]} == clients, role.value
    else:
        assert listed.status_code == 403, role.value
    trajectories = _expected(world, role, "trajectory")
    listed = api.get("/api/v1/trajectories", {"pageSize": 100})
    if user.has_opstap_perm("trajectories.view"):
        assert {r["id"] for r in listed.json()["results"]} == trajectories, role.value
    else:
        assert listed.status_code == 403, role.value
