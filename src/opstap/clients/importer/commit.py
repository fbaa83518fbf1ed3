"""Commit and undo of an import job (services): one transaction each, idempotent on the client
number; a lost race is a conflict (HTTP 409).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
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
from opstap.core.audit_names import object_type_for
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


def _holding(
    clients: dict[int, Client], change: ImportChange, expected: dict[str, Any], refusal: str
) -> Client:
    """The client of `change` if it still holds the `expected` values; otherwise nobody may
    write: a conflict "De klant op regel <n> `refusal`"."""
    client = clients.get(change.client_id or 0)
    if client is None or not _holds(client, expected):
        raise ImportActionError(f"De klant op regel {change.line} {refusal}", conflict=True)
    return client


@dataclass
class _ChunkWrites:
    """What one chunk of a commit or undo writes, all by the same actor at the same moment:
    the changed clients (and which of their fields), their ladder history rows and their
    timeline events."""

    org_id: int
    actor: Actor | None
    now: dt.datetime
    today: dt.date
    clients: list[Client] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    ladder_rows: list[LadderStepChange] = field(default_factory=list)
    events: list[ClientEvent] = field(default_factory=list)

    def ladder_row(
        self, client: Client, values: dict[str, Any], *, reason: str, previous: bool = True
    ) -> None:
        """The ladder history row for a client whose step or sub-status the import sets
        (`values`, falling back to the client's own); `previous` records the step it leaves."""
        self.ladder_rows.append(
            LadderStepChange(
                organisation_id=self.org_id,
                client=client,
                step=values.get("ladder_step", client.ladder_step),
                sub_status=values.get("ladder_sub_status", client.ladder_sub_status),
                previous_step=client.ladder_step if previous else "",
                previous_sub_status=client.ladder_sub_status if previous else "",
                effective_date=self.today,
                changed_at=self.now,
                changed_by=self.actor,
                reason=reason[:200],
            )
        )

    def event(self, client: Client, *, summary: str, data: dict[str, Any]) -> None:
        """The client's timeline event of an import, its commit or its undo."""
        self.events.append(
            ClientEvent(
                organisation_id=self.org_id,
                client=client,
                kind=ClientEventKind.IMPORT,
                occurred_at=self.now,
                actor=self.actor,
                summary=summary[:300],
                data=data,
                source="clients.import",
            )
        )

    def set_values(
        self,
        client: Client,
        values: dict[str, Any],
        *,
        reason: str,
        summary: str,
        data: dict[str, Any],
    ) -> None:
        """Give a stored client the values of an import change (its `after` on commit, its
        `before` on undo), with a ladder history row when the step or sub-status changes,
        and its timeline event."""
        if "ladder_step" in values or "ladder_sub_status" in values:
            self.ladder_row(client, values, reason=reason)
        for f, v in values.items():
            setattr(client, f, v)
        self.fields.update(values)
        client.updated_at = self.now
        self.clients.append(client)
        self.event(client, summary=summary, data=data)

    def save_clients(self) -> None:
        if self.clients:
            Client.objects.bulk_update(
                self.clients, sorted(self.fields | {"updated_at"}), batch_size=CHUNK
            )

    def save_history(self) -> None:
        """The ladder rows and events, and the signal that these clients changed."""
        LadderStepChange.objects.bulk_create(self.ladder_rows, batch_size=CHUNK)
        ClientEvent.objects.bulk_create(self.events, batch_size=CHUNK)
        clients_changed.send(
            sender=Client,
            organisation_id=self.org_id,
            client_ids=[e.client_id for e in self.events],
        )


def _locked_in(job: ImportJob, status: str, refusal: str) -> ImportJob:
    """The job's row, locked for this transaction, if it is (still) in `status`; otherwise a
    conflict with the Dutch `refusal` (another request got there first)."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != status:
        raise ImportActionError(refusal, conflict=True)
    return locked


def _audit_job(*, actor: Actor | None, org_id: int, job: ImportJob, purpose: str) -> None:
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        organisation_id=org_id,
        object_type=object_type_for(ImportJob),
        object_id=job.pk,
        purpose=purpose[:200],
    )


def import_commit(*, actor: Actor | None, job: ImportJob) -> ImportJob:
    """Write the previewed changes in one transaction (R-SEC-6). A client that changed since
    the preview (or a client number that appeared) refuses the whole commit with a conflict:
    nothing is written and the file must be checked again."""
    org_id = job.organisation_id
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked_in(
            job,
            ImportStatus.PREVIEW,
            "Deze import wacht niet op bevestiging (al bevestigd, afgekeurd of teruggedraaid).",
        )
        for chunk in _changes(locked):
            updates = [c for c in chunk if c.kind == ImportChangeKind.UPDATE]
            clients = _locked_clients(org_id, [c.client_id for c in updates if c.client_id])
            writes = _ChunkWrites(org_id=org_id, actor=actor, now=now, today=today)
            for change in updates:
                client = _holding(
                    clients,
                    change,
                    change.before,
                    "is gewijzigd sinds de controle; er is niets opgeslagen. Importeer het "
                    "bestand opnieuw.",
                )
                after = {f: from_json(f, v) for f, v in change.after.items()}
                writes.set_values(
                    client,
                    after,
                    reason=f"Import {locked.file_name}",
                    summary="Bijgewerkt via import: " + ", ".join(sorted(map(_label, after))),
                    data={"import_job": locked.pk, "fields": sorted(after)},
                )
                if "ladder_step" in after or "ladder_sub_status" in after:
                    client.ladder_step_since = today
                    writes.fields.add("ladder_step_since")
            writes.save_clients()
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
                    writes.ladder_row(c, {}, reason=f"Import {locked.file_name}", previous=False)
                    writes.event(
                        c,
                        summary=f"Ingeschreven via import {locked.file_name}",
                        data={"import_job": locked.pk},
                    )
            writes.save_history()
        skipped = f" {locked.error_count} fout(en) overgeslagen." if locked.error_count else ""
        message = (
            f"{locked.created_count} nieuw, {locked.updated_count} gewijzigd, "
            f"{locked.unchanged_count} ongewijzigd.{skipped}"
        )
        _save_progress(locked, status=ImportStatus.DONE, finished_at=now, message=message)
        _audit_job(
            actor=actor, org_id=org_id, job=locked, purpose=f"Klantimport bevestigd: {message}"
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
        locked = _locked_in(
            job, ImportStatus.DONE, "Alleen een bevestigde import kan worden teruggedraaid."
        )
        for chunk in _changes(locked):
            clients = _locked_clients(org_id, [c.client_id for c in chunk if c.client_id])
            writes = _ChunkWrites(org_id=org_id, actor=actor, now=now, today=today)
            removed: list[int] = []
            for change in chunk:
                client = _holding(
                    clients,
                    change,
                    change.after,
                    "is na de import gewijzigd; er is niets teruggedraaid.",
                )
                if change.kind == ImportChangeKind.CREATE:
                    removed.append(client.pk)
                    continue
                before = {f: from_json(f, v) for f, v in change.before.items()}
                writes.set_values(
                    client,
                    before,
                    reason=f"Import {locked.file_name} teruggedraaid",
                    summary=f"Import {locked.file_name} teruggedraaid",
                    data={"import_job": locked.pk, "undone": sorted(before)},
                )
            writes.save_clients()
            writes.save_history()
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
        _audit_job(
            actor=actor,
            org_id=org_id,
            job=locked,
            purpose=f"Klantimport teruggedraaid ({locked.file_name})",
        )
        CLIENT_COUNTS.changed_now_and_on_commit(org_id)
    return locked
