"""R-SEC-4 / R-SEC-5: a request for access by a person without a dossier (state `no_data`)
keeps the requester's name and address only for a term after the answer.

Finding: the name and address of such a person (not a client) were kept for ever: retention
walked closed client dossiers only, and this request hangs on no client. Now the kind
"Inzageverzoeken zonder dossier" has its own term (default 1 year after the answer,
changeable on the retention page, anonymise only); the nightly run anonymises the name,
address and note, the dry run counts them, and the request row itself (dates, state, who
registered and answered it) stays as accountability."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient

from opstap.access_requests import services as access_services
from opstap.access_requests.models import AccessRequest
from opstap.access_requests.workflow import Action, State
from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.tests.factories import make_client
from opstap.core.retention import PLACEHOLDER
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.retention import services
from opstap.retention.selectors import terms_for
from opstap.retention.terms import Kind

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
RECEIVED = dt.datetime(2026, 2, 2, 10, 0, tzinfo=AMS)
ANSWERED = dt.datetime(2026, 2, 10, 15, 30, tzinfo=AMS)


def _no_data_request(actor: User, name: str, bsn: str, *, answered: bool = True) -> AccessRequest:
    request = access_services.access_request_create_without_dossier(
        actor=actor,
        requester_name=name,
        bsn=bsn,
        requester_contact="Dorpsstraat 1, 6901 AA Zevenaar",
        note="Per brief van 1 februari",
        now=RECEIVED,
    )
    if answered:
        access_services.access_request_transition(
            actor=actor, access_request=request, action=Action.ANSWER_NO_DATA, now=ANSWERED
        )
    request.refresh_from_db()
    return request


def test_name_and_address_are_anonymised_a_term_after_the_answer(
    org: Organisation, make_user: Callable[..., User]
) -> None:
    km = make_user(RoleCode.CASE_MANAGER, username="km")
    answered = _no_data_request(km, "Piet de Boer", "111222333")
    open_request = _no_data_request(km, "Open Verzoek", "123456782", answered=False)
    client_request = access_services.access_request_create(
        actor=km, client=make_client(org, case_manager=km), note="Per telefoon", now=RECEIVED
    )
    assert terms_for(org.pk)[Kind.ACCESS_REQUESTS].years == 1  # the default

    # The day before the term ends: a dry run and a run leave everything.
    day_before = dt.date(2027, 2, 10)
    dry = services.retention_run(organisation_id=org.pk, today=day_before, dry_run=True)
    assert dry.counts["due_access_requests"] == 0
    services.retention_run(organisation_id=org.pk, today=day_before)
    answered.refresh_from_db()
    assert answered.requester_name == "Piet de Boer"

    # A year after the answer: the dry run counts it and changes nothing ...
    due_day = dt.date(2027, 2, 11)
    dry = services.retention_run(organisation_id=org.pk, today=due_day, dry_run=True)
    assert dry.counts["due_access_requests"] == 1
    answered.refresh_from_db()
    assert answered.requester_name == "Piet de Boer"
    # ... the run anonymises name, address and note, and keeps the request.
    run = services.retention_run(organisation_id=org.pk, today=due_day)
    assert run.counts["done_access_requests"] == 1
    answered.refresh_from_db()
    assert answered.requester_name == PLACEHOLDER
    assert answered.requester_contact == PLACEHOLDER
    assert answered.note == PLACEHOLDER
    assert answered.state == State.NO_DATA
    assert answered.requested_at == RECEIVED and answered.answered_at == ANSWERED
    assert answered.due_on == dt.date(2026, 3, 2) and answered.requested_by_id == km.pk
    assert (
        AuditRecord.objects.filter(
            object_type="access_request",
            object_id=str(answered.pk),
            purpose__startswith="Bewaartermijn verstreken: Inzageverzoeken zonder dossier",
        ).count()
        == 1
    )
    # Not answered yet, or about a client (the dossier's own term): untouched.
    open_request.refresh_from_db()
    assert open_request.requester_name == "Open Verzoek"
    client_request.refresh_from_db()
    assert client_request.note == "Per telefoon"

    # Idempotent: the next night finds nothing and writes no second audit record.
    again = services.retention_run(organisation_id=org.pk, today=due_day + dt.timedelta(days=1))
    assert again.counts.get("done_access_requests", 0) == 0
    assert (
        AuditRecord.objects.filter(
            object_type="access_request", object_id=str(answered.pk), purpose__startswith="Bewaar"
        ).count()
        == 1
    )


def test_the_term_is_configurable_and_never_deletes_the_request(
    org: Organisation, other_org: Organisation, make_user: Callable[..., User]
) -> None:
    admin = make_user(RoleCode.APP_ADMIN, username="fb")
    km = make_user(RoleCode.CASE_MANAGER, username="km")
    request = _no_data_request(km, "Piet de Boer", "111222333")
    other_km = make_user(RoleCode.CASE_MANAGER, organisation=other_org, username="km-elders")
    other = _no_data_request(other_km, "Elders Persoon", "111222333")
    services.retention_term_save(
        actor=admin, kind="access_requests", years=2, action="anonymise", source=""
    )
    with pytest.raises(services.RetentionError) as refused:
        services.retention_term_save(
            actor=admin, kind="access_requests", years=2, action="delete", source=""
        )
    assert refused.value.field == "action"
    assert "blijft als verantwoording" in refused.value.message

    services.retention_run(organisation_id=org.pk, today=dt.date(2027, 6, 1))
    request.refresh_from_db()
    assert request.requester_name == "Piet de Boer"  # 2 years now
    services.retention_run(organisation_id=org.pk, today=dt.date(2028, 2, 11))
    request.refresh_from_db()
    assert request.requester_name == PLACEHOLDER
    assert AccessRequest.objects.filter(pk=request.pk).exists()
    # Per organisation: the other organisation's request waits for its own run.
    other.refresh_from_db()
    assert other.requester_name == "Elders Persoon"


def test_the_retention_page_shows_the_term_and_refuses_delete_with_400(
    org: Organisation, make_user: Callable[..., User], time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 1, 9, 0, tzinfo=AMS), tick=False)
    admin = make_user(RoleCode.APP_ADMIN, username="fb")
    web = HttpClient()
    web.force_login(admin)
    page = web.get("/bewaartermijnen/").content.decode()
    assert "Inzageverzoeken zonder dossier (naam en adres van de verzoeker)" in page
    refused = web.post(
        "/bewaartermijnen/termijn",
        {"kind": "access_requests", "years": "3", "action": "delete", "source": ""},
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "het verzoek zelf blijft als verantwoording" in body
    assert 'value="3"' in body  # what was typed stays
    too_long = web.post(
        "/bewaartermijnen/termijn",
        {"kind": "access_requests", "years": "0", "action": "anonymise", "source": ""},
    )
    assert too_long.status_code == 400
    done = web.post(
        "/bewaartermijnen/termijn",
        {"kind": "access_requests", "years": "3", "action": "anonymise", "source": ""},
    )
    assert done.status_code == 302
    assert terms_for(org.pk)[Kind.ACCESS_REQUESTS].years == 3
