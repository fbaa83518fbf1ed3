"""The import job: the validating pass over the file, conflicts with the database, and the preview
of one ImportChange per new or changed client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.clients.models import (
    Client,
    ImportChange,
    ImportChangeKind,
    ImportJob,
    ImportStatus,
)

from .columns import CHUNK, MAX_STORED_ERRORS, RowError
from .commit import import_commit
from .files import discard_import_file
from .parsing import ImportFileError, Lookups, iter_rows, parse_row
from .values import _save_progress, changed_fields, to_json

# --- The job --------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]


def _chunks(
    path: str, lookups: Lookups, today: dt.date
) -> Iterator[list[tuple[int, dict[str, Any], list[RowError]]]]:
    chunk: list[tuple[int, dict[str, Any], list[RowError]]] = []
    for line, raw in iter_rows(path):
        values, errors = parse_row(raw, lookups, today)
        chunk.append((line, values, errors))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _db_conflicts(
    organisation_id: int, chunk: list[tuple[int, dict[str, Any], list[RowError]]]
) -> None:
    """A BSN already stored under another client number (or vice versa) is an error."""
    bsns = {v["bsn"] for _l, v, e in chunk if "bsn" in v}
    numbers = {v["client_number"] for _l, v, e in chunk if v.get("client_number")}
    by_bsn = dict(
        Client.objects.filter(organisation_id=organisation_id, bsn__in=bsns).values_list(
            "bsn", "client_number"
        )
    )
    by_number = dict(
        Client.objects.filter(
            organisation_id=organisation_id, client_number__in=numbers
        ).values_list("client_number", "bsn")
    )
    for _line, values, errors in chunk:
        bsn, number = values.get("bsn"), values.get("client_number")
        if bsn and bsn in by_bsn and by_bsn[bsn] != number:
            # Never name the other client: the importer (an administrator) has no access to
            # dossiers, and the error page would link a BSN to a client number (issue 19).
            errors.append(
                RowError(
                    "bsn",
                    "Dit BSN is al bekend onder een ander klantnummer. Laat een klantmanager "
                    "het dossier controleren.",
                )
            )
        if number and number in by_number and bsn and by_number[number] != bsn:
            errors.append(RowError("bsn", "Dit klantnummer is al bekend met een ander BSN."))
        if (
            number
            and number not in by_number
            and "case_manager_id" not in values
            and not any(e.field == "klantmanager" for e in errors)
        ):
            # R-CLI-3: a new client is registered with its case manager (an existing client
            # keeps the one stored when the cell is empty).
            errors.append(
                RowError(
                    "klantmanager",
                    "Vul de klantmanager in (gebruikersnaam): een nieuwe klant krijgt altijd een "
                    "klantmanager.",
                )
            )


def run_import(
    job: ImportJob,
    *,
    commit: bool = False,
    on_progress: Callable[[ImportJob], None] | None = None,
) -> ImportJob:
    """Validate the whole file, then (if allowed) prepare the preview: one ImportChange per
    client the file creates or changes, nothing written to the clients. `commit=True` (the
    command line with --bevestig, tests) commits right after the preview. Progress is stored
    on the job: `processed_rows` counts the validation pass, then the preview pass."""
    path = job.file_path
    org_id = job.organisation_id
    today = timezone.localdate()
    try:
        lookups = Lookups.load(org_id)
        _save_progress(job, status=ImportStatus.VALIDATING, processed_rows=0)
        total = 0
        error_count = 0
        stored: list[dict[str, Any]] = []
        seen_numbers: set[str] = set()
        seen_bsns: set[str] = set()
        #: Lines with an error of any kind (the row's own, a duplicate in the file, a
        #: conflict with the database): the preview pass skips them all, not only the rows
        #: whose own fields are wrong.
        refused: set[int] = set()
        for chunk in _chunks(path, lookups, today):
            for _line, values, errors in chunk:
                number, bsn = values.get("client_number"), values.get("bsn")
                if number:
                    if number in seen_numbers:
                        errors.append(
                            RowError(
                                "klantnummer",
                                f"Klantnummer {number} staat al eerder in het bestand.",
                            )
                        )
                    seen_numbers.add(number)
                if bsn:
                    if bsn in seen_bsns:
                        errors.append(RowError("bsn", "Dit BSN staat al eerder in het bestand."))
                    seen_bsns.add(bsn)
            _db_conflicts(org_id, chunk)
            for line, _values, errors in chunk:
                if errors:
                    refused.add(line)
                for err in errors:
                    error_count += 1
                    if len(stored) < MAX_STORED_ERRORS:
                        stored.append({"line": line, "field": err.field, "message": err.message})
            total += len(chunk)
            _save_progress(job, processed_rows=total, error_count=error_count)
            if on_progress:
                on_progress(job)
        del seen_numbers, seen_bsns
        _save_progress(job, total_rows=total, errors=stored, error_count=error_count)
        if total == 0:
            # a header row only (or blank lines): nothing to preview or confirm
            raise ImportFileError(
                "Het bestand bevat geen klantregels, alleen de kopregel. Zet onder de kopregel "
                "één regel per klant en importeer het opnieuw."
            )
        if error_count and not job.only_valid_rows:
            _save_progress(
                job,
                status=ImportStatus.REJECTED,
                finished_at=timezone.now(),
                message=(
                    f"Het bestand bevat {error_count} fout(en); er is niets opgeslagen. "
                    "Verbeter het bestand en importeer het opnieuw."
                ),
            )
            return job
        created = updated = unchanged = 0
        with transaction.atomic():
            ImportChange.objects.filter(job=job).delete()
            for chunk in _chunks(path, lookups, today):
                valid = [(line, v) for line, v, errs in chunk if not errs and line not in refused]
                c, u, n = _preview_chunk(job, valid)
                created, updated, unchanged = created + c, updated + u, unchanged + n
        skipped = f" {error_count} regel(s) met fouten worden overgeslagen." if error_count else ""
        _save_progress(
            job,
            status=ImportStatus.PREVIEW,
            processed_rows=total,
            created_count=created,
            updated_count=updated,
            unchanged_count=unchanged,
            message=(
                f"Controleer de wijzigingen: {created} nieuw, {updated} gewijzigd, "
                f"{unchanged} ongewijzigd.{skipped} Er is nog niets opgeslagen."
            ),
        )
    except ImportFileError as exc:
        _save_progress(
            job, status=ImportStatus.REJECTED, message=str(exc), finished_at=timezone.now()
        )
        return job
    except Exception:
        _save_progress(
            job,
            status=ImportStatus.FAILED,
            message=(
                "De import is mislukt door een fout in Opstap; er is niets half opgeslagen. "
                "Probeer het later opnieuw of meld het bij de functioneel beheerder."
            ),
            finished_at=timezone.now(),
        )
        raise
    finally:
        # The preview (ImportChange rows) is all the confirmation needs: the file, with the
        # BSN of every client in it, is deleted once it is read or refused (files.py).
        discard_import_file(job.file_path)
    if commit:
        return import_commit(actor=job.created_by, job=job)
    return job


def _preview_chunk(job: ImportJob, rows: list[tuple[int, dict[str, Any]]]) -> tuple[int, int, int]:
    org_id = job.organisation_id
    existing = {
        c.client_number: c
        for c in Client.objects.filter(
            organisation_id=org_id, client_number__in=[v["client_number"] for _l, v in rows]
        )
    }
    changes: list[ImportChange] = []
    created = unchanged = 0
    for line, values in rows:
        client = existing.get(values["client_number"])
        if client is None:
            created += 1
            changes.append(
                ImportChange(
                    organisation_id=org_id,
                    job=job,
                    line=line,
                    kind=ImportChangeKind.CREATE,
                    client_number=values["client_number"],
                    after={f: to_json(f, v) for f, v in values.items()},
                )
            )
            continue
        diff = changed_fields(client, values)
        if not diff:
            unchanged += 1
            continue
        changes.append(
            ImportChange(
                organisation_id=org_id,
                job=job,
                line=line,
                kind=ImportChangeKind.UPDATE,
                client_number=client.client_number,
                client=client,
                before={f: to_json(f, old) for f, (old, _new) in diff.items()},
                after={f: to_json(f, new) for f, (_old, new) in diff.items()},
            )
        )
    ImportChange.objects.bulk_create(changes, batch_size=CHUNK)
    return created, len(changes) - created, unchanged
