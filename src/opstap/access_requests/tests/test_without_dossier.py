"""R-SEC-5 (AVG art. 15): everyone may ask whether we process data about them, also a person
of whom the organisation has no dossier. Walk finding: staff could register a request only
from a client's dossier, so such a person could not be registered and the one-month term
was not tracked. Now staff register it with name and BSN (checked against the whole
organisation, not stored), it is on the work list with its due date, and they record the
answer "we hold no data on you"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient

from opstap.access_requests import selectors, services
from opstap.access_requests.models import AccessRequest
from opstap.access_requests.workflow import Action, State
from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
#: The explicit "today" of these tests: 31 January, so one month is Sunday 28 February 2027 and
#: the term ends on Monday 1 March (the Atw calendar, R-SEC-5).
NOW = dt.datetime(2027, 1, 31, 10, 0, tzinfo=AMS)
BSN_UNKNOWN = "111222333"  # passes the elfproef; nobody in the organisation has it
BSN_CLIENT = "123456782"


def _as(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_register_and_answer_no_data_for_a_person_without_dossier(
    org: Organisation, make_user: Callable[..., User]
) -> None:
    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    request = services.access_request_create_without_dossier(
        actor=cm,
        requester_name="  Piet de Boer ",
        bsn="111 222 333",
        requester_contact="Dorpsstraat 1, 6901 AA Zevenaar",
        note="Per brief",
        now=NOW,
    )
    request.refresh_from_db()
    assert request.client_id is None
    assert request.requester_name == "Piet de Boer"
    assert request.state == State.REQUESTED
    assert request.due_on == dt.date(2027, 3, 1)  # one month (AVG art. 12(3)), rolled (Atw)
    assert "111222333" not in str(AccessRequest.objects.values().get())  # BSN not stored
    assert AuditRecord.objects.filter(
        object_type="access_request", object_id=str(request.pk), action="create"
    ).exists()
    # On the work list of whoever handles requests, with its due date.
    assert [r.pk for r in selectors.open_access_requests_for(cm)] == [request.pk]

    answered = services.access_request_transition(
        actor=cm,
        access_request=request,
        action=Action.ANSWER_NO_DATA,
        now=NOW + dt.timedelta(days=2),
    )
    assert answered.state == State.NO_DATA
    assert answered.answered_at == NOW + dt.timedelta(days=2)
    assert list(selectors.open_access_requests_for(cm)) == []
    # Nothing to compile for a person without a dossier.
    with pytest.raises(services.AccessRequestError):
        services.access_request_transition(
            actor=cm, access_request=answered, action=Action.RETRY, now=NOW
        )


def test_no_data_is_refused_when_the_organisation_has_a_dossier_of_the_person(
    org: Organisation, make_user: Callable[..., User]
) -> None:
    """The BSN is checked against every client of the organisation, also one in another
    caseload: "we hold no data on you" must be true for the organisation."""
    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    other = make_user(RoleCode.CASE_MANAGER, username="km2")
    make_client(org, case_manager=other, bsn=BSN_CLIENT)
    with pytest.raises(services.AccessRequestError) as refused:
        services.access_request_create_without_dossier(
            actor=cm, requester_name="Jan Jansen", bsn=BSN_CLIENT, now=NOW
        )
    assert refused.value.field == "bsn"
    assert "wel een dossier" in refused.value.message
    assert not AccessRequest.objects.exists()


def test_a_client_request_cannot_be_answered_with_no_data(
    org: Organisation, make_user: Callable[..., User]
) -> None:
    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    client = make_client(org, case_manager=cm)
    request = services.access_request_create(actor=cm, client=client, now=NOW)
    with pytest.raises(services.AccessRequestError):
        services.access_request_transition(
            actor=cm, access_request=request, action=Action.ANSWER_NO_DATA, now=NOW
        )
    assert AccessRequest.objects.get().state == State.REQUESTED


def test_the_page_registers_and_answers_with_dutch_messages_for_wrong_input(
    org: Organisation, make_user: Callable[..., User], time_machine: object
) -> None:
    time_machine.move_to(NOW, tick=False)  # type: ignore[attr-defined]
    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    web = _as(cm)
    work_list = web.get("/inzageverzoeken/").content.decode()
    assert 'href="/inzageverzoeken/zonder-dossier/"' in work_list

    empty = web.post("/inzageverzoeken/zonder-dossier/", {"requester_name": "", "bsn": ""})
    assert empty.status_code == 400
    body = empty.content.decode()
    assert "Vul de naam in van de persoon die om inzage vraagt." in body
    assert "Vul het BSN in" in body
    letters = web.post(
        "/inzageverzoeken/zonder-dossier/", {"requester_name": "Piet", "bsn": "12345678a"}
    )
    assert letters.status_code == 400
    assert "elfproef" in letters.content.decode()
    assert not AccessRequest.objects.exists()

    done = web.post(
        "/inzageverzoeken/zonder-dossier/",
        {
            "requester_name": "Piet de Boer",
            "bsn": BSN_UNKNOWN,
            "requester_contact": "Dorpsstraat 1",
        },
    )
    request = AccessRequest.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/inzageverzoeken/{request.pk}/"
    page = web.get(done["Location"]).content.decode()
    assert "Piet de Boer (geen dossier)" in page
    assert "01-03-2027" in page
    assert f'action="/inzageverzoeken/{request.pk}/geen-gegevens"' in page
    work_list = web.get("/inzageverzoeken/").content.decode()
    assert "Piet de Boer" in work_list
    # R-SEC-5: the page says the term moves off a weekend or holiday (the Atw calendar).
    assert "dan op de eerstvolgende werkdag" in work_list

    answered = web.post(f"/inzageverzoeken/{request.pk}/geen-gegevens")
    assert answered.status_code == 302
    assert AccessRequest.objects.get().state == State.NO_DATA
    assert "Beantwoord: geen gegevens" in web.get(answered["Location"]).content.decode()
    again = web.post(f"/inzageverzoeken/{request.pk}/geen-gegevens", follow=True)
    assert again.status_code == 200  # a double submit is a message, not an error page


def test_others_do_not_see_a_request_without_dossier(
    org: Organisation,
    other_org: Organisation,
    make_user: Callable[..., User],
) -> None:
    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    request = services.access_request_create_without_dossier(
        actor=cm, requester_name="Piet de Boer", bsn=BSN_UNKNOWN, now=NOW
    )
    elsewhere = make_user(RoleCode.CASE_MANAGER, username="elders", organisation=other_org)
    resident = make_user(RoleCode.RESIDENT, username="inwoner")
    client_link_user(client=make_client(org, case_manager=cm), user=resident)
    coach = make_user(RoleCode.INCOME_COACH, username="coach")
    for user in (elsewhere, resident, coach):
        assert list(selectors.access_requests_for(user)) == []
    assert _as(elsewhere).get(f"/inzageverzoeken/{request.pk}/").status_code == 404
    assert _as(elsewhere).post(f"/inzageverzoeken/{request.pk}/geen-gegevens").status_code == 404
    assert _as(resident).get(f"/mijn/gegevens/{request.pk}/").status_code == 404
    assert AccessRequest.objects.get().state == State.REQUESTED


def test_both_ways_to_register_hold_the_note_to_its_column(
    org: Organisation, make_user: Callable[..., User]
) -> None:
    """R-SEC-5: the note on how a request came in fits `AccessRequest.note` (300), from the
    dossier and without one alike: one rule (`services._note`), one form field, one message."""
    from opstap.access_requests.forms import StaffRequestForm, WithoutDossierForm

    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    client = make_client(org, case_manager=cm)
    message = "De toelichting is te lang: hoogstens 300 tekens."
    with pytest.raises(services.AccessRequestError) as refused:
        services.access_request_create(actor=cm, client=client, note="x" * 301, now=NOW)
    assert (refused.value.field, refused.value.message) == ("note", message)
    with pytest.raises(services.AccessRequestError) as refused:
        services.access_request_create_without_dossier(
            actor=cm, requester_name="Jan Jansen", bsn=BSN_UNKNOWN, note="x" * 301, now=NOW
        )
    assert (refused.value.field, refused.value.message) == ("note", message)
    assert not AccessRequest.objects.exists()
    kept = services.access_request_create(actor=cm, client=client, note=f" {'x' * 300} ", now=NOW)
    assert kept.note == "x" * 300
    for form in (StaffRequestForm(), WithoutDossierForm()):
        assert 'maxlength="300"' in str(form["note"])


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("requester_name", 200, "De naam is te lang: hoogstens 200 tekens."),
        ("requester_contact", 300, "Het adres is te lang: hoogstens 300 tekens."),
    ],
)
def test_the_requesters_name_and_address_are_held_to_their_columns(
    org: Organisation, make_user: Callable[..., User], field: str, length: int, message: str
) -> None:
    """R-SEC-5: name and address of a person without dossier fit their columns; the form and
    the service take the length from one constant each (MAX_REQUESTER_NAME/_CONTACT)."""
    from opstap.access_requests.forms import WithoutDossierForm

    cm = make_user(RoleCode.CASE_MANAGER, username="km")
    values = {"requester_name": "Jan Jansen", "requester_contact": "", field: "x" * (length + 1)}
    with pytest.raises(services.AccessRequestError) as refused:
        services.access_request_create_without_dossier(actor=cm, bsn=BSN_UNKNOWN, now=NOW, **values)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not AccessRequest.objects.exists()
    assert f'maxlength="{length}"' in str(WithoutDossierForm()[field])
