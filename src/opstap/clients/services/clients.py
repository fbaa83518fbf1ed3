"""Clients: create, update, timeline events, ladder steps (R-LAD), handover (R-CLI-3), linking a
login, starting an import, a case manager's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_read
from opstap.clients import ladder
from opstap.clients.models import (
    CaseManagerProfile,
    Client,
    ClientEvent,
    ClientEventKind,
    ImportJob,
    LadderStepChange,
    MappingKind,
)
from opstap.clients.selectors import mapping_rows, position_of
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.dutch import too_long
from opstap.notifications.services import notification_send
from opstap.organisations.models import Municipality, Organisation

from .validation import (
    _OPTIONAL_FIELDS,
    _UPDATABLE,
    ClientError,
    _check_case_manager,
    _check_client_fields,
    bsn_clean,
    client_field_errors,
)


@transaction.atomic
def client_create(
    *,
    actor: Actor,
    organisation: Organisation,
    bsn: str,
    client_number: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    municipality: Municipality,
    ladder_step: str,
    ladder_sub_status: str = "",
    case_manager: Any = None,
    reason: str = "Startpositie bij inschrijving",
    **optional: Any,
) -> Client:
    """Register a client (R-CLI-1): BSN 11-check, BSN and client number unique per
    organisation; the starting ladder step is the first row of its history (R-LAD-1). The
    case manager is required (R-CLI-3: exactly one current case manager): an active
    case manager of the organisation."""
    unknown = set(optional) - _OPTIONAL_FIELDS
    if unknown:
        raise ClientError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    bsn = bsn_clean(bsn)
    client_number = (client_number or "").strip()
    if not client_number:
        raise ClientError("Vul het klantnummer in.", field="client_number")
    if not first_name.strip() or not last_name.strip():
        raise ClientError("Vul voornaam en achternaam in.", field="last_name")
    names = client_field_errors(
        {"client_number": client_number, "first_name": first_name, "last_name": last_name},
        today=timezone.localdate(),
    )
    if names:
        raise names[0]
    fields = {"municipality": municipality, "date_of_birth": date_of_birth, **optional}
    _check_client_fields(organisation.pk, fields)
    _check_case_manager(organisation.pk, case_manager)
    try:
        position = ladder.validate_position(ladder_step, ladder_sub_status or None)
    except ladder.LadderRuleError as exc:
        raise ClientError(str(exc), field="ladder_step") from exc
    if Client.objects.filter(organisation=organisation, bsn=bsn).exists():
        raise ClientError("Er is al een klant met dit BSN.", field="bsn")
    if Client.objects.filter(organisation=organisation, client_number=client_number).exists():
        raise ClientError("Er is al een klant met dit klantnummer.", field="client_number")
    today = timezone.localdate()
    client = Client.objects.create(
        organisation=organisation,
        bsn=bsn,
        client_number=client_number,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        case_manager=case_manager,
        ladder_step=position.step.value,
        ladder_sub_status=position.sub_status.value if position.sub_status else "",
        ladder_step_since=today,
        **fields,
    )
    now = timezone.now()
    LadderStepChange.objects.create(
        organisation=organisation,
        client=client,
        step=client.ladder_step,
        sub_status=client.ladder_sub_status,
        effective_date=today,
        changed_at=now,
        changed_by=actor,
        reason=reason,
    )
    client_event_record(
        client=client,
        kind=ClientEventKind.CREATED,
        summary=f"Klant ingeschreven op trede {client.ladder_step}",
        actor=actor,
        occurred_at=now,
    )
    _audit_client(actor, client, AuditAction.CREATE, "Klant inschrijven")
    return client


def client_read_audit(*, request: HttpRequest, client: Client, purpose: str) -> None:
    """One audit record of a person reading the client's data on a page or through the API
    (the dossier, a tab or an order form about the client; R-SEC-2)."""
    audit_read(request, client, client.pk, purpose)


def _audit_client(
    actor: Actor,
    client: Client,
    action: AuditAction,
    purpose: str,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """One audit record of a change to the client's own data (R-SEC-2)."""
    audit_log(
        action=action,
        actor=actor,
        object_type="client",
        object_id=client.pk,
        client_id=client.pk,
        organisation_id=client.organisation_id,
        purpose=purpose,
        changes=changes,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Municipality):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def client_update(*, actor: Actor, client: Client, **changes: Any) -> Client:
    """Change personal data (not the ladder step, case manager or BSN: those have their own
    services); records old and new values."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ClientError(
            f"Deze velden kunnen hier niet gewijzigd worden: {', '.join(sorted(unknown))}."
        )
    client = Client.objects.select_for_update().get(pk=client.pk)
    _check_client_fields(client.organisation_id, changes)
    diff: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(client, name)
        if old != value:
            diff[name] = {"old": _jsonable(old), "new": _jsonable(value)}
            setattr(client, name, value)
    if not diff:
        return client
    client.save()
    client_event_record(
        client=client,
        kind=ClientEventKind.UPDATED,
        summary="Gegevens gewijzigd: " + ", ".join(sorted(diff)),
        actor=actor,
        # The hour restriction is kept dated: the placement fee reads the value valid on
        # the placement date (R-BILL-6, `selectors.hour_restrictions_on`).
        data={"fields": sorted(diff)}
        | ({"hour_restriction": diff["hour_restriction"]} if "hour_restriction" in diff else {}),
    )
    _audit_client(actor, client, AuditAction.UPDATE, "Klantgegevens wijzigen", changes=diff)
    return client


def client_event_record(
    *,
    client: Client,
    kind: str,
    summary: str,
    actor: Actor | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    source: str = "clients",
    is_open: bool = False,
    occurred_at: dt.datetime | None = None,
) -> ClientEvent:
    """Append one event to the client's timeline. Other apps call this (e.g. trajectories:
    'traject besteld'); `is_open=True` marks an open agreement the case manager must see.
    `kind` is a ClientEventKind: the timeline and the client's access export show its Dutch
    label, so an app's own code would reach the client as is ("access_request")."""
    if kind not in ClientEventKind.values:
        raise ValueError(f"Onbekende soort gebeurtenis {kind!r}: voeg die toe aan ClientEventKind.")
    if not summary.strip():
        raise ClientError("Een gebeurtenis heeft een samenvatting nodig.", field="summary")
    return ClientEvent.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        actor=actor,
        summary=summary[:300],
        note=note,
        data=data or {},
        source=source,
        is_open=is_open,
    )


@transaction.atomic
def client_event_close(*, actor: Actor, event: ClientEvent) -> ClientEvent:
    """Mark an open agreement as done."""
    event = ClientEvent.objects.select_for_update().get(pk=event.pk)
    if event.is_open:
        event.is_open = False
        event.data = {**event.data, "closed_by": getattr(actor, "pk", None)}
        event.save(update_fields=["is_open", "data"])
    return event


@transaction.atomic
def client_change_ladder_step(
    *,
    actor: Actor,
    client: Client,
    step: str,
    sub_status: str = "",
    reason: str,
    effective_date: dt.date | None = None,
) -> LadderStepChange:
    """R-LAD-1: a new current step with a dated history row (who, when, why). The event
    records what the change implies for unit, track, growth potential and target groups."""
    reason = (reason or "").strip()
    if not reason:
        raise ClientError("Geef een reden voor de wijziging van de trede.", field="reason")
    try:
        new = ladder.validate_position(step, sub_status or None)
    except ladder.LadderRuleError as exc:
        raise ClientError(str(exc), field="step") from exc
    today = timezone.localdate()
    effective = effective_date or today
    if effective > today:
        raise ClientError("De ingangsdatum mag niet in de toekomst liggen.", field="effective_date")
    client = Client.objects.select_for_update().get(pk=client.pk)
    old = position_of(client)
    if old == new:
        raise ClientError("De klant staat al op deze trede.", field="step")
    if client.ladder_step_since and effective < client.ladder_step_since:
        raise ClientError(
            "De ingangsdatum ligt vóór de ingangsdatum van de huidige trede "
            f"({client.ladder_step_since:%d-%m-%Y}).",
            field="effective_date",
        )
    implications = ladder.implications_of_change(
        old,
        new,
        unit_rows=mapping_rows(
            organisation_id=client.organisation_id, kind=MappingKind.UNIT, on=effective
        ),
        track_rows=mapping_rows(
            organisation_id=client.organisation_id, kind=MappingKind.TRACK, on=effective
        ),
    )
    now = timezone.now()
    change = LadderStepChange.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        step=new.step.value,
        sub_status=new.sub_status.value if new.sub_status else "",
        previous_step=client.ladder_step,
        previous_sub_status=client.ladder_sub_status,
        effective_date=effective,
        changed_at=now,
        changed_by=actor,
        reason=reason,
    )
    old_values = {"ladder_step": client.ladder_step, "ladder_sub_status": client.ladder_sub_status}
    client.ladder_step = change.step
    client.ladder_sub_status = change.sub_status
    client.ladder_step_since = effective
    client.save(
        update_fields=["ladder_step", "ladder_sub_status", "ladder_step_since", "updated_at"]
    )
    label_new = change.step + (
        f" ({ladder.SUB_STATUS_LABELS_NL[new.sub_status]})" if new.sub_status else ""
    )
    client_event_record(
        client=client,
        kind=ClientEventKind.LADDER,
        summary=(
            f"Trede {old_values['ladder_step'] or '-'} → {label_new}: {implications.summary_nl()}"
        ),
        actor=actor,
        note=reason,
        occurred_at=now,
        data={
            "from": old_values,
            "to": {"ladder_step": change.step, "ladder_sub_status": change.sub_status},
            "effective_date": effective.isoformat(),
            "unit_before": implications.unit_before,
            "unit_after": implications.unit_after,
            "track_before": implications.track_before,
            "track_after": implications.track_after,
            "growth_after": implications.growth_after,
        },
    )
    _audit_client(
        actor,
        client,
        AuditAction.UPDATE,
        "Trede wijzigen",
        changes={
            "ladder_step": {"old": old_values["ladder_step"], "new": change.step},
            "ladder_sub_status": {"old": old_values["ladder_sub_status"], "new": change.sub_status},
        },
    )
    return change


#: The longest handover note (R-CLI-3): what the next case manager must know fits in a page
#: (about 300 words); the note goes whole into the notification and its e-mail (13,000
#: characters did).
MAX_HANDOVER_NOTE = 2_000


@transaction.atomic
def client_handover(
    *, actor: Actor, client: Client, new_case_manager: Any, note: str
) -> ClientEvent:
    """R-CLI-3: exactly one current case manager; a change is a handover event with a note.
    The new case manager's dossier view shows the open agreements and recent events."""
    note = (note or "").strip()
    if not note:
        raise ClientError(
            "Schrijf een overdrachtsnotitie: wat moet de nieuwe klantmanager weten?", field="note"
        )
    if len(note) > MAX_HANDOVER_NOTE:
        raise ClientError(
            too_long("de overdrachtsnotitie", MAX_HANDOVER_NOTE),
            field="note",
        )
    if new_case_manager is None:
        raise ClientError("Kies de nieuwe klantmanager.", field="new_case_manager")
    try:
        _check_case_manager(client.organisation_id, new_case_manager)
    except ClientError as exc:
        raise ClientError(exc.message, field="new_case_manager") from exc
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.case_manager_id == new_case_manager.pk:
        raise ClientError(
            "Deze klantmanager heeft de klant al in de caseload.", field="new_case_manager"
        )
    old_id = client.case_manager_id
    client.case_manager = new_case_manager
    client.save(update_fields=["case_manager", "updated_at"])
    event = client_event_record(
        client=client,
        kind=ClientEventKind.HANDOVER,
        summary=f"Overgedragen aan {new_case_manager.display_name}",
        actor=actor,
        note=note,
        data={"from_case_manager": old_id, "to_case_manager": new_case_manager.pk},
    )
    _audit_client(
        actor,
        client,
        AuditAction.UPDATE,
        "Overdracht klantmanager",
        changes={"case_manager": {"old": old_id, "new": new_case_manager.pk}},
    )
    if new_case_manager.pk != actor.pk:
        # The work moves to a colleague: tell them (R-CLI-3), once per handover, with what
        # to do, so that the client is picked up without explaining their story again.
        notification_send(
            recipient=new_case_manager,
            title=f"Klant overgedragen: {client.full_name} ({client.client_number})",
            body=(
                f"{actor.display_name} heeft {client.full_name} aan uw caseload toegevoegd. "
                f"Overdrachtsnotitie: {note} "
                "Lees de notitie en de openstaande afspraken in het dossier en neem contact "
                "op met de klant."
            ),
            url=f"/klanten/{client.pk}/",
            dedupe_key=f"handover:{event.pk}",
        )
    return event


@transaction.atomic
def client_link_user(*, client: Client, user: Actor) -> Client:
    """Link the resident's portal account to their client record."""
    if user.organisation_id != client.organisation_id:
        raise ClientError("Het account hoort niet bij deze organisatie.", field="user")
    if Client.objects.filter(user=user).exclude(pk=client.pk).exists():
        raise ClientError("Dit account is al aan een andere klant gekoppeld.", field="user")
    client.user = user
    client.save(update_fields=["user", "updated_at"])
    return client


@transaction.atomic
def client_import_start(
    *, actor: Actor, file_name: str, file_path: str, only_valid_rows: bool
) -> ImportJob:
    """Register an uploaded client file for import (R-SEC-6); the import itself runs in the
    background (`importer.run_import`) once this transaction has committed."""
    return ImportJob.objects.create(
        organisation_id=organisation_id_of(actor),
        created_by=actor,
        file_name=file_name[:255],
        file_path=file_path,
        only_valid_rows=only_valid_rows,
    )


def case_manager_set_unit(*, user: Actor, unit: str) -> CaseManagerProfile:
    """Put a case manager in a unit (their scope: own unit plus own caseload, R-SEC-1)."""
    if unit not in ladder.UnitCode.__members__.values() and unit not in {
        u.value for u in ladder.UnitCode
    }:
        raise ClientError("Onbekende unit.", field="unit")
    profile, _created = CaseManagerProfile.objects.update_or_create(
        user=user, defaults={"unit": unit}
    )
    return profile
