"""Income coaches see only the clients assigned to them (R-SEC-1), by an assignment that the
client's case manager or a team lead makes, dated and audited (R-SEC-2, R-SEC-6)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstap.audit.models import AuditRecord
from opstap.clients import assignments
from opstap.clients.models import ClientEvent, IncomeCoachAssignment
from opstap.clients.selectors import clients_for
from opstap.clients.services import (
    ClientError,
    case_manager_set_unit,
    income_coach_assign,
    income_coach_assignment_end,
)
from opstap.core.roles import RoleCode

from .factories import make_client

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def world(org, case_manager, make_user):
    case_manager_set_unit(user=case_manager, unit="work")
    other_cm = make_user(RoleCode.CASE_MANAGER, username="km2")
    case_manager_set_unit(user=other_cm, unit="work")
    lead = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="teamleider")
    case_manager_set_unit(user=lead, unit="work")
    coach = make_user(RoleCode.INCOME_COACH, username="coach")
    coach2 = make_user(RoleCode.INCOME_COACH, username="coach2")
    mine = make_client(org, ladder_step="4", case_manager=case_manager)
    theirs = make_client(org, ladder_step="4", case_manager=other_cm)
    unassigned = make_client(org, ladder_step="4", case_manager=case_manager)
    return {
        "cm": case_manager,
        "other_cm": other_cm,
        "lead": lead,
        "coach": coach,
        "coach2": coach2,
        "mine": mine,
        "theirs": theirs,
        "unassigned": unassigned,
    }


def _visible(user) -> set[int]:
    return set(clients_for(user).values_list("pk", flat=True))


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_income_coach_sees_only_current_assignments(world) -> None:
    """R-SEC-1: the income coach reads assigned clients only (the probe: all 1,976), and only
    while the assignment runs (both ends inclusive)."""
    w = world
    assert _visible(w["coach"]) == set()
    income_coach_assign(
        actor=w["cm"],
        client=w["mine"],
        coach=w["coach"],
        valid_from=TODAY,
        valid_until=TODAY + dt.timedelta(days=10),
        reason="Budgetcoaching",
    )
    income_coach_assign(
        actor=w["cm"],
        client=w["unassigned"],
        coach=w["coach"],
        valid_from=TODAY + dt.timedelta(days=3),
        reason="Start later",
    )
    assert _visible(w["coach"]) == {w["mine"].pk}
    assert _visible(w["coach2"]) == set()
    with time_machine.travel(dt.datetime(2026, 6, 18, 10, tzinfo=dt.UTC), tick=False):
        assert _visible(w["coach"]) == {w["mine"].pk, w["unassigned"].pk}
    with time_machine.travel(dt.datetime(2026, 6, 25, 10, tzinfo=dt.UTC), tick=False):
        assert _visible(w["coach"]) == {w["mine"].pk, w["unassigned"].pk}
    with time_machine.travel(dt.datetime(2026, 6, 26, 10, tzinfo=dt.UTC), tick=False):
        assert _visible(w["coach"]) == {w["unassigned"].pk}


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_dossier_page_and_api_follow_the_assignment(world, client: HttpClient, api_as) -> None:
    """R-SEC-1: an unassigned dossier is "not found" for the coach (page and API); the list
    and its count hold assigned clients only; the API names the coach of a client."""
    w = world
    income_coach_assign(
        actor=w["cm"], client=w["mine"], coach=w["coach"], valid_from=TODAY, reason="Schulden"
    )
    client.force_login(w["coach"])
    assert client.get(f"/klanten/{w['mine'].pk}/").status_code == 200
    assert client.get(f"/klanten/{w['theirs'].pk}/").status_code == 404
    api = api_as(w["coach"])
    assert api.get(f"/api/v1/clients/{w['theirs'].pk}").status_code == 404
    listed = api.get("/api/v1/clients").json()
    assert [r["id"] for r in listed["results"]] == [w["mine"].pk]
    assert listed["count"] == 1
    assert listed["results"][0]["incomeCoaches"] == [w["coach"].pk]
    cm_api = api_as(w["cm"])
    assert cm_api.get(f"/api/v1/clients/{w['unassigned'].pk}").json()["incomeCoaches"] == []


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_only_own_case_manager_or_team_lead_assigns(world) -> None:
    """R-SEC-1: another case manager (even of the same unit) cannot assign; a team lead can;
    only an income coach of the organisation can be assigned."""
    w = world
    with pytest.raises(ClientError):
        income_coach_assign(
            actor=w["other_cm"], client=w["mine"], coach=w["coach"], valid_from=TODAY, reason="x"
        )
    with pytest.raises(ClientError) as exc:
        income_coach_assign(
            actor=w["cm"], client=w["mine"], coach=w["other_cm"], valid_from=TODAY, reason="x"
        )
    assert exc.value.field == "coach"
    with pytest.raises(ClientError):
        income_coach_assign(
            actor=w["coach"], client=w["mine"], coach=w["coach"], valid_from=TODAY, reason="x"
        )
    assignment = income_coach_assign(
        actor=w["lead"], client=w["theirs"], coach=w["coach"], valid_from=TODAY, reason="Lead"
    )
    assert assignment.assigned_by == w["lead"]


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_assignment_is_audited_and_on_the_timeline(world) -> None:
    """R-SEC-2: assigning and ending leave an audit record with old/new values and an event."""
    w = world
    a = income_coach_assign(
        actor=w["cm"], client=w["mine"], coach=w["coach"], valid_from=TODAY, reason="Schulden"
    )
    record = AuditRecord.objects.get(object_type="income_coach_assignment", action="create")
    assert record.client_id == w["mine"].pk and record.actor_username == "klantmanager"
    assert record.changes["coach"] == {"old": None, "new": w["coach"].pk}
    income_coach_assignment_end(actor=w["cm"], assignment=a, end_on=TODAY)
    record = AuditRecord.objects.get(object_type="income_coach_assignment", action="update")
    assert record.changes["valid_until"] == {"old": None, "new": "2026-06-15"}
    summaries = list(ClientEvent.objects.filter(client=w["mine"]).values_list("summary", flat=True))
    assert any("toegewezen" in s for s in summaries)
    assert any("beëindigd" in s for s in summaries)
    # Ended today: still visible today, not tomorrow.
    assert _visible(w["coach"]) == {w["mine"].pk}
    with time_machine.travel(dt.datetime(2026, 6, 16, 10, tzinfo=dt.UTC), tick=False):
        assert _visible(w["coach"]) == set()


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_assignment_dates_are_checked(world) -> None:
    """R-SEC-6: no backdating beyond two weeks, no end before the start, no endless future,
    no overlapping second assignment; ending never retroactive, never later than planned;
    withdrawing a planned assignment means it never runs."""
    w = world

    def assign(**kw):
        args = {"actor": w["cm"], "client": w["mine"], "coach": w["coach"], "reason": "x"}
        return income_coach_assign(**{**args, **kw})

    for kwargs, field in [
        ({"valid_from": dt.date(2014, 1, 1)}, "valid_from"),
        ({"valid_from": dt.date(2999, 12, 31)}, "valid_from"),
        ({"valid_from": TODAY, "valid_until": TODAY - dt.timedelta(days=1)}, "valid_until"),
        ({"valid_from": TODAY, "valid_until": dt.date(2999, 12, 31)}, "valid_until"),
        ({"valid_from": TODAY, "reason": "  "}, "reason"),
    ]:
        with pytest.raises(ClientError) as exc:
            assign(**kwargs)
        assert exc.value.field == field, kwargs
    first = assign(valid_from=TODAY, valid_until=TODAY + dt.timedelta(days=30))
    with pytest.raises(ClientError):
        assign(valid_from=TODAY + dt.timedelta(days=30))
    with pytest.raises(ClientError):
        income_coach_assignment_end(
            actor=w["cm"], assignment=first, end_on=TODAY - dt.timedelta(days=1)
        )
    with pytest.raises(ClientError):
        income_coach_assignment_end(
            actor=w["cm"], assignment=first, end_on=TODAY + dt.timedelta(days=31)
        )
    planned = income_coach_assign(
        actor=w["cm"],
        client=w["unassigned"],
        coach=w["coach"],
        valid_from=TODAY + dt.timedelta(days=5),
        reason="later",
    )
    income_coach_assignment_end(actor=w["cm"], assignment=planned)
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC), tick=False):
        assert w["unassigned"].pk not in _visible(w["coach"])
    with pytest.raises(ClientError):
        income_coach_assignment_end(actor=w["cm"], assignment=planned)


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_dossier_ui_assigns_and_ends(world, client: HttpClient) -> None:
    """The dossier shows the assignments; the case manager assigns through a small form
    (Dutch errors) and ends with one button; another case manager gets no button."""
    w = world
    client.force_login(w["cm"])
    html = client.get(f"/klanten/{w['mine'].pk}/").content.decode()
    assert "Geen inkomenscoach toegewezen" in html and "Inkomenscoach toewijzen" in html
    url = f"/klanten/{w['mine'].pk}/inkomenscoach/"
    bad = client.post(url, {"coach": w["coach"].pk, "valid_from": "01-01-2999", "reason": "x"})
    assert bad.status_code == 200 and "vooruit" in bad.content.decode()
    ok = client.post(url, {"coach": w["coach"].pk, "valid_from": "15-06-2026", "reason": "Hulp"})
    assert ok.status_code == 302
    assignment = IncomeCoachAssignment.objects.get()
    html = client.get(f"/klanten/{w['mine'].pk}/").content.decode()
    assert "Beëindigen per vandaag" in html and w["coach"].display_name in html
    client.force_login(w["other_cm"])
    html = client.get(f"/klanten/{w['mine'].pk}/").content.decode()
    assert "Beëindigen per vandaag" not in html
    response = client.post(f"/klanten/inkomenscoach/{assignment.pk}/beeindigen/")
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is None  # refused: not their client
    client.force_login(w["cm"])
    client.post(f"/klanten/inkomenscoach/{assignment.pk}/beeindigen/")
    assignment.refresh_from_db()
    assert assignment.valid_until == TODAY and assignment.ended_at is not None


# --- the pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "field"),
    [
        (TODAY, None, None),
        (TODAY - dt.timedelta(days=14), None, None),
        (TODAY - dt.timedelta(days=15), None, "valid_from"),
        (TODAY + dt.timedelta(days=365), None, None),
        (TODAY + dt.timedelta(days=366), None, "valid_from"),
        (TODAY, TODAY, None),
        (TODAY, TODAY - dt.timedelta(days=1), "valid_until"),
        (TODAY, dt.date(2029, 6, 15), None),
        (TODAY, dt.date(2029, 6, 16), "valid_until"),
    ],
)
def test_assignment_dates_table(valid_from, valid_until, field) -> None:
    problem = assignments.assignment_dates_problem(
        valid_from=valid_from, valid_until=valid_until, today=TODAY
    )
    assert (problem.field if problem else None) == field


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
offsets = st.integers(min_value=-3000, max_value=3000)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(start=offsets, length=st.none() | offsets)
def test_accepted_assignment_never_runs_for_ever(start, length) -> None:
    """Property: an accepted assignment starts near today and, if it has an end, ends after
    its start and within the maximum."""
    today = TODAY
    valid_from = today + dt.timedelta(days=start)
    valid_until = None if length is None else valid_from + dt.timedelta(days=length)
    problem = assignments.assignment_dates_problem(
        valid_from=valid_from, valid_until=valid_until, today=today
    )
    if problem is None:
        assert abs((valid_from - today).days) <= 366
        if valid_until is not None:
            assert valid_from <= valid_until <= today + dt.timedelta(days=366 * 3)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(a=dates, b=dates, c=dates, d=dates)
def test_overlap_is_symmetric(a, b, c, d) -> None:
    a, b = sorted((a, b))
    c, d = sorted((c, d))
    assert assignments.overlaps(a, b, c, d) == assignments.overlaps(c, d, a, b)
    assert assignments.overlaps(a, b, c, d) == (max(a, c) <= min(b, d))


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_assigned_coach_is_told_and_told_when_it_ends(world) -> None:
    """R-CLI-3, R-SEC-1 (docs/notifications.md: whoever gets work is told): a team lead who
    assigns a client to an income coach gives the coach work; the coach is told, with the
    period, the reason and a link to the dossier. Ending the assignment tells the coach too
    (the client leaves their list). The one who acts is never told; nothing twice."""
    from opstap.notifications.models import Notification

    w = world
    start = TODAY + dt.timedelta(days=3)
    a = income_coach_assign(
        actor=w["lead"],
        client=w["theirs"],
        coach=w["coach"],
        valid_from=start,
        reason="Schulden in beeld brengen",
    )
    told = Notification.objects.get(recipient=w["coach"])
    assert w["theirs"].full_name in told.title
    assert "18-06-2026" in told.body and "Schulden in beeld brengen" in told.body
    assert told.url == f"/klanten/{w['theirs'].pk}/"
    assert not Notification.objects.exclude(recipient=w["coach"]).exists()
    # ending (here: withdrawing before the start) tells the coach once more
    income_coach_assignment_end(actor=w["lead"], assignment=a, end_on=TODAY)
    assert Notification.objects.filter(recipient=w["coach"]).count() == 2
    ended = Notification.objects.filter(recipient=w["coach"]).latest("pk")
    assert w["theirs"].full_name in ended.title
    assert "ingetrokken" in ended.title.lower() or "beëindigd" in ended.title.lower()
    assert Notification.objects.filter(recipient=w["coach2"]).count() == 0


@time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)
def test_coach_dossier_does_not_claim_there_are_no_trajectories(world, client: HttpClient) -> None:
    """R-SEC-1, R-SEC-6: an income coach may not see trajectories; the dossier said
    "Geen trajecten." while its timeline listed the client's trajectory (a walk of client
    110 in the demo). The section now says that the role shows none, not that none exist."""
    w = world
    income_coach_assign(
        actor=w["cm"], client=w["mine"], coach=w["coach"], valid_from=TODAY, reason="Schulden"
    )
    client.force_login(w["coach"])
    page = client.get(f"/klanten/{w['mine'].pk}/").content.decode()
    assert "Geen trajecten." not in page
    assert "Trajecten zijn voor uw rol niet zichtbaar." in page
    client.force_login(w["cm"])
    assert "Geen trajecten." in client.get(f"/klanten/{w['mine'].pk}/").content.decode()
