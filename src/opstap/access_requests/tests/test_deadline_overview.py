"""R-SEC-5 (AVG art. 12(3): answer within one month): the organisation-wide deadline overview
of access requests for the privacy officer (privacyfunctionaris, `access_requests.oversee`).

Finding: no role watched the deadlines across the organisation. Each case manager saw only the
requests of their own scope; a request of a client whose case manager is ill or gone, of a
client without a case manager, or of a person without a dossier could pass its deadline with
nobody seeing it. Now the privacy officer sees every unanswered request of the organisation,
overdue and due within a week first, with who handles it, and nothing of the dossier
(need-to-know, R-SEC-1): no name of the requester, no client number, no link to the request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from opstap.access_requests import selectors, services, views
from opstap.access_requests.models import AccessRequest
from opstap.access_requests.workflow import Action
from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, Perm, RoleCode
from opstap.notifications.services import notification_send
from opstap.organisations.models import Organisation

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
#: The explicit "today" of these tests.
TODAY = dt.date(2027, 3, 15)
NOW = dt.datetime(2027, 3, 15, 9, 0, tzinfo=AMS)


def _received(days_ago: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days_ago)


def _as(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@dataclass
class Requests:
    officer: User
    km: User
    km_ill: User
    overdue: AccessRequest  # client of the case manager who is ill (account deactivated)
    soon: AccessRequest  # a person without a dossier
    later: AccessRequest  # client of km
    orphan: AccessRequest  # a portal request of a client without a case manager
    answered: AccessRequest
    client_names: list[str]


@pytest.fixture
def requests(org: Organisation, other_org: Organisation, make_user: Callable[..., User]) -> Any:
    officer = make_user(RoleCode.PRIVACY_OFFICER, username="privacy")
    km = make_user(RoleCode.CASE_MANAGER, username="km")
    km_ill = make_user(RoleCode.CASE_MANAGER, username="km-ziek")
    km_ill.first_name, km_ill.last_name = "Zieke", "Klantmanager"
    km_ill.save()
    client_ill = make_client(org, case_manager=km_ill, first_name="Greet", last_name="Geheim")
    client_km = make_client(org, case_manager=km, first_name="Henk", last_name="Verborgen")
    # Registered before R-CLI-3 was enforced: a client without a case manager (legacy row).
    client_alone = make_client(org, case_manager=km, first_name="Ria", last_name="Zonderkm")
    Client.objects.filter(pk=client_alone.pk).update(case_manager=None)
    client_alone.refresh_from_db()
    resident = make_user(RoleCode.RESIDENT, username="ria")
    client_link_user(client=client_alone, user=resident)

    # Received 40 days ago: due 30 or 31 days later, so about 9 days overdue.
    overdue = services.access_request_create(actor=km_ill, client=client_ill, now=_received(40))
    soon = services.access_request_create_without_dossier(
        actor=km,
        requester_name="Piet Privé",
        bsn="111222333",
        requester_contact="Dorpsstraat 1, Zevenaar",
        now=_received(26),
    )
    later = services.access_request_create(actor=km, client=client_km, now=_received(2))
    orphan = services.access_request_create(actor=resident, client=client_alone, now=_received(10))
    answered_of = make_client(org, case_manager=km)
    answered = services.access_request_create_without_dossier(
        actor=km, requester_name="Klaas Klaar", bsn="123456782", now=_received(35)
    )
    services.access_request_transition(
        actor=km, access_request=answered, action=Action.ANSWER_NO_DATA, now=_received(30)
    )
    # Another organisation's overdue request is never shown.
    other_km = make_user(RoleCode.CASE_MANAGER, organisation=other_org, username="km-elders")
    services.access_request_create(
        actor=other_km, client=make_client(other_org, case_manager=other_km), now=_received(50)
    )
    km_ill.is_active = False  # ill, left: the request stays with nobody active
    km_ill.save(update_fields=["is_active"])
    return Requests(
        officer=officer,
        km=km,
        km_ill=km_ill,
        overdue=overdue,
        soon=soon,
        later=later,
        orphan=orphan,
        answered=answered,
        client_names=[c.full_name for c in (client_ill, client_km, client_alone, answered_of)],
    )


def test_privacy_officer_holds_only_the_oversight() -> None:
    """Need-to-know: the role reads deadlines, not dossiers, and does not handle requests."""
    perms = DEFAULT_ROLE_PERMISSIONS[RoleCode.PRIVACY_OFFICER]
    assert Perm.ACCESS_REQUEST_OVERSEE in perms
    assert Perm.ACCESS_REQUEST_HANDLE not in perms
    assert Perm.CLIENT_VIEW not in perms
    # Nobody else holds it by default (the case manager keeps their own scope).
    assert [r for r, p in DEFAULT_ROLE_PERMISSIONS.items() if Perm.ACCESS_REQUEST_OVERSEE in p] == [
        RoleCode.PRIVACY_OFFICER
    ]


def test_the_overview_lists_every_unanswered_request_of_the_organisation(
    requests: Requests,
) -> None:
    """R-SEC-5: also the request of a deactivated case manager's client, of a person without
    a dossier and of a client without a case manager; the earliest due date first."""
    rows = list(selectors.deadline_overview_for(requests.officer, today=TODAY))
    assert [r.pk for r in rows] == [
        requests.overdue.pk,
        requests.soon.pk,
        requests.orphan.pk,
        requests.later.pk,
    ]
    handlers = {r.pk: r.handler for r in rows}
    assert handlers[requests.overdue.pk] == requests.km_ill
    assert handlers[requests.soon.pk] == requests.km  # who registered it (no dossier)
    assert handlers[requests.orphan.pk] is None
    # A case manager sees only their own scope, never through this selector.
    assert list(selectors.deadline_overview_for(requests.km, today=TODAY)) == []
    only_late = selectors.deadline_overview_for(requests.officer, today=TODAY, due_within_days=-1)
    assert [r.pk for r in only_late] == [requests.overdue.pk]
    week = selectors.deadline_overview_for(requests.officer, today=TODAY, due_within_days=7)
    assert [r.pk for r in week] == [requests.overdue.pk, requests.soon.pk]


def test_the_page_shows_deadlines_and_handlers_but_nothing_of_the_dossier(
    requests: Requests, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    page = _as(requests.officer).get("/inzageverzoeken/termijnen/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Termijnen inzageverzoeken" in body
    assert f"IV-{requests.overdue.pk}" in body and f"IV-{requests.later.pk}" in body
    assert f"IV-{requests.answered.pk}" not in body  # answered: not on the overview
    assert "<strong>1</strong> met verstreken termijn, <strong>1</strong> binnen 7 dagen" in body
    overdue_days = (TODAY - requests.overdue.due_on).days
    assert f"{overdue_days} dagen te laat" in body
    assert f"nog {(requests.soon.due_on - TODAY).days} dagen" in body
    assert "Zieke Klantmanager" in body and "(account niet actief)" in body
    assert "(klant zonder klantmanager)" in body
    assert "(geen dossier)" in body
    # Need-to-know: no requester, client name or number, no link into the request.
    for secret in ("Piet Privé", "Dorpsstraat", *requests.client_names):
        assert secret not in body, secret
    for request in (requests.overdue, requests.soon):
        assert f"/inzageverzoeken/{request.pk}/" not in body
    # The read is audited as the work list is: one list row per request shown.
    audited = AuditRecord.objects.filter(
        actor_id=requests.officer.pk, action="list", purpose="Termijnoverzicht inzageverzoeken"
    )
    assert sorted(int(a.object_id) for a in audited) == sorted(
        r.pk for r in (requests.overdue, requests.soon, requests.orphan, requests.later)
    )
    # The menu offers it.
    assert 'href="/inzageverzoeken/termijnen/"' in body


def test_the_numbers_count_every_request_not_only_the_rows_shown(
    requests: Requests, org: Organisation, monkeypatch: pytest.MonkeyPatch, time_machine: Any
) -> None:
    """R-SEC-5: beyond the overview's row limit the numbers still count every unanswered
    request of the organisation, as the start-page panel does (`deadline_counts_for`): they
    had been counted among the rows shown, so with more open requests than the limit the
    overdue and due-soon numbers fell short. The rows stay limited."""
    time_machine.move_to(NOW, tick=False)
    for days_ago in (41, 42, 43):  # three more overdue requests, due before the fixture's
        services.access_request_create(
            actor=requests.km,
            client=make_client(org, case_manager=requests.km),
            now=_received(days_ago),
        )
    monkeypatch.setattr(views, "OVERVIEW_LIMIT", 2)
    counts = selectors.deadline_counts_for(requests.officer, today=TODAY)
    assert counts == {"open": 7, "overdue": 4, "soon": 1}
    body = _as(requests.officer).get("/inzageverzoeken/termijnen/").content.decode()
    assert body.count("<tr data-urgency") == 2
    assert "de eerste 2 verzoeken staan hieronder" in body
    assert "<strong>4</strong> met verstreken termijn, <strong>1</strong> binnen 7 dagen" in body
    # Filtered to the overdue ones, the numbers are still the organisation's (the panel's).
    late = _as(requests.officer).get("/inzageverzoeken/termijnen/", {"termijn": "te-laat"})
    assert "<strong>4</strong> met verstreken termijn, <strong>1</strong> binnen 7 dagen" in (
        late.content.decode()
    )


def test_a_refused_filter_answers_400_with_the_message_at_the_field(
    requests: Requests, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    web = _as(requests.officer)
    refused = web.get("/inzageverzoeken/termijnen/", {"termijn": "gisteren"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Kies alle openstaande verzoeken, alleen termijn verstreken" in body
    assert 'aria-invalid="true"' in body
    late = web.get("/inzageverzoeken/termijnen/", {"termijn": "te-laat"})
    assert late.status_code == 200
    assert f"IV-{requests.overdue.pk}" in late.content.decode()
    assert f"IV-{requests.later.pk}" not in late.content.decode()
    assert 'value="te-laat" selected' in late.content.decode()


def test_others_may_not_open_the_overview_and_the_officer_not_the_request(
    requests: Requests,
) -> None:
    """R-SEC-1: a case manager has no organisation-wide overview (403); the privacy officer
    cannot open a request, its export or the work list (no `access_requests.handle`)."""
    assert _as(requests.km).get("/inzageverzoeken/termijnen/").status_code == 403
    officer = _as(requests.officer)
    assert officer.get(f"/inzageverzoeken/{requests.overdue.pk}/").status_code == 403
    assert officer.get(f"/inzageverzoeken/{requests.overdue.pk}/download").status_code == 403
    assert officer.get("/inzageverzoeken/").status_code == 403


def test_the_overview_has_no_n_plus_1(
    org: Organisation,
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
    time_machine: Any,
) -> None:
    """One query for the rows with their handlers, whatever the number of requests."""
    time_machine.move_to(NOW, tick=False)
    officer = make_user(RoleCode.PRIVACY_OFFICER, username="privacy")
    web = _as(officer)

    def add(n: int) -> None:
        for i in range(n):
            km = make_user(RoleCode.CASE_MANAGER)
            services.access_request_create(
                actor=km, client=make_client(org, case_manager=km), now=_received(i)
            )

    add(2)
    web.get("/inzageverzoeken/termijnen/")  # warm the session and permission caches
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as few:
        assert web.get("/inzageverzoeken/termijnen/").status_code == 200
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = web.get("/inzageverzoeken/termijnen/")
    assert page.content.decode().count("<tr data-urgency") == 14


def test_the_list_query_uses_the_organisation_state_due_index(requests: Requests) -> None:
    """The overview's query is served by `access_req_org_state` (organisation, state, due
    date), not a scan of every request."""
    qs = selectors.deadline_overview_for(requests.officer, today=TODAY)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a tiny table: make the planner show its choice
            cursor.execute("SET LOCAL enable_seqscan = off")
    assert "access_req_org_state" in qs.explain()


def test_client_names_stay_out_of_the_query(requests: Requests) -> None:
    """Only the columns needed to chase a deadline are read (no client name, BSN, requester)."""
    sql = str(selectors.deadline_overview_for(requests.officer, today=TODAY).query)
    client_table = Client._meta.db_table
    assert client_table in sql  # joined only for its case manager
    for column in ("bsn", "first_name", "last_name", "client_number", "street_address"):
        assert f'"{client_table}"."{column}"' not in sql, column
    for column in ("requester_name", "requester_contact", "note"):
        assert column not in sql, column


# --- The privacy officer's start page ----------------------------------------------------------
#
# Finding: the privacy officer's start page was empty (no panel was registered for
# `access_requests.oversee`), so they had to open the overview to learn that a term had passed.

#: The officer's start page, warm (session and permission caches filled): the user with its
#: organisation and roles (one statement, accounts.backends; the session from the cache,
#: cached_db: 7 with its row, issue 18); unread notifications;
#: the panel's one count; the audit records (the page's read and the notifications shown, one
#: link of the chain: its head locked and advanced, one INSERT). On SQLite BEGIN and COMMIT
#: are not captured; PostgreSQL adds them.
# PostgreSQL: the audit records' link and INSERT are one statement (audit 0007, R-SEC-2).
OFFICER_HOME_QUERIES = 6 - (2 if connection.vendor == "postgresql" else 0)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _overview_numbers(rows: list[AccessRequest], today: dt.date) -> dict[str, int]:
    left = [(r.due_on - today).days for r in rows]
    return {
        "open": len(rows),
        "overdue": sum(d < 0 for d in left),
        "soon": sum(0 <= d <= selectors.SOON_DAYS for d in left),
    }


def test_the_panel_counts_what_the_overview_counts(requests: Requests) -> None:
    """R-SEC-5: the panel's numbers are the overview's (same requests, same 'overdue' and
    'within 7 days', today included), on every day around the due dates; one query."""
    first = min(r.due_on for r in (requests.overdue, requests.soon, requests.later))
    for offset in range(-12, 45):
        today = first + dt.timedelta(days=offset)
        rows = list(selectors.deadline_overview_for(requests.officer, today=today))
        with CaptureQueriesContext(connection) as counted:
            counts = selectors.deadline_counts_for(requests.officer, today=today)
        assert len(counted.captured_queries) == 1
        assert counts == _overview_numbers(rows, today), today
    assert selectors.deadline_counts_for(requests.officer, today=TODAY) == {
        "open": 4,
        "overdue": 1,
        "soon": 1,
    }
    # Without the permission: nothing, and no query.
    with CaptureQueriesContext(connection) as none:
        assert selectors.deadline_counts_for(requests.km, today=TODAY) == {
            "open": 0,
            "overdue": 0,
            "soon": 0,
        }
    assert none.captured_queries == []


def test_the_officers_start_page_shows_the_numbers_and_their_notifications(
    requests: Requests, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    sent = services.access_requests_send_deadline_notices(today=TODAY)
    assert sent > 0
    page = _as(requests.officer).get("/")
    assert page.status_code == 200
    body = page.content.decode()
    text = _text(body)
    assert "Termijnen inzageverzoeken" in text
    assert (
        "4 inzageverzoeken zijn nog niet beantwoord: 1 met verstreken termijn, "
        "1 binnen 7 dagen." in text
    )
    assert 'href="/inzageverzoeken/termijnen/"' in body
    assert 'href="/inzageverzoeken/termijnen/?termijn=te-laat"' in body
    # Their unread notifications, as on every staff start page (the notices of this term).
    assert "Nieuwe meldingen" in text
    assert f"IV-{requests.overdue.pk}" in text  # a notice's title names the reference
    # Need-to-know: no requester or client name on the start page.
    for secret in ("Piet Privé", "Dorpsstraat", *requests.client_names):
        assert secret not in body, secret
    home = AuditRecord.objects.get(actor_id=requests.officer.pk, object_type="home")
    assert home.changes == {"panels": ["notifications", "access_requests"]}


def test_the_panel_without_open_requests_and_not_for_a_case_manager(
    org: Organisation, make_user: Callable[..., User], time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    officer = make_user(RoleCode.PRIVACY_OFFICER, username="privacy")
    text = _text(_as(officer).get("/").content.decode())
    assert "Termijnen inzageverzoeken" in text
    assert "Er zijn geen openstaande inzageverzoeken." in text
    km = make_user(RoleCode.CASE_MANAGER, username="km")
    assert 'id="access-request-deadlines-panel"' not in _as(km).get("/").content.decode()


def test_the_officers_start_page_query_count(
    org: Organisation, make_user: Callable[..., User], time_machine: Any
) -> None:
    """A fixed number of statements, whatever the number of requests (the panel counts in
    one aggregate query, reading no row)."""
    time_machine.move_to(NOW, tick=False)
    officer = make_user(RoleCode.PRIVACY_OFFICER, username="privacy")
    km = make_user(RoleCode.CASE_MANAGER)
    notification_send(recipient=officer, title="Termijn verloopt", body="Zie het overzicht.")
    web = _as(officer)

    def add(n: int) -> None:
        for i in range(n):
            services.access_request_create(
                actor=km, client=make_client(org, case_manager=km), now=_received(20 + 2 * i)
            )

    add(2)
    assert web.get("/").status_code == 200  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        assert web.get("/").status_code == 200
    add(10)
    with CaptureQueriesContext(connection) as many:
        page = web.get("/")
    statements = [q["sql"] for q in many.captured_queries]
    assert len(statements) == len(few.captured_queries) == OFFICER_HOME_QUERIES, "\n".join(
        s[:120] for s in statements
    )
    assert sum('FROM "access_requests_accessrequest"' in s for s in statements) == 1
    assert "12 inzageverzoeken zijn nog niet beantwoord" in _text(page.content.decode())
