"""POST /api/v1/deadlines/_compute (R-TRJ-3): stateless, the same code as the services, the
calendar it used, problem+json naming the field, never a 5xx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.providers.models import Product
from opstap.trajectories import deadlines as dl
from opstap.trajectories import services
from opstap.trajectories.models import Deadline, Trajectory

pytestmark = pytest.mark.django_db

URL = "/api/v1/deadlines/_compute"

# (kind, start, due, why) — the examples of docs/deadlines.md, with the seeded decree days.
ROWS = [
    ("intake", "2026-04-21", "2026-05-06", "day 14 is 5 May, a holiday every year"),
    ("intake", "2026-04-24", "2026-05-08", "demo trajectory 83: day 14 is a working day"),
    ("plan", "2026-04-20", "2026-04-28", "day 7 is King's Day"),
    ("final_report", "2026-04-30", "2026-05-18", "Ascension Day, then Fri 15-05 by decree"),
    ("extension_request", "2026-06-05", "2026-05-04", "1 month before is 5 May → previous"),
    ("payment", "2026-04-24", "2026-06-12", "30 working days; 15-05-2026 by decree too"),
    ("invoice", "2026-12-02", "2027-01-04", "day 30 is New Year's Day, then weekend"),
]


@pytest.mark.parametrize(("kind", "start", "due", "why"), ROWS)
def test_compute_returns_the_due_date_and_the_calendar(
    api_as: Callable[[User], Any],
    case_manager: User,
    kind: str,
    start: str,
    due: str,
    why: str,
) -> None:
    """R-TRJ-3: the endpoint gives the due date of the rule table, decree days included."""
    response = api_as(case_manager).post(URL, {"kind": kind, "startDate": start}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dueDate"] == due, why
    assert body["startDate"] == start
    assert body["rule"] == "R-TRJ-3"
    skipped = {d["date"] for d in body["skippedDays"]}
    assert due not in skipped


def test_compute_names_the_equated_days_it_applied(
    api_as: Callable[[User], Any], case_manager: User
) -> None:
    """R-TRJ-3 (Atw art. 3(3)): the calendar shows the decree day and its decree."""
    body = (
        api_as(case_manager)
        .post(URL, {"kind": "final_report", "startDate": "2026-04-30"}, format="json")
        .json()
    )
    assert body["equatedDaysApplied"] == [
        {
            "date": "2026-05-15",
            "description": "vrijdag na Hemelvaartsdag",
            "decree": (
                "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, "
                "28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag"
            ),
        }
    ]
    kinds = {d["date"]: (d["kind"], d["name"]) for d in body["skippedDays"]}
    assert kinds["2026-05-05"] == ("holiday", "Bevrijdingsdag")
    assert kinds["2026-05-14"] == ("holiday", "Hemelvaartsdag")
    assert kinds["2026-05-15"][0] == "equated"
    assert kinds["2026-05-16"] == ("weekend", "zaterdag")


def test_service_and_endpoint_agree(
    api_as: Callable[[User], Any],
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    case_manager: User,
) -> None:
    """R-TRJ-3: for the same facts, the deadline the service stores and the endpoint's answer
    are the same date (one code path: `selectors.deadline_compute` / `deadlines.due_date`)."""
    # Ordered 27-03 and started 08-04, so that the end on 30-04 follows the start.
    trajectory = walk(order(product3, on=dt.date(2026, 3, 27)), "running", days_earlier=28)
    services.trajectory_transition(
        actor=case_manager,
        trajectory=trajectory,
        action="terminate_early",
        reason="Verhuisd",
        payload={"end_date": "2026-04-30"},
        on=dt.date(2026, 5, 6),
    )
    client = api_as(case_manager)
    for kind, anchor in [
        ("intake", "2026-03-27"),
        ("plan", "2026-03-31"),
        ("start", "2026-04-06"),
        ("final_report", "2026-04-30"),
    ]:
        stored = Deadline.objects.get(trajectory=trajectory, kind=kind).due_on
        answer = client.post(URL, {"kind": kind, "startDate": anchor}, format="json").json()
        assert answer["dueDate"] == stored.isoformat(), kind


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "coffee", "startDate": "2026-04-21"}, "kind"),
        ({"startDate": "2026-04-21"}, "kind"),
        ({"kind": "intake"}, "startDate"),
        ({"kind": "intake", "startDate": "21-04-2026"}, "startDate"),
        ({"kind": "intake", "startDate": "0001-01-01"}, "startDate"),
        ({"kind": "payment", "startDate": "9999-12-31"}, "startDate"),
        ({"kind": "extension_request", "startDate": "2014-01-15"}, "startDate"),
        ({"kind": "intake", "startDate": "2026-02-30"}, "startDate"),
        ({"kind": ["intake"], "startDate": 20260421}, "kind"),
    ],
)
def test_bad_input_is_problem_json_naming_the_field(
    api_as: Callable[[User], Any], case_manager: User, body: dict[str, Any], field: str
) -> None:
    """R-TRJ-3 via the API rules: bad input is 400 problem+json with invalidParams naming the
    field, in Dutch; year 1, year 9999 and unknown kinds included."""
    response = api_as(case_manager).post(URL, body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = [p["name"] for p in response.json()["invalidParams"]]
    assert field in names


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from([k.value for k in dl.DeadlineKind] + ["", "x"]),
    start=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
def test_no_input_gives_a_5xx(kind: str, start: dt.date) -> None:
    """R-TRJ-3: any kind and any date give 200 or 400, never a server error; a 200 is on an
    Atw working day (or, for the payment term, the counted working day)."""
    from rest_framework.test import APIClient

    from opstap.accounts.services import user_create

    user = User.objects.filter(username="hyp").first() or user_create(
        username="hyp",
        organisation=None,
        roles=(RoleCode.CASE_MANAGER,),
        password="Test-wachtwoord-123",
        validate=False,
    )
    client = APIClient()
    client.force_authenticate(user=user)
    response = client.post(URL, {"kind": kind, "startDate": start.isoformat()}, format="json")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        due = dt.date.fromisoformat(response.json()["dueDate"])
        assert dl.is_working_day(due, equated_days=frozenset())


def test_anonymous_callers_are_refused(api_client: Any) -> None:
    """R-SEC-1: only signed-in users (every staff role has it) may compute."""
    response = api_client.post(URL, {"kind": "intake", "startDate": "2026-04-21"}, format="json")
    assert response.status_code in (401, 403)
