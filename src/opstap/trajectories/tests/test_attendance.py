"""Issue 14 item 3: the attendance register (R-ABS-1, R-BILL-9). Provider staff record per
appointment whether the candidate came, on a page and through the API, scoped to their own
provider's trajectories and audited; an absence with its reason becomes an absence report;
travel claims are checked against this register."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opstap.audit.models import AuditRecord
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.demo.generator import DemoContext
from opstap.invoices import services as invoice_services
from opstap.trajectories import demo_data, services
from opstap.trajectories.forms import CHOOSE_TRAJECTORY, NOT_RUNNING
from opstap.trajectories.models import Absence, Appointment, Trajectory
from opstap.trajectories.workflow import REPORTING_STATES

AMS = dt.timezone(dt.timedelta(hours=2))
NOW = dt.datetime(2026, 5, 20, 15, 0, tzinfo=AMS)  # a Wednesday
MORNING = dt.datetime(2026, 5, 20, 9, 30, tzinfo=AMS)


@pytest.fixture
def running(order, walk, product3):
    return walk(order(product3), "running")


@pytest.fixture
def appointment(running, provider_user_a) -> Appointment:
    return services.appointment_create(
        actor=provider_user_a, trajectory=running, starts_at=MORNING, description="Training"
    )


def test_provider_records_attendance_on_the_page(
    appointment, provider_user_a, django_assert_max_num_queries
) -> None:
    """R-ABS-1: the week's appointments with a choice per appointment; recording is audited
    and an event on the trajectory; the travel claim then finds the day (R-BILL-9)."""
    web = HttpClient()
    web.force_login(provider_user_a)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(25):
            page = web.get(reverse("trajectories:attendance")).content.decode()
        assert "Kees Klant" in page and "Training" in page
        before = AuditRecord.objects.count()
        response = web.post(
            reverse("trajectories:attendance_record", args=[appointment.pk]),
            {f"a{appointment.pk}-status": "attended", "week": "2026-05-18"},
        )
        assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.attendance == "attended"
    assert AuditRecord.objects.count() > before
    assert appointment.trajectory.events.filter(action="attendance").exists()
    claim = invoice_services.travel_claim_submit(
        actor=appointment.trajectory.case_manager,
        trajectory=appointment.trajectory,
        trips=[invoice_services.TripInput(dt.date(2026, 5, 20), Decimal("12"), Decimal("6.40"))],
    )
    assert (claim.attendance_source, claim.organisation_pays) == ("register", Decimal("6.40"))


def test_absent_needs_a_reason_and_becomes_an_absence_report(appointment, provider_user_a) -> None:
    web = HttpClient()
    web.force_login(provider_user_a)
    url = reverse("trajectories:attendance_record", args=[appointment.pk])
    with time_machine.travel(NOW, tick=False):
        refused = web.post(url, {f"a{appointment.pk}-status": "absent"})
        assert refused.status_code == 400
        assert "Geef de reden van het verzuim op." in refused.content.decode()
        ok = web.post(
            url, {f"a{appointment.pk}-status": "absent", f"a{appointment.pk}-reason": "Ziek"}
        )
        assert ok.status_code == 302
    absence = Absence.objects.get()
    assert (absence.appointment_id, absence.reason) == (appointment.pk, "Ziek")


def test_attendance_of_a_future_appointment_is_refused(appointment, provider_user_a) -> None:
    with (
        time_machine.travel(MORNING - dt.timedelta(days=1), tick=False),
        pytest.raises(services.TrajectoryError, match="nog niet begonnen"),
    ):
        services.attendance_record(
            actor=provider_user_a, appointment=appointment, status="attended"
        )


def test_other_provider_cannot_see_or_record(appointment, provider_user_b) -> None:
    """R-SEC-1: another provider's staff get a 404, and the appointment is not listed."""
    web = HttpClient()
    web.force_login(provider_user_b)
    with time_machine.travel(NOW, tick=False):
        assert "Kees Klant" not in web.get(reverse("trajectories:attendance")).content.decode()
        response = web.post(
            reverse("trajectories:attendance_record", args=[appointment.pk]),
            {f"a{appointment.pk}-status": "attended"},
        )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.attendance == "planned"


def test_provider_adds_an_appointment_with_a_dutch_date(running, provider_user_a) -> None:
    web = HttpClient()
    web.force_login(provider_user_a)
    with time_machine.travel(NOW, tick=False):
        bad = web.post(
            reverse("trajectories:appointment_add"),
            {
                "appointment-trajectory": running.pk,
                "appointment-day": "2026-13-40",
                "appointment-time": "09:30",
            },
        )
        assert bad.status_code == 400 and "dd-mm-jjjj" in bad.content.decode()
        ok = web.post(
            reverse("trajectories:appointment_add"),
            {
                "appointment-trajectory": running.pk,
                "appointment-day": "22-05-2026",
                "appointment-time": "09:30",
                "appointment-description": "Stagebezoek",
            },
        )
        assert ok.status_code == 302
    appointment = Appointment.objects.get(trajectory=running)
    assert appointment.starts_at == dt.datetime(2026, 5, 22, 9, 30, tzinfo=AMS)


def test_attendance_api(appointment, provider_user_a, provider_user_b, api_as) -> None:
    """R-ABS-1 through the API: list, record (problem+json naming the field), scoped."""
    trajectory = appointment.trajectory
    base = f"/api/v1/trajectories/{trajectory.pk}/appointments"
    with time_machine.travel(NOW, tick=False):
        api = api_as(provider_user_a)
        listed = api.get(base)
        assert listed.status_code == 200
        assert listed.json()[0]["attendance"] == "planned"
        assert "startsAt" in listed.json()[0]
        missing = api.post(
            f"{base}/{appointment.pk}/attendance", {"status": "absent"}, format="json"
        )
        assert missing.status_code == 400
        assert missing["Content-Type"].startswith("application/problem+json")
        assert [p["name"] for p in missing.json()["invalidParams"]] == ["reason"]
        bad = api.post(f"{base}/{appointment.pk}/attendance", {"status": "x"}, format="json")
        assert bad.status_code == 400
        done = api.post(
            f"{base}/{appointment.pk}/attendance", {"status": "attended"}, format="json"
        )
        assert done.status_code == 200 and done.json()["attendance"] == "attended"
        created = api.post(
            base, {"startsAt": "2026-05-27T09:00:00+02:00", "description": "Gesprek"}, format="json"
        )
        assert created.status_code == 201
        other = api_as(provider_user_b)
        assert other.get(base).status_code == 404
        assert (
            other.post(
                f"{base}/{appointment.pk}/attendance", {"status": "attended"}, format="json"
            ).status_code
            == 404
        )


# --- "Afspraak toevoegen": the trajectory is searched, not picked from a list (issue 18) -----


#: The states in which an appointment can be added (the register's "running").
RUNNING_STATES = sorted(s.value for s in REPORTING_STATES)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _login(user) -> HttpClient:
    web = HttpClient()
    web.force_login(user)
    return web


def _options(web: HttpClient, query: str) -> str:
    response = web.get(reverse("trajectories:attendance_trajectory_options"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def _add(web: HttpClient, trajectory: object, day: str = "22-05-2026"):
    return web.post(
        reverse("trajectories:appointment_add"),
        {
            "appointment-trajectory": trajectory,
            "appointment-day": day,
            "appointment-time": "09:30",
            "q": "kla",
        },
    )


def _running_for(org, order, walk, product, case_manager, **client_fields) -> Trajectory:
    client = make_client(org, case_manager=case_manager, **client_fields)
    return walk(order(product, client=client), "running")


@pytest.fixture
def running_b(frozen, org, order, walk, case_manager, contracted_b, make_product, provider_user_b):
    """A running trajectory of the other provider, for Olga Ontplooi."""
    olga = make_client(org, case_manager=case_manager, first_name="Olga", last_name="Ontplooi")
    trajectory = order(make_product(contracted_b, 3), client=olga)
    return walk(trajectory, "running", provider_user=provider_user_b)


def test_search_finds_only_the_providers_own_running_trajectories(
    frozen, running, running_b, org, order, product3, case_manager, provider_user_a, provider_user_b
) -> None:
    """R-SEC-1: provider staff find the running trajectories of their own provider, by the
    start of the client's names or by the client number; never another provider's, nor one
    that is not running. R-SEC-2: every trajectory found is audited as a search."""
    waiting = order(product3, client=make_client(org, case_manager=case_manager, last_name="Klep"))
    a = _login(provider_user_a)
    found = _options(a, "kla")
    assert f'data-value="{running.pk}"' in found
    assert f"Klant, Kees ({running.client.client_number})" in found
    assert f'data-value="{waiting.pk}"' not in found and "Klep" not in _options(a, "kle")
    assert f'data-value="{running.pk}"' in _options(a, "kees kla")
    assert f'data-value="{running.pk}"' in _options(a, "KLANT")
    assert f'data-value="{running.pk}"' in _options(a, running.client.client_number.lower())
    assert 'role="option"' not in _options(a, "lant")  # the start of a name, not any part
    assert 'role="option"' not in _options(a, "ontplooi")
    assert 'role="option"' not in _options(a, running_b.client.client_number)
    assert AuditRecord.objects.filter(
        action="search",
        object_type="trajectory",
        object_id=str(running.pk),
        client_id=running.client_id,
        actor_id=provider_user_a.pk,
    ).exists()
    b = _login(provider_user_b)
    assert f'data-value="{running_b.pk}"' in _options(b, "olga ont")
    assert 'role="option"' not in _options(b, "klant")


def test_search_answers_any_text(frozen, running, provider_user_a) -> None:
    """No 5xx on any input: control characters, LIKE wildcards, quotes, the highest
    characters and very long text are searched as text (or ignored)."""
    a = _login(provider_user_a)
    for query in ["\x00", "%", "_", "k%", "'", "\U0010ffff", "\ud7ff", "\uffff", "x" * 5_000]:
        assert 'role="option"' not in _options(a, query), repr(query)
    assert f'data-value="{running.pk}"' in _options(a, "\x00kla")


def test_case_manager_finds_only_trajectories_of_their_clients(
    frozen, running, org, order, walk, product3, case_manager, make_user
) -> None:
    """R-SEC-1: a case manager finds the running trajectories of the clients they may see
    (own caseload, their unit's steps), not those of a colleague's client in another unit."""
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    case_manager_set_unit(user=case_manager, unit="work")
    case_manager_set_unit(user=colleague, unit="care")
    karel = make_client(
        org, case_manager=colleague, ladder_step="2a", first_name="Karel", last_name="Klaassen"
    )
    theirs = walk(
        order(product3, client=karel, actor=colleague), "running", case_manager_user=colleague
    )
    found = _options(_login(case_manager), "kla")
    assert f'data-value="{running.pk}"' in found and f'data-value="{theirs.pk}"' not in found
    assert f'data-value="{theirs.pk}"' in _options(_login(colleague), "kla")


@pytest.fixture
def many_running(frozen, org, product3, client_k) -> int:
    """More than 500 running trajectories at provider A, all of Kees Klant: the bulk path of
    the city-scale demo (1,700 trajectories in the demo's mix of states)."""
    ctx = DemoContext(
        organisation=org, scale="city", rng=random.Random(18), today=NOW.date(), log=lambda _m: None
    )
    demo_data._build_bulk(ctx, 1_700)
    running = Trajectory.objects.filter(provider=product3.provider, state__in=RUNNING_STATES)
    assert running.count() > 500
    return running.count()


def test_search_shows_twenty_and_asks_to_narrow_it(
    many_running, org, order, walk, product3, case_manager, provider_user_a
) -> None:
    """Issue 18: at most 20 options, and a hint to narrow the search when more match; the
    number of queries does not depend on how many match, and the query reads only the
    label's columns (no BSN, no date of birth)."""
    zoe = _running_for(
        org, order, walk, product3, case_manager, first_name="Zoë", last_name="Zwaan"
    )
    web = _login(provider_user_a)
    _options(web, "kla")  # the session and the user's roles, once
    # Two searches of the same shape (three letters: three ways of writing them, and the
    # client number), one finding one client, the other more than twenty.
    with CaptureQueriesContext(connection) as captured:
        single = _options(web, "zwa")
    one = [q["sql"] for q in captured.captured_queries]
    with CaptureQueriesContext(connection) as captured:
        body = _options(web, "kla")
    many = [q["sql"] for q in captured.captured_queries]
    assert single.count('role="option"') == 1 and "Verfijn" not in single
    assert zoe.client.last_name in single
    assert _options(web, zoe.client.client_number).count('role="option"') == 1
    assert 'id="appointment-trajectory-more"' in single and " hidden>" in single
    assert body.count('role="option"') == 20
    assert "Meer dan 20 gevonden" in body and "Verfijn uw zoekopdracht." in body
    assert 'id="appointment-trajectory-more"' in body and 'hx-swap-oob="true"' in body
    # session, user and roles (6), the search (4, in a transaction: 2), the audit rows (3),
    # the session (3); on PostgreSQL also the SET LOCAL that turns parallel workers off (1)
    assert len(many) == len(one) <= 18 + (connection.vendor == "postgresql")
    search = [sql for sql in many if "trajectories_trajectory" in sql]
    # one query for the number and one per way of writing "kla" (kla, Kla, KLA), each in
    # name order with a limit
    assert len(search) == 4
    assert all("bsn" not in sql and "date_of_birth" not in sql for sql in search)


def test_a_trajectory_past_the_first_500_can_be_chosen(
    many_running, org, order, walk, product3, case_manager, provider_user_a
) -> None:
    """Issue 18: the choice once held the first 500 running trajectories by client name (and
    refused any other). One further down is found and gets its appointment."""
    late = _running_for(
        org, order, walk, product3, case_manager, first_name="Zoë", last_name="Zwaan"
    )
    by_name = list(
        Trajectory.objects.filter(provider=product3.provider, state__in=RUNNING_STATES)
        .order_by("client__last_name", "client__first_name", "id")
        .values_list("pk", flat=True)
    )
    assert by_name.index(late.pk) >= 500
    web = _login(provider_user_a)
    assert f'data-value="{late.pk}"' in _options(web, "zwa")
    assert _add(web, late.pk).status_code == 302
    assert Appointment.objects.filter(trajectory=late, description="").count() == 1


def test_a_trajectory_outside_the_scope_is_a_dutch_form_error(
    frozen, running, running_b, provider_user_a
) -> None:
    """R-SEC-1: an id that is not one of the user's running trajectories is refused on the
    form in Dutch (400, not a 404 or 500); one of another provider is a denied read
    (R-SEC-2), as when the form was a list."""
    web = _login(provider_user_a)
    for value, message in [
        (running_b.pk, NOT_RUNNING),
        ("", CHOOSE_TRAJECTORY),
        ("abc", CHOOSE_TRAJECTORY),
        ("-1", CHOOSE_TRAJECTORY),
        ("99999999999999999999999", CHOOSE_TRAJECTORY),
    ]:
        response = _add(web, value)
        body = response.content.decode()
        assert response.status_code == 400, value
        assert message in body, value
        assert 'aria-invalid="true"' in body
        assert 'name="appointment-trajectory" value=""' in body
    assert not Appointment.objects.exists()
    assert AuditRecord.objects.filter(
        action="denied",
        object_type="trajectory",
        object_id=str(running_b.pk),
        actor_id=provider_user_a.pk,
    ).exists()


def test_a_form_with_an_error_keeps_the_chosen_trajectory(frozen, running, provider_user_a) -> None:
    """A form that comes back with an error shows the trajectory that was chosen (its id in
    the field, its label in the search box), so it need not be searched again."""
    response = _add(_login(provider_user_a), running.pk, day="31-02-2026")
    body = response.content.decode()
    assert response.status_code == 400 and "dd-mm-jjjj" in body
    label = f"Klant, Kees ({running.client.client_number}) — {running.product.name}"
    assert f'name="appointment-trajectory" value="{running.pk}"' in body
    assert f'value="{label}"' in body and f"Gekozen: {label}" in body
    assert not Appointment.objects.exists()


def test_the_page_loads_no_running_trajectories(
    frozen, org, order, walk, product3, case_manager, provider_user_a
) -> None:
    """Issue 18: the register page does not load the running trajectories (the form searches
    them): as many queries with 3 as with 30, and none of their clients is on the page."""
    first = [_running_for(org, order, walk, product3, case_manager) for _ in range(3)]
    web = _login(provider_user_a)
    url = reverse("trajectories:attendance")
    web.get(url)  # the session and the user's roles, once
    with CaptureQueriesContext(connection) as three:
        assert web.get(url).status_code == 200
    more = [_running_for(org, order, walk, product3, case_manager) for _ in range(27)]
    with CaptureQueriesContext(connection) as thirty:
        page = web.get(url).content.decode()
    assert len(thirty) == len(three) <= 12
    assert 'role="combobox"' in page and "<select" not in page
    assert not any(t.client.last_name in page for t in first + more)


# --- "Afspraak toevoegen" without JavaScript: a GET search, the matches as radio buttons ------


def _radio(trajectory: Trajectory, checked: bool = False) -> str:
    return (
        f'<input type="radio" name="appointment-trajectory" id="appointment-trajectory-r'
        f'{trajectory.pk}" value="{trajectory.pk}"{" checked" if checked else ""}>'
    )


def test_without_javascript_the_search_lists_the_trajectories_as_radio_buttons(
    frozen, running, running_b, provider_user_a
) -> None:
    """Progressive enhancement: the combobox's search box also submits a GET search form of
    its own ("Zoeken"); the page then lists the matches as radio buttons of the trajectory
    field, in scope (R-SEC-1) and audited as a search (R-SEC-2). The combobox's hidden value
    is disabled until the script enables it, so the radio button is what is posted."""
    web = _login(provider_user_a)
    url = reverse("trajectories:attendance")
    page = web.get(url, {"q": "kla", "week": "2026-05-18"}).content.decode()
    assert 'id="appointment-search"' in page and 'form="appointment-search"' in page
    assert 'form="appointment-search" class="utrecht-button' in page and ">Zoeken</button>" in page
    assert 'name="appointment-trajectory" value="" disabled' in page
    assert _radio(running) in page
    label = f"Klant, Kees ({running.client.client_number}) — {running.product.name}"
    assert f'<label for="appointment-trajectory-r{running.pk}">' in page and label in page
    assert 'value="kla"' in page  # the search text stays in the box
    assert f'value="{running_b.pk}"' not in page
    assert AuditRecord.objects.filter(
        action="search",
        object_type="trajectory",
        object_id=str(running.pk),
        actor_id=provider_user_a.pk,
    ).exists()
    nothing = web.get(url, {"q": "ontplooi"}).content.decode()
    assert 'type="radio" name="appointment-trajectory"' not in nothing
    assert 'Geen lopend traject gevonden bij "ontplooi"' in nothing
    # The plain page lists no trajectories (issue 18).
    assert 'type="radio" name="appointment-trajectory"' not in web.get(url).content.decode()
    # Posted as the radio button (no hidden value): the appointment is added.
    response = web.post(
        reverse("trajectories:appointment_add"),
        {
            "q": "kla",
            "appointment-trajectory": running.pk,
            "appointment-day": "22-05-2026",
            "appointment-time": "09:30",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.filter(trajectory=running).count() == 1


def test_without_javascript_errors_are_dutch_and_linked_to_the_choice(
    frozen, running, running_b, provider_user_a
) -> None:
    """WCAG 2.1 AA (3.3.1, 1.3.1): a refused choice comes back with the matches listed again
    and its Dutch error linked to the radio group; another provider's id is refused by the
    server-side scope check whatever the page offered. A chosen trajectory stays checked when
    another field is wrong."""
    web = _login(provider_user_a)
    for value, message in [(running_b.pk, NOT_RUNNING), ("", CHOOSE_TRAJECTORY)]:
        body = _add(web, value).content.decode()
        assert message in body
        assert 'id="appointment-trajectory-error"' in body
        assert 'aria-describedby="appointment-trajectory-error"' in body
        assert _radio(running) in body  # the search "kla" again
        assert f'value="{running_b.pk}" checked' not in body
    body = _add(web, running.pk, day="31-02-2026").content.decode()
    assert "dd-mm-jjjj" in body and _radio(running, checked=True) in body
    assert not Appointment.objects.exists()
