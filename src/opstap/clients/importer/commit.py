"""Commit and undo of an import job (services): one transaction each, idempotent on the client
number; a lost race is a conflict (HTTP 409).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import (
    Client,
    ClientEvent,
    ClientEventKind,
    ImportChange,
    ImportChangeKind,
    ImportJob,
    ImportStatus,
    LadderStepChange,
)
from opstap.clients.selectors import CLIENT_COUNTS
from opstap.clients.services import ClientError
from opstap.core.actor import Actor
from opstap.core.signals import clients_changed

from .columns import CHUNK
from .values import _label, _save_progress, from_json

# --- Commit and undo (services) --------------------------------------------------------------


class ImportActionError(ClientError):
    """A commit or undo that cannot be done; `conflict` marks a lost race (HTTP 409)."""

    def __init__(self, message: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict


def _changes(job: ImportJob) -> Iterator[list[ImportChange]]:
    """The job's changes in chunks, by id (constant memory)."""
    last = 0
    while True:
        chunk = list(
            ImportChange.objects.filter(job=job, id__gt=last).select_related("client")[:CHUNK]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _locked_clients(org_id: int, ids: list[int]) -> dict[int, Client]:
    return {
        c.pk: c
        for c in Client.objects.select_for_update().filter(organisation_id=org_id, pk__in=ids)
    }


def _holds(client: Client, expected: dict[str, Any]) -> bool:
    return all(getattr(client, f) == from_json(f, v) for f, v in expected.items())


def _ladder_row(
    *,
    org_id: int,
    client: Client,
    values: dict[str, Any],
    actor: Actor | None,
    now: Any,
    today: Any,
    reason: str,
    previous: bool = True,
) -> LadderStepChange:
    """The ladder history row for a client whose step or sub-status the import sets
    (`values`, falling back to the client's own); `previous` records the step it leaves."""
    return LadderStepChange(
        organisation_id=org_id,
        client=client,
        step=values.get("ladder_step", client.ladder_step),
        sub_status=values.get("ladder_sub_status", client.ladder_sub_status),
        previous_step=client.ladder_step if previous else "",
        previous_sub_status=client.ladder_sub_status if previous else "",
        effective_date=today,
        changed_at=now,
        changed_by=actor,
        reason=reason[:200],
    )


def _import_event(
    *,
    org_id: int,
    client: Client,
    actor: Actor | None,
    now: Any,
    summary: str,
    data: dict[str, Any],
) -> ClientEvent:
    """The client's timeline event of an import, its commit or its undo."""
    return ClientEvent(
        organisation_id=org_id,
        client=client,
        kind=ClientEventKind.IMPORT,
        occurred_at=now,
        actor=actor,
        summary=summary[:300],
        data=data,
        source="clients.import",
    )


def _set_values(
    client: Client,
    values: dict[str, Any],
    *,
    org_id: int,
    actor: Actor | None,
    now: Any,
    today: Any,
    reason: str,
    ladder_rows: list[LadderStepChange],
    fields: set[str],
) -> None:
    """Give a stored client the values of an import change (its `after` on commit, its
    `before` on undo), with a ladder history row when the step or sub-status changes."""
    if "ladder_step" in values or "ladder_sub_status" in values:
        ladder_rows.append(
            _ladder_row(
                org_id=org_id,
                client=client,
                values=values,
                actor=actor,
                now=now,
                today=today,
                reason=reason,
            )
        )
    for f, v in values.items():
        setattr(client, f, v)
    fields.update(values)
    client.updated_at = now


def import_commit(*, actor: Actor | None, job: ImportJob) -> ImportJob:
    """Write the previewed changes in one transaction (R-SEC-6). A client that changed since
    the preview (or a client number that appeared) refuses the whole commit with a conflict:
    nothing is written and the file must be checked again."""
    org_id = job.organisation_id
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise ImportActionError(
                "Deze import wacht niet op bevestiging (al bevestigd, afgekeurd of teruggedraaid).",
                conflict=True,
            )
        for chunk in _changes(locked):
            updates = [c for c in chunk if c.kind == ImportChangeKind.UPDATE]
            clients = _locked_clients(org_id, [c.client_id for c in updates if c.client_id])
            changed: list[Client] = []
            fields: set[str] = set()
            events: list[ClientEvent] = []
            ladder_rows: list[LadderStepChange] = []
            for change in updates:
                client = clients.get(change.client_id or 0)
                if client is None or not _holds(client, change.before):
                    raise ImportActionError(
                        f"De klant op regel {change.line} is gewijzigd sinds de controle; er is "
                        "niets opgeslagen. Importeer het bestand opnieuw.",
                        conflict=True,
                    )
                after = {f: from_json(f, v) for f, v in change.after.items()}
                ladder_moves = "ladder_step" in after or "ladder_sub_status" in after
                _set_values(
                    client,
                    after,
                    org_id=org_id,
                    actor=actor,
                    now=now,
                    today=today,
                    reason=f"Import {locked.file_name}",
                    ladder_rows=ladder_rows,
                    fields=fields,
                )
                if ladder_moves:
                    client.ladder_step_since = today
                    fields.add("ladder_step_since")
                changed.append(client)
                events.append(
                    _import_event(
                        org_id=org_id,
                        client=client,
                        actor=actor,
                        now=now,
                        summary="Bijgewerkt via import: " + ", ".join(sorted(map(_label, after))),
                        data={"import_job": locked.pk, "fields": sorted(after)},
                    )
                )
            if changed:
                Client.objects.bulk_update(
                    changed, sorted(fields | {"updated_at"}), batch_size=CHUNK
                )
            creates = [c for c in chunk if c.kind == ImportChangeKind.CREATE]
            if creates:
                numbers = [c.client_number for c in creates]
                taken = set(
                    Client.objects.filter(
                        organisation_id=org_id, client_number__in=numbers
                    ).values_list("client_number", flat=True)
                )
                if taken:
                    line = next(c.line for c in creates if c.client_number in taken)
                    raise ImportActionError(
                        f"Het klantnummer op regel {line} bestaat inmiddels; er is niets "
                        "opgeslagen. Importeer het bestand opnieuw.",
                        conflict=True,
                    )
                new = [
                    Client(
                        organisation_id=org_id,
                        ladder_step_since=today,
                        **{f: from_json(f, v) for f, v in c.after.items()},
                    )
                    for c in creates
                ]
                Client.objects.bulk_create(new, batch_size=CHUNK)
                ids = dict(
                    Client.objects.filter(
                        organisation_id=org_id, client_number__in=numbers
                    ).values_list("client_number", "pk")
                )
                for change in creates:
                    change.client_id = ids[change.client_number]
                ImportChange.objects.bulk_update(creates, ["client"], batch_size=CHUNK)
                for c in new:
                    c.pk = ids[c.client_number]
                    ladder_rows.append(
                        _ladder_row(
                            org_id=org_id,
                            client=c,
                            values={},
                            actor=actor,
                            now=now,
                            today=today,
                            reason=f"Import {locked.file_name}",
                            previous=False,
                        )
                    )
                    events.append(
                        _import_event(
                            org_id=org_id,
                            client=c,
                            actor=actor,
                            now=now,
                            summary=f"Ingeschreven via import {locked.file_name}",
                            data={"import_job": locked.pk},
                        )
                    )
            LadderStepChange.objects.bulk_create(ladder_rows, batch_size=CHUNK)
            ClientEvent.objects.bulk_create(events, batch_size=CHUNK)
            clients_changed.send(
                sender=Client, organisation_id=org_id, client_ids=[e.client_id for e in events]
            )
        skipped = f" {locked.error_count} fout(en) overgeslagen." if locked.error_count else ""
        message = (
            f"{locked.created_count} nieuw, {locked.updated_count} gewijzigd, "
            f"{locked.unchanged_count} ongewijzigd.{skipped}"
        )
        _save_progress(locked, status=ImportStatus.DONE, finished_at=now, message=message)
        audit_log(
            action=AuditAction.UPDATE,
            actor=actor,
            organisation_id=org_id,
            object_type="client_import",
            object_id=locked.pk,
            purpose=f"Klantimport bevestigd: {message}"[:200],
        )
        if locked.created_count or locked.updated_count:
            CLIENT_COUNTS.changed_now_and_on_commit(org_id)
    return locked


def import_undo(*, actor: Actor | None, job: ImportJob) -> ImportJob:
    """Undo a committed import as one action (R-SEC-6): changed clients get their old values
    back, created clients are removed. Refused (conflict, nothing undone) when a client was
    changed after the import or a created client has since been used (e.g. a trajectory)."""
    org_id = job.organisation_id
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.DONE:
            raise ImportActionError(
                "Alleen een bevestigde import kan worden teruggedraaid.", conflict=True
            )
        for chunk in _changes(locked):
            clients = _locked_clients(org_id, [c.client_id for c in chunk if c.client_id])
            restored: list[Client] = []
            fields: set[str] = set()
            events: list[ClientEvent] = []
            ladder_rows: list[LadderStepChange] = []
            removed: list[int] = []
            for change in chunk:
                client = clients.get(change.client_id or 0)
                if client is None or not _holds(client, change.after):
                    raise ImportActionError(
                        f"De klant op regel {change.line} is na de import gewijzigd; er is "
                        "niets teruggedraaid.",
                        conflict=True,
                    )
                if change.kind == ImportChangeKind.CREATE:
                    removed.append(client.pk)
                    continue
                before = {f: from_json(f, v) for f, v in change.before.items()}
                _set_values(
                    client,
                    before,
                    org_id=org_id,
                    actor=actor,
                    now=now,
                    today=today,
                    reason=f"Import {locked.file_name} teruggedraaid",
                    ladder_rows=ladder_rows,
                    fields=fields,
                )
                restored.append(client)
                events.append(
                    _import_event(
                        org_id=org_id,
                        client=client,
                        actor=actor,
                        now=now,
                        summary=f"Import {locked.file_name} teruggedraaid",
                        data={"import_job": locked.pk, "undone": sorted(before)},
                    )
                )
            if restored:
                Client.objects.bulk_update(
                    restored, sorted(fields | {"updated_at"}), batch_size=CHUNK
                )
            LadderStepChange.objects.bulk_create(ladder_rows, batch_size=CHUNK)
            ClientEvent.objects.bulk_create(events, batch_size=CHUNK)
            clients_changed.send(
                sender=Client, organisation_id=org_id, client_ids=[e.client_id for e in events]
            )
            if removed:
                try:
                    with transaction.atomic():
                        Client.objects.filter(pk__in=removed).delete()
                except ProtectedError as exc:
                    raise ImportActionError(
                        "Een klant uit deze import is inmiddels in gebruik (bijvoorbeeld een "
                        "traject); er is niets teruggedraaid.",
                        conflict=True,
                    ) from exc
        _save_progress(
            locked,
            status=ImportStatus.UNDONE,
            undone_at=now,
            undone_by=actor,
            message=(
                f"Teruggedraaid: {locked.created_count} nieuwe klant(en) verwijderd, "
                f"{locked.updated_count} klant(en) hersteld."
            ),
        )
        audit_log(
            action=AuditAction.UPDATE,
            actor=actor,
            organisation_id=org_id,
            object_type="client_import",
            object_id=locked.pk,
            purpose=f"Klantimport teruggedraaid ({locked.file_name})"[:200],
        )
        CLIENT_COUNTS.changed_now_and_on_commit(org_id)
    return locked
