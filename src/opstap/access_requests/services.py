"""Every state change of an access request (R-SEC-5) goes through this module.

- `access_request_create`: a resident asks for their own export (portal), or staff with
  `access_requests.handle` register it on the client's behalf (non-digital channel, R-POR);
  the due date is one month after receipt, moved to the next working day of the Atw
  calendar (`_due_on`).
- `access_request_transition`: the one gate of the workflow table (`workflow.py`): locks the
  row, checks the step, applies its effect, writes an audit record (R-SEC-2) — all in one
  transaction (R-SEC-6).
- `access_request_progress`: the compilation's progress (not a state change, no audit).
- `access_requests_expire_due`: the scheduled job that deletes exports past their date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from opstap.accounts.selectors import active_users_with_perm
from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import Client, ClientEventKind
from opstap.clients.services import ClientError, bsn_clean, client_event_record
from opstap.core.access import can_see, check_perm
from opstap.core.actor import Actor
from opstap.core.dutch import too_long
from opstap.core.errors import ConflictError, InvalidInputError
from opstap.core.roles import Perm
from opstap.notifications.models import Notification
from opstap.notifications.services import notification_send
from opstap.trajectories.selectors import equated_days

from . import terms
from .models import AccessRequest, Channel
from .workflow import Action, State, check_transition

MAX_FAILURE_MESSAGE = 300

#: The longest note on how a request came in (its column, `AccessRequest.note`).
MAX_NOTE = 300


class AccessRequestError(InvalidInputError):
    """A request that cannot be made or changed; Dutch, for the user. `code="not_found"`
    answers 404 in the API (`opstap.core.errors.status_of`)."""


class AccessRequestConflict(AccessRequestError, ConflictError):  # noqa: N818 (like its base)
    """Another request of this client is still being compiled (409, code "already_open")."""


def _due_on(now: dt.datetime) -> dt.date:
    """The due date of a request received at `now` (R-SEC-5, AVG art. 12(3)): one month
    after the day of receipt, on the next working day of the Atw calendar when that is a
    weekend day, a holiday or a day equated with one by royal decree (the equated days are
    the trajectory deadlines' reference data, read in one query)."""
    return terms.due_date(timezone.localdate(now), equated_days=equated_days())


def _note(note: str) -> str:
    """The note on how a request came in, trimmed; refused at its field when longer than
    `MAX_NOTE` (both ways to register a request take one)."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise AccessRequestError(too_long("de toelichting", MAX_NOTE), field="note")
    return note


def retention_days() -> int:
    """Days an export is kept after it is ready (setting, default 30)."""
    return int(
        getattr(settings, "OPSTAP_ACCESS_EXPORT_RETENTION_DAYS", terms.DEFAULT_RETENTION_DAYS)
    )


def is_own_client(user: Actor, client: Client) -> bool:
    return bool(
        check_perm(user, Perm.PORTAL_VIEW)
        and client.user_id is not None
        and client.user_id == user.pk
    )


def may_act_for(user: Actor | None, client: Client) -> bool:
    """A resident for themselves; staff with the permission for clients in their scope."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_own_client(user, client):
        return True
    return check_perm(user, Perm.ACCESS_REQUEST_HANDLE) and can_see(user, client)


def _audit(
    request: AccessRequest,
    *,
    actor: Actor | None,
    action: AuditAction,
    purpose: str,
    changes: dict[str, Any] | None = None,
    http_request: Any = None,
) -> None:
    audit_log(
        action=action,
        actor=actor,
        request=http_request,
        object_type="access_request",
        object_id=request.pk,
        client_id=request.client_id,
        purpose=purpose,
        changes=changes,
        organisation_id=request.organisation_id,
    )


@transaction.atomic
def access_request_create(
    *,
    actor: Actor,
    client: Client,
    note: str = "",
    now: dt.datetime | None = None,
    http_request: Any = None,
) -> AccessRequest:
    """Register a right-of-access request (R-SEC-5). The channel follows from who asks."""
    if not may_act_for(actor, client):
        # Indistinguishable from a client that does not exist (R-SEC-1).
        raise AccessRequestError("Deze klant is niet gevonden.", code="not_found")
    note = _note(note)
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one request at a time
    if AccessRequest.objects.filter(
        client=client, state__in=[State.REQUESTED, State.COMPILING]
    ).exists():
        raise AccessRequestConflict(
            "Er wordt al een overzicht van deze gegevens samengesteld. Wacht tot dat klaar is.",
            code="already_open",
        )
    now = now or timezone.now()
    channel = Channel.PORTAL if is_own_client(actor, client) else Channel.STAFF
    request = AccessRequest.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        channel=channel,
        requested_by=actor,
        requested_at=now,
        due_on=_due_on(now),
        note=note,
    )
    _audit(
        request,
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Inzageverzoek ontvangen (AVG art. 15)",
        changes={"state": {"old": None, "new": request.state}, "channel": channel.value},
        http_request=http_request,
    )
    client_event_record(
        client=client,
        kind=ClientEventKind.ACCESS_REQUEST.value,
        summary="Inzageverzoek ontvangen"
        + (" via het klantportaal" if channel == Channel.PORTAL else " (namens de klant)"),
        actor=actor,
        note=note,
        data={"accessRequest": request.pk, "dueOn": request.due_on.isoformat()},
        source="access_requests",
        occurred_at=now,
    )
    return request


MAX_REQUESTER_NAME = 200
MAX_REQUESTER_CONTACT = 300


@transaction.atomic
def access_request_create_without_dossier(
    *,
    actor: Actor,
    requester_name: str,
    bsn: str,
    requester_contact: str = "",
    note: str = "",
    now: dt.datetime | None = None,
    http_request: Any = None,
) -> AccessRequest:
    """Register the request of a person of whom the organisation has no client dossier
    (R-SEC-5, AVG art. 15): everyone may ask, also without a dossier, and the answer — that
    we hold no data on them — is due within the same month. The BSN only serves to check
    that the organisation really has no dossier of this person (anywhere, not only in the
    actor's caseload: "no data" must be true for the organisation); it is not stored."""
    if not check_perm(actor, Perm.ACCESS_REQUEST_HANDLE) or actor.organisation_id is None:
        raise AccessRequestError("U mag geen inzageverzoeken registreren.", code="not_found")
    name = (requester_name or "").strip()
    contact = (requester_contact or "").strip()
    if not name:
        raise AccessRequestError(
            "Vul de naam in van de persoon die om inzage vraagt.", field="requester_name"
        )
    if len(name) > MAX_REQUESTER_NAME:
        raise AccessRequestError(too_long("de naam", MAX_REQUESTER_NAME), field="requester_name")
    if len(contact) > MAX_REQUESTER_CONTACT:
        raise AccessRequestError(
            too_long("het adres", MAX_REQUESTER_CONTACT),
            field="requester_contact",
        )
    note = _note(note)
    try:
        clean_bsn = bsn_clean(bsn or "")
    except ClientError as exc:
        raise AccessRequestError(exc.message, field="bsn") from exc
    if Client.objects.filter(organisation_id=actor.organisation_id, bsn=clean_bsn).exists():
        raise AccessRequestError(
            "Van deze persoon is wel een dossier bij ons. Registreer het verzoek in het "
            "dossier (Inzageverzoeken (AVG)); kunt u het dossier niet openen, vraag het dan "
            "aan de klantmanager of de privacyfunctionaris.",
            field="bsn",
            code="has_dossier",
        )
    now = now or timezone.now()
    request = AccessRequest.objects.create(
        organisation_id=actor.organisation_id,
        client=None,
        channel=Channel.STAFF,
        requested_by=actor,
        requested_at=now,
        due_on=_due_on(now),
        note=note,
        requester_name=name,
        requester_contact=contact,
    )
    _audit(
        request,
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Inzageverzoek ontvangen van iemand zonder dossier (AVG art. 15)",
        changes={"state": {"old": None, "new": request.state}, "channel": Channel.STAFF.value},
        http_request=http_request,
    )
    return request


def may_handle(user: Actor | None, request: AccessRequest) -> bool:
    """Who may take a person's step on this request: for a client as `may_act_for`; for a
    person without a dossier, staff with the permission in the same organisation."""
    if request.client is not None:
        return may_act_for(user, request.client)
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and check_perm(user, Perm.ACCESS_REQUEST_HANDLE)
        and getattr(user, "organisation_id", None) == request.organisation_id
    )


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


_PURPOSES = {
    Action.START: "Inzageverzoek: samenstellen gestart",
    Action.COMPLETE: "Inzageverzoek: export klaargezet",
    Action.FAIL: "Inzageverzoek: samenstellen mislukt",
    Action.RETRY: "Inzageverzoek: opnieuw aangevraagd",
    Action.DOWNLOAD: "Inzage-export downloaden",
    Action.EXPIRE: "Inzageverzoek: export verlopen en verwijderd",
    Action.ANSWER_NO_DATA: "Inzageverzoek beantwoord: geen gegevens van deze persoon",
}
#: Steps a person takes (the others are the system's: compilation and expiry).
_PERSONAL_ACTIONS = frozenset({Action.RETRY, Action.DOWNLOAD, Action.ANSWER_NO_DATA})


def access_request_transition(
    *,
    actor: Actor | None,
    access_request: AccessRequest,
    action: Action | str,
    failure_message: str = "",
    export_file: File[Any] | None = None,
    now: dt.datetime | None = None,
    http_request: Any = None,
) -> AccessRequest:
    """Take one step of the workflow table (see the module docstring). The row change and
    its audit record are one transaction; an export stored by `complete` is deleted again
    when that transaction fails (R-SEC-6)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _transition(
                actor=actor,
                access_request=access_request,
                action=Action(action),
                failure_message=failure_message,
                export_file=export_file,
                now=now or timezone.now(),
                http_request=http_request,
                stored=stored,
            )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise


def _transition(
    *,
    actor: Actor | None,
    access_request: AccessRequest,
    action: Action,
    failure_message: str,
    export_file: File[Any] | None,
    now: dt.datetime,
    http_request: Any,
    stored: list[str],
) -> AccessRequest:
    request = (
        # Lock the request row only: its client is nullable (a request without a dossier),
        # and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=access_request.pk)
    )
    if action in _PERSONAL_ACTIONS and not may_handle(actor, request):
        raise AccessRequestError("Dit inzageverzoek is niet gevonden.", code="not_found")
    if request.client_id is not None and action is Action.ANSWER_NO_DATA:
        raise AccessRequestError(
            "Van deze klant is een dossier: het antwoord is het overzicht van de gegevens.",
            code="has_dossier",
        )
    if request.client_id is None and action in {Action.START, Action.RETRY}:
        raise AccessRequestError(
            "Van deze persoon is geen dossier; er valt geen overzicht samen te stellen.",
            code="no_dossier",
        )
    row = check_transition(state=request.state, action=action)
    old_state = request.state
    fields = ["state"]
    if action is Action.START:
        request.attempts += 1
        request.started_at = now
        request.progress = 0
        request.progress_step = ""
        request.failure_message = ""
        fields += ["attempts", "started_at", "progress", "progress_step", "failure_message"]
    elif action is Action.COMPLETE:
        if export_file is None:
            raise AccessRequestError("Er is geen export om klaar te zetten.", code="no_file")
        request.file.save(export_file.name or "inzage.zip", export_file, save=False)
        stored.append(request.file.name or "")
        request.size = request.file.size
        request.ready_at = now
        request.expires_at = terms.expires_at(now, retention_days())
        request.progress = 100
        request.progress_step = ""
        fields += ["file", "size", "ready_at", "expires_at", "progress", "progress_step"]
    elif action is Action.FAIL:
        message = failure_message or "Het samenstellen is mislukt."
        request.failure_message = message[:MAX_FAILURE_MESSAGE]
        request.progress = 0
        request.progress_step = ""
        fields += ["failure_message", "progress", "progress_step"]
    elif action is Action.RETRY:
        request.failure_message = ""
        fields += ["failure_message"]
    elif action is Action.DOWNLOAD:
        request.download_count += 1
        if request.first_downloaded_at is None:
            request.first_downloaded_at = now
        fields += ["download_count", "first_downloaded_at"]
    elif action is Action.ANSWER_NO_DATA:
        request.answered_at = now
        fields += ["answered_at"]
    elif action is Action.EXPIRE:
        _delete_file_on_commit(request.file.name or "")
        request.file = ""
        request.size = 0
        request.expired_at = now
        fields += ["file", "size", "expired_at"]
    request.state = row.to_state.value
    request.save(update_fields=fields)
    changes: dict[str, Any] | None = (
        {"state": {"old": old_state, "new": request.state}} if old_state != request.state else None
    )
    personal = action in _PERSONAL_ACTIONS
    _audit(
        request,
        actor=actor if personal else None,
        action=AuditAction.EXPORT if action is Action.DOWNLOAD else AuditAction.UPDATE,
        purpose=_PURPOSES[action],
        changes=changes,
        http_request=http_request if personal else None,
    )
    return request


def access_request_progress(*, access_request_id: int, percent: int, step: str) -> None:
    """Store how far the compilation is (shown by the polling page). Only while compiling."""
    AccessRequest.objects.filter(pk=access_request_id, state=State.COMPILING).update(
        progress=max(0, min(99, percent)), progress_step=step[:100]
    )


#: A compilation still running after this long has died with its worker.
STALE_AFTER = dt.timedelta(hours=1)
STALE_MESSAGE_NL = (
    "Het samenstellen van het overzicht is onderbroken. Probeer het opnieuw; lukt het dan "
    "nog niet, neem contact op met uw klantmanager."
)


def access_requests_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Mark compilations that stopped without an outcome (worker crash, restart) as failed,
    so they can be retried (R-SEC-6). Scheduled with the expiry job."""
    now = now or timezone.now()
    stale = AccessRequest.objects.filter(
        state=State.COMPILING, started_at__lt=now - STALE_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(stale):
        access_request_transition(
            actor=None,
            access_request=AccessRequest(pk=pk),
            action=Action.FAIL,
            failure_message=STALE_MESSAGE_NL,
            now=now,
        )
        count += 1
    return count


def access_requests_expire_due(*, now: dt.datetime | None = None) -> int:
    """Delete the exports past their expiry date (scheduled job). Returns how many."""
    now = now or timezone.now()
    count = 0
    due = AccessRequest.objects.filter(
        state__in=[State.READY, State.DOWNLOADED], expires_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        request = AccessRequest.objects.get(pk=pk)
        access_request_transition(actor=None, access_request=request, action=Action.EXPIRE, now=now)
        count += 1
    return count


# --- Deadline notices (AVG art. 12(3)) --------------------------------------------------------


def notice_days() -> int:
    """Days before the due date that the deadline notice goes out (setting, default 7)."""
    return int(getattr(settings, "OPSTAP_ACCESS_REQUEST_NOTICE_DAYS", terms.DEFAULT_NOTICE_DAYS))


def _handler_line(request: AccessRequest) -> str:
    handler = request.handler
    if handler is None:
        return "Behandelaar: niemand (klant zonder klantmanager)."
    suffix = "" if handler.is_active else " (account niet actief)"
    return f"Behandelaar: {handler.display_name}{suffix}."


def _notice_text(request: AccessRequest, stage: str, today: dt.date) -> tuple[str, str]:
    left = terms.days_left(request.due_on, today)
    due = f"{request.due_on:%d-%m-%Y}"
    if stage == "overdue":
        late = -left
        title = f"Inzageverzoek {request.reference}: termijn verstreken"
        days = "dag" if late == 1 else "dagen"
        when = f"De uiterste antwoorddatum was {due} ({late} {days} geleden)."
    else:
        title = f"Inzageverzoek {request.reference}: termijn verloopt binnenkort"
        when = f"De uiterste antwoorddatum is {due} " + (
            "(vandaag)." if left == 0 else f"(nog {left} {'dag' if left == 1 else 'dagen'})."
        )
    return title, when


def access_requests_send_deadline_notices(*, today: dt.date, days_before: int | None = None) -> int:
    """Tell who must act on an unanswered access request (R-SEC-5, AVG art. 12(3)): from
    `days_before` days before its due date ("soon") and once it has passed ("overdue"), the
    handler (the client's case manager; without a dossier, the staff member who registered
    it) and every privacy officer of the organisation (`access_requests.oversee`). In-app and
    by e-mail (the recipient's choice), through `notifications.notification_send`.

    Once-only per request, stage and recipient: the dedupe key is unique per recipient in the
    database, and the keys already sent are read first, so a second run the same day (or a
    racing one) sends nothing. The notice names the reference, the due date and the handler,
    never who asked or what the dossier holds (e-mail leaves the application). Returns the
    number of notifications sent."""
    days = notice_days() if days_before is None else days_before
    if not isinstance(days, int) or days < 0:
        raise AccessRequestError(
            "Het aantal dagen vooraf is een heel getal van 0 of meer.", field="days_before"
        )
    candidates = list(
        AccessRequest.objects.filter(
            state__in=[State.REQUESTED, State.COMPILING, State.FAILED],
            due_on__lte=today + dt.timedelta(days=days),
        )
        .select_related("client__case_manager", "requested_by")
        .only(*_NOTICE_FIELDS)
        .order_by("organisation_id", "due_on", "id")
    )
    if not candidates:
        return 0
    overseers: dict[int, list[Any]] = {}
    for organisation_id in {r.organisation_id for r in candidates}:
        overseers[organisation_id] = list(
            active_users_with_perm(organisation_id, Perm.ACCESS_REQUEST_OVERSEE)
        )
    keys = {
        f"access-request:{r.pk}:{terms.notice_stage(r.due_on, today, days)}" for r in candidates
    }
    already = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("recipient_id", "dedupe_key")
    )
    sent = 0
    for request in candidates:
        stage = terms.notice_stage(request.due_on, today, days)
        if stage is None:  # pragma: no cover - the filter selects only due ones
            continue
        key = f"access-request:{request.pk}:{stage}"
        title, when = _notice_text(request, stage, today)
        recipients: list[tuple[Any, str, str]] = []
        handler = request.handler
        if (
            handler is not None
            and handler.is_active
            and handler.organisation_id == request.organisation_id
        ):
            recipients.append(
                (handler, f"/inzageverzoeken/{request.pk}/", f"{when} U behandelt dit verzoek.")
            )
        for overseer in overseers[request.organisation_id]:
            if handler is not None and overseer.pk == handler.pk:
                continue
            recipients.append(
                (overseer, "/inzageverzoeken/termijnen/", f"{when} {_handler_line(request)}")
            )
        for recipient, url, body in recipients:
            if (recipient.pk, key) in already:
                continue
            with transaction.atomic():
                notification_send(
                    recipient=recipient, title=title, body=body, url=url, dedupe_key=key
                )
            already.add((recipient.pk, key))
            sent += 1
    return sent


#: What the notices read of a request and its handler (no names of who asked, no dossier).
_NOTICE_FIELDS = (
    "id",
    "organisation_id",
    "state",
    "due_on",
    "client_id",
    "client__case_manager_id",
    "client__case_manager__first_name",
    "client__case_manager__last_name",
    "client__case_manager__username",
    "client__case_manager__is_active",
    "client__case_manager__organisation_id",
    "client__case_manager__email",
    "requested_by_id",
    "requested_by__first_name",
    "requested_by__last_name",
    "requested_by__username",
    "requested_by__is_active",
    "requested_by__organisation_id",
    "requested_by__email",
)
