"""The one service guarding the access-request workflow (R-SEC-5): who may ask, the due
date, one open request at a time, failure and retry, download and expiry — each step
audited (R-SEC-2) and transactional (R-SEC-6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import timezone

from opstap.access_requests import export, services
from opstap.access_requests.models import AccessRequest, Channel
from opstap.access_requests.services import AccessRequestError
from opstap.access_requests.workflow import Action, IllegalTransitionError, State
from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import ClientEvent
from opstap.core.roles import RoleCode

from .conftest import World

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 1, 31, 10, 0, tzinfo=dt.UTC)


def test_resident_asks_through_the_portal(world: World) -> None:
    """R-SEC-5: a resident requests their own export; due within one month, on the next working
    day when that is a weekend day (Atw calendar); audited and on the client's timeline."""
    request = services.access_request_create(
        actor=world.resident, client=world.client_a, now=RECEIVED
    )
    assert request.channel == Channel.PORTAL
    assert request.state == State.REQUESTED
    # One month is Saturday 28 February 2026: the term ends on Monday 2 March (Atw art. 1).
    assert request.due_on == dt.date(2026, 3, 2)
    record = AuditRecord.objects.get(object_type="access_request", action="create")
    assert record.client_id == world.client_a.pk
    assert record.actor_id == world.resident.pk
    assert ClientEvent.objects.filter(client=world.client_a, kind="access_request").exists()


def test_case_manager_registers_on_behalf_of_the_client(world: World) -> None:
    """R-POR: every portal action can also be done by the case manager (non-digital)."""
    request = services.access_request_create(
        actor=world.case_manager, client=world.client_b, note="Telefonisch gevraagd"
    )
    assert request.channel == Channel.STAFF
    assert request.note == "Telefonisch gevraagd"


@pytest.mark.parametrize(
    "who", ["resident_for_other", "provider_staff", "income_coach", "other_case_manager"]
)
def test_nobody_asks_for_someone_else_outside_their_scope(
    world: World, make_user: Callable[..., User], who: str
) -> None:
    """R-SEC-1: a resident only for themselves; staff only with the permission and within
    their scope — otherwise the client 'does not exist'."""
    actor, client = {
        "resident_for_other": (world.resident, world.client_b),
        "provider_staff": (world.provider_user, world.client_a),
        "income_coach": (make_user(RoleCode.INCOME_COACH), world.client_a),
        "other_case_manager": (make_user(RoleCode.CASE_MANAGER), world.client_a),
    }[who]
    with pytest.raises(AccessRequestError) as info:
        services.access_request_create(actor=actor, client=client)
    assert info.value.code == "not_found"
    assert not AccessRequest.objects.exists()


def test_one_open_request_at_a_time(world: World) -> None:
    services.access_request_create(actor=world.resident, client=world.client_a)
    with pytest.raises(AccessRequestError, match="al een overzicht"):
        services.access_request_create(actor=world.case_manager, client=world.client_a)
    # Another client is independent.
    services.access_request_create(actor=world.case_manager, client=world.client_b)


def test_compilation_makes_it_ready_with_a_private_file(world: World, settings: Any) -> None:
    settings.OPSTAP_ACCESS_EXPORT_RETENTION_DAYS = 7
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    assert export.compile_access_request(request.pk) == State.READY
    request.refresh_from_db()
    assert request.attempts == 1
    assert request.progress == 100
    assert request.file.name.startswith(f"inzageverzoeken/{world.org.pk}/{request.pk}/")
    assert default_storage.exists(request.file.name)
    assert request.size == default_storage.size(request.file.name) > 0
    assert request.ready_at is not None
    assert request.expires_at == request.ready_at + dt.timedelta(days=7)
    # A duplicate task does nothing.
    assert export.compile_access_request(request.pk) == State.READY
    assert AccessRequest.objects.get(pk=request.pk).attempts == 1


def test_failure_is_recorded_in_dutch_and_can_be_retried(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-SEC-6: a failing compilation marks the request failed with a Dutch message, leaves
    no file behind, and a retry compiles it."""
    request = services.access_request_create(actor=world.resident, client=world.client_a)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(export, "build_zip", broken)
    assert export.compile_access_request(request.pk) == State.FAILED
    request.refresh_from_db()
    assert request.failure_message.startswith("Het samenstellen van het overzicht is mislukt")
    assert "disk" not in request.failure_message
    assert not request.file
    assert not default_storage.exists(f"inzageverzoeken/{world.org.pk}/{request.pk}")

    monkeypatch.undo()
    retried = services.access_request_transition(
        actor=world.resident, access_request=request, action=Action.RETRY
    )
    assert retried.state == State.REQUESTED
    assert retried.failure_message == ""
    assert export.compile_access_request(request.pk) == State.READY
    assert AccessRequest.objects.get(pk=request.pk).attempts == 2


def test_a_failed_complete_step_deletes_the_stored_file(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-SEC-6: the export is stored in the same transaction as the state change; when that
    transaction fails, the file is deleted again and the request is marked failed."""
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    stored: list[str] = []
    real_audit = services._audit

    def failing_audit(req: AccessRequest, **kwargs: Any) -> None:
        if req.state == State.READY:
            stored.append(req.file.name)
            raise RuntimeError("audit store unavailable")
        real_audit(req, **kwargs)

    monkeypatch.setattr(services, "_audit", failing_audit)
    assert export.compile_access_request(request.pk) == State.FAILED
    assert stored
    assert not default_storage.exists(stored[0])
    request.refresh_from_db()
    assert not request.file


def test_download_is_audited_as_an_export(world: World) -> None:
    """R-SEC-2: each download is one `export` record about the client."""
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    export.compile_access_request(request.pk)
    for _ in range(2):
        request = services.access_request_transition(
            actor=world.resident, access_request=request, action=Action.DOWNLOAD
        )
    assert request.state == State.DOWNLOADED
    assert request.download_count == 2
    records = AuditRecord.objects.filter(action="export", object_type="access_request")
    assert records.count() == 2
    assert {r.client_id for r in records} == {world.client_a.pk}


def test_another_resident_cannot_download(world: World, make_user: Callable[..., User]) -> None:
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    export.compile_access_request(request.pk)
    stranger = make_user(RoleCode.RESIDENT)
    with pytest.raises(AccessRequestError):
        services.access_request_transition(
            actor=stranger, access_request=request, action=Action.DOWNLOAD
        )
    assert AccessRequest.objects.get(pk=request.pk).download_count == 0


def test_download_before_ready_is_refused(world: World) -> None:
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    with pytest.raises(IllegalTransitionError, match="downloaden"):
        services.access_request_transition(
            actor=world.resident, access_request=request, action=Action.DOWNLOAD
        )


def test_exports_expire_and_are_deleted(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """R-SEC-5 retention: after the configured days the ZIP is deleted, the row and its
    dates remain, and a new request is possible."""
    settings.OPSTAP_ACCESS_EXPORT_RETENTION_DAYS = 30
    start = timezone.now()
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    export.compile_access_request(request.pk)
    request.refresh_from_db()
    name = request.file.name
    with time_machine.travel(start + dt.timedelta(days=29), tick=False):
        assert services.access_requests_expire_due() == 0
    with (
        time_machine.travel(start + dt.timedelta(days=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.access_requests_expire_due() == 1
    request.refresh_from_db()
    assert request.state == State.EXPIRED
    assert request.expired_at is not None
    assert not request.file
    assert not default_storage.exists(name)
    assert AuditRecord.objects.filter(purpose__contains="verlopen").count() == 1
    services.access_request_create(actor=world.resident, client=world.client_a)


def test_a_stalled_compilation_is_failed_and_can_be_retried(world: World) -> None:
    """R-SEC-6: a worker that died mid-compilation leaves `compiling`; the scheduled job marks
    it failed (Dutch message) after an hour so it can be retried."""
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    started = timezone.now()
    services.access_request_transition(
        actor=None, access_request=request, action=Action.START, now=started
    )
    assert services.access_requests_fail_stale(now=started + dt.timedelta(minutes=30)) == 0
    assert services.access_requests_fail_stale(now=started + dt.timedelta(hours=2)) == 1
    request.refresh_from_db()
    assert request.state == State.FAILED
    assert request.failure_message.startswith("Het samenstellen van het overzicht is onderbroken")
    services.access_request_transition(
        actor=world.resident, access_request=request, action=Action.RETRY
    )
    assert export.compile_access_request(request.pk) == State.READY
