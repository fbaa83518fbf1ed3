"""State changes of retention (R-SEC-4): terms, legal holds and the retention run.

`retention_run` is what the daily Celery beat task does (and, with `dry_run=True`, what the
management command and the page show without changing anything): it walks the
organisation's clients in id order in batches, finds closed dossiers past a term, and
applies the anonymisers the apps registered (`opstap.core.retention`) for each due kind.
Each batch is one transaction and records, per client and kind, that it was done; the run
keeps its resume point. A crashed run is resumed by the next one, and nothing is done twice.
The audit line of each anonymisation names the kind and the number of rows, never a value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_log_many
from opstap.clients.models import Client
from opstap.clients.services import client_import_files_remove_stale
from opstap.core.actor import Actor
from opstap.core.errors import ConflictError, DomainError, PermissionDeniedError
from opstap.core.retention import (
    PLACEHOLDER,
    AgedAnonymiser,
    Anonymiser,
    RecordKind,
    aged_anonymisers,
    anonymisers,
)
from opstap.core.roles import Perm
from opstap.kpis.services import kpi_exports_remove_old

from . import selectors
from .models import LegalHold, RetentionDone, RetentionRun, RetentionTerm, RunStatus
from .terms import (
    ACTION_LABELS_NL,
    CLIENT_KINDS,
    KIND_LABELS_NL,
    Action,
    Kind,
    add_years,
    aged_cutoff,
    audit_cutoff,
    closed_on,
    due_kinds,
    due_on,
    validate_years,
)

BATCH = 200
DRY_RUN_ITEMS = 500


class RetentionError(DomainError):
    """A refused change in retention, with a Dutch message."""


def _require(actor: Actor | None) -> None:
    if actor is None or not (
        getattr(actor, "is_superuser", False) or actor.has_opstap_perm(Perm.RETENTION_MANAGE)
    ):
        raise PermissionDeniedError("U mag bewaartermijnen en bewaarplichten niet beheren.")


# --- Terms and holds ------------------------------------------------------------------------


@transaction.atomic
def retention_term_save(
    *, actor: Actor, kind: str, years: int, action: str, source: str = ""
) -> RetentionTerm:
    """Set the organisation's term for one kind of record (validated, audited)."""
    _require(actor)
    try:
        kind_value = Kind(kind)
    except ValueError:
        raise RetentionError("Kies een soort gegevens.", field="kind") from None
    try:
        action_value = Action(action)
    except ValueError:
        raise RetentionError("Kies anonimiseren of verwijderen.", field="action") from None
    if not isinstance(years, int):
        raise RetentionError("Geef de termijn in hele jaren.", field="years")
    problem = validate_years(years)
    if problem:
        raise RetentionError(problem, field="years")
    if kind_value is Kind.AUDIT_TRAIL and action_value is not Action.DELETE:
        raise RetentionError(
            "De audittrail wordt na zijn termijn verwijderd, niet geanonimiseerd.", field="action"
        )
    if kind_value is Kind.ACCESS_REQUESTS and action_value is not Action.ANONYMISE:
        raise RetentionError(
            "Van een inzageverzoek zonder dossier worden naam en adres geanonimiseerd; het "
            "verzoek zelf blijft als verantwoording en wordt niet verwijderd.",
            field="action",
        )
    organisation_id = int(getattr(actor, "organisation_id", 0) or 0)
    term = (
        RetentionTerm.objects.select_for_update()
        .filter(organisation_id=organisation_id, kind=kind_value.value)
        .first()
    )
    before = selectors.terms_for(organisation_id)[kind_value]
    if term is None:
        term = RetentionTerm(organisation_id=organisation_id, kind=kind_value.value)
    term.years, term.action = years, action_value.value
    term.source = source.strip()[:2000] or before.source
    term.updated_by = actor
    term.save()
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="retention_term",
        object_id=term.pk,
        purpose="Bewaartermijn vastgelegd",
        changes={
            "kind": kind_value.value,
            "years": [before.years, years],
            "action": [before.action.value, action_value.value],
        },
    )
    return term


@transaction.atomic
def legal_hold_place(*, actor: Actor, client: Client, reason: str) -> LegalHold:
    """Stop retention for one client until the hold is lifted."""
    _require(actor)
    if client.organisation_id != getattr(actor, "organisation_id", None):
        raise RetentionError("Deze klant hoort niet bij uw organisatie.", field="client")
    reason = (reason or "").strip()
    if not reason:
        raise RetentionError("Geef de reden van de bewaarplicht.", field="reason")
    if selectors.client_on_hold(client.pk):
        raise ConflictError("Voor deze klant geldt al een bewaarplicht.")
    hold = LegalHold.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        reason=reason[:300],
        placed_by=actor,
        placed_at=timezone.now(),
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="legal_hold",
        object_id=hold.pk,
        client_id=client.pk,
        purpose="Bewaarplicht geplaatst",
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Actor, hold: LegalHold) -> LegalHold:
    _require(actor)
    row = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if row.lifted_at is not None:
        raise ConflictError("Deze bewaarplicht is al opgeheven.")
    row.lifted_by, row.lifted_at = actor, timezone.now()
    row.save(update_fields=["lifted_by", "lifted_at"])
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="legal_hold",
        object_id=row.pk,
        client_id=row.client_id,
        purpose="Bewaarplicht opgeheven",
    )
    return row


# --- Applying the registered anonymisers ------------------------------------------------------


def _apply(anonymiser: Anonymiser, client_ids: Sequence[int]) -> int:
    """Anonymise the rows of one model for these clients; the number of rows touched."""
    model = apps.get_model(anonymiser.model)
    qs = model._default_manager.filter(**{f"{anonymiser.client_path}__in": list(client_ids)})
    touched = 0
    for name in anonymiser.files:
        for row in qs.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True}).iterator():
            stored = getattr(row, name)
            if stored:
                stored.storage.delete(stored.name)
        touched = max(touched, qs.exclude(**{name: ""}).update(**{name: ""}))
    for name in anonymiser.texts:
        changed = (
            qs.exclude(**{name: ""})
            .exclude(**{f"{name}__isnull": True})
            .exclude(**{name: PLACEHOLDER})
            .update(**{name: PLACEHOLDER})
        )
        touched = max(touched, changed)
    if anonymiser.clear:
        touched = max(touched, qs.update(**dict(anonymiser.clear)))
    for name in anonymiser.json_lists:
        changed = (
            qs.exclude(**{name: []})
            .exclude(**{name: [PLACEHOLDER]})
            .update(**{name: [PLACEHOLDER]})
        )
        touched = max(touched, changed)
    for name, keys in anonymiser.json_keys.items():
        touched = max(touched, _drop_keys(qs, name, keys))
    if anonymiser.custom is not None:
        touched = max(touched, anonymiser.custom(client_ids))
    return touched


def _drop_keys(qs: Any, name: str, keys: frozenset[str]) -> int:
    """Remove the identifying keys from a JSON change log, row by row (a batch's worth)."""
    changed = 0
    for pk, value in qs.exclude(**{name: {}}).values_list("pk", name).iterator():
        if isinstance(value, dict) and keys & value.keys():
            kept = {k: v for k, v in value.items() if k not in keys}
            changed += qs.model._default_manager.filter(pk=pk).update(**{name: kept})
    return changed


def _plan(
    candidate: selectors.Candidate, terms: dict[Kind, Any], today: dt.date
) -> tuple[dt.date | None, list[Any]]:
    closed = closed_on(
        has_open_trajectory=False,
        benefit_type=candidate.benefit_type,
        benefit_end_date=candidate.benefit_end_date,
        activity_days=(candidate.last_trajectory_day,),
        fallback_days=(candidate.ladder_step_since, candidate.created_on),
    )
    return closed, due_kinds(
        closed=closed,
        terms=terms.values(),
        today=today,
        held=candidate.held,
        done=candidate.done,
    )


def _start(
    *, organisation_id: int, today: dt.date, actor: Actor | None, dry_run: bool
) -> RetentionRun:
    if not dry_run:
        unfinished = (
            RetentionRun.objects.filter(
                organisation_id=organisation_id,
                dry_run=False,
                status__in=[RunStatus.RUNNING, RunStatus.FAILED],
            )
            .order_by("-started_at")
            .first()
        )
        if unfinished is not None:  # resume where the crashed run stopped
            RetentionRun.objects.filter(pk=unfinished.pk).update(
                status=RunStatus.RUNNING, reference_date=today, failure_message=""
            )
            unfinished.refresh_from_db()
            return unfinished
    return RetentionRun.objects.create(
        organisation_id=organisation_id,
        dry_run=dry_run,
        reference_date=today,
        started_by=actor,
        started_at=timezone.now(),
    )


#: A reference date lies at most this many years from today (a dry run may look ahead);
#: year 1 made the subtraction of a term fail with a 500, year 9999 is a typing error.
MAX_REFERENCE_YEARS = 100


def _check_reference_date(day: dt.date) -> None:
    real = timezone.localdate()
    low = add_years(real, -MAX_REFERENCE_YEARS)
    high = add_years(real, MAX_REFERENCE_YEARS)
    if not low <= day <= high:
        raise RetentionError(
            f"Kies een peildatum van {low:%d-%m-%Y} tot en met {high:%d-%m-%Y}.",
            field="reference_date",
        )


def retention_run(
    *,
    organisation_id: int,
    today: dt.date,
    actor: Actor | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH,
    max_batches: int | None = None,
) -> RetentionRun:
    """Find closed dossiers past their term and anonymise them (or, as a dry run, list what
    would happen). `actor` None is the scheduled job; a person must hold retention.manage.
    `max_batches` stops early (the run stays resumable)."""
    if actor is not None:
        _require(actor)
        if getattr(actor, "organisation_id", None) != organisation_id:
            raise PermissionDeniedError("Dit is niet uw organisatie.")
    _check_reference_date(today)
    terms = selectors.terms_for(organisation_id)
    run = _start(organisation_id=organisation_id, today=today, actor=actor, dry_run=dry_run)
    counts: dict[str, int] = defaultdict(int, run.counts or {})
    items: list[dict[str, Any]] = []
    after = run.last_client_id
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            batch = selectors.candidates(
                organisation_id=organisation_id, after_id=after, limit=batch_size
            )
            if not batch:
                break
            batches += 1
            due: dict[Kind, list[int]] = defaultdict(list)
            for candidate in batch:
                closed, kinds = _plan(candidate, terms, today)
                counts["considered"] += 1
                if candidate.held and closed is not None:
                    counts["held"] += 1
                for term in kinds:
                    due[term.kind].append(candidate.client_id)
                    if dry_run and len(items) < DRY_RUN_ITEMS:
                        assert closed is not None
                        items.append(
                            {
                                "client_id": candidate.client_id,
                                "closed_on": closed.isoformat(),
                                "due_on": due_on(closed, term.years).isoformat(),
                                "kind": term.kind.value,
                                "action": term.action.value,
                            }
                        )
            after = batch[-1].client_id
            if dry_run:
                for kind, ids in due.items():
                    counts[f"due_{kind.value}"] += len(ids)
                continue
            with transaction.atomic():
                _anonymise_batch(run, due, terms, counts)
                RetentionRun.objects.filter(pk=run.pk).update(
                    last_client_id=after, counts=dict(counts)
                )
        for kind in (k for k in Kind if k not in CLIENT_KINDS and k is not Kind.AUDIT_TRAIL):
            counts[f"{'due' if dry_run else 'done'}_{kind.value}"] += _anonymise_aged(
                run, kind=kind, term_years=terms[kind].years, today=today, dry_run=dry_run
            )
        cutoff = audit_cutoff(today, terms[Kind.AUDIT_TRAIL].years)
        counts["audit_past_term"] = selectors.audit_records_past_term(
            organisation_id=organisation_id, cutoff=cutoff
        )
        # Housekeeping: files made for a moment, not records of a dossier.
        reference = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        counts["kpi_exports_past_term" if dry_run else "kpi_exports_removed"] = (
            kpi_exports_remove_old(organisation_id=organisation_id, now=reference, dry_run=dry_run)
        )
    except Exception:
        RetentionRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            counts=dict(counts),
            failure_message="De run is afgebroken; de volgende run gaat verder waar deze stopte.",
        )
        raise
    finished = max_batches is None or batches < max_batches
    RetentionRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE if finished else RunStatus.RUNNING,
        finished_at=timezone.now() if finished else None,
        counts=dict(counts),
        items=items,
        last_client_id=after if not dry_run else 0,
    )
    run.refresh_from_db()
    audit_log(
        action=AuditAction.LIST if dry_run else AuditAction.UPDATE,
        actor=actor,
        organisation_id=organisation_id,
        object_type="retention_run",
        object_id=run.pk,
        purpose=("Proefrun bewaartermijnen" if dry_run else "Bewaartermijnen toegepast")
        + f" (peildatum {today:%d-%m-%Y})",
        changes={k: v for k, v in counts.items()},
    )
    return run


def _anonymise_batch(
    run: RetentionRun,
    due: dict[Kind, list[int]],
    terms: dict[Kind, Any],
    counts: dict[str, int],
) -> None:
    now = timezone.now()
    done_rows: list[RetentionDone] = []
    audit_rows: list[dict[str, Any]] = []
    for kind, client_ids in due.items():
        record_kind = RecordKind(kind.value)
        rows_per_model = {a.model: _apply(a, client_ids) for a in anonymisers(record_kind)}
        rows = sum(rows_per_model.values())
        action = terms[kind].action
        counts[f"done_{kind.value}"] += len(client_ids)
        for client_id in client_ids:
            done_rows.append(
                RetentionDone(
                    organisation_id=run.organisation_id,
                    client_id=client_id,
                    kind=kind.value,
                    action=action.value,
                    rows=rows,
                    run=run,
                    done_at=now,
                )
            )
            audit_rows.append(
                {
                    "action": AuditAction.DELETE if action is Action.DELETE else AuditAction.UPDATE,
                    "organisation_id": run.organisation_id,
                    "object_type": "retention",
                    "object_id": str(client_id),
                    "client_id": client_id,
                    "purpose": f"Bewaartermijn verstreken: {KIND_LABELS_NL[kind]} "
                    f"{ACTION_LABELS_NL[action]}",
                    "changes": {"kind": kind.value, "run": run.pk},
                }
            )
    RetentionDone.objects.bulk_create(done_rows)
    if audit_rows:
        audit_log_many(audit_rows)


def _aged_rows(anonymiser: AgedAnonymiser, *, organisation_id: int, cutoff: dt.date) -> Any:
    """The rows of one aged anonymiser past the term that still hold a text to anonymise."""
    model = apps.get_model(anonymiser.model)
    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    holds_text = Q()
    for name in anonymiser.texts:
        holds_text |= ~Q(**{name: ""}) & ~Q(**{name: PLACEHOLDER})
    return model._default_manager.filter(
        holds_text,
        organisation_id=organisation_id,
        **dict(anonymiser.filter),
        **{f"{anonymiser.date_field}__lt": start},
    )


def _anonymise_aged(
    run: RetentionRun, *, kind: Kind, term_years: int, today: dt.date, dry_run: bool
) -> int:
    """Anonymise (or, in a dry run, count) the data of `kind` that hangs on no client: the
    rows whose term, counted from their own date, has passed on `today`. One transaction per
    model, one audit record per row (its object, never a value). Returns the rows."""
    cutoff = aged_cutoff(today, term_years)
    total = 0
    for anonymiser in aged_anonymisers(RecordKind(kind.value)):
        rows = _aged_rows(anonymiser, organisation_id=run.organisation_id, cutoff=cutoff)
        if dry_run:
            total += rows.count()
            continue
        with transaction.atomic():
            ids = list(rows.select_for_update().values_list("pk", flat=True))
            if not ids:
                continue
            target = rows.model._default_manager.filter(pk__in=ids)
            for name in anonymiser.texts:
                target.exclude(**{name: ""}).update(**{name: PLACEHOLDER})
            audit_log_many(
                [
                    {
                        "action": AuditAction.UPDATE,
                        "organisation_id": run.organisation_id,
                        "object_type": anonymiser.object_type or anonymiser.model,
                        "object_id": str(pk),
                        "purpose": f"Bewaartermijn verstreken: {KIND_LABELS_NL[kind]} "
                        f"{ACTION_LABELS_NL[Action.ANONYMISE]}",
                        "changes": {"kind": kind.value, "run": run.pk},
                    }
                    for pk in ids
                ]
            )
        total += len(ids)
    return total


def retention_housekeeping(*, now: dt.datetime, dry_run: bool = False) -> dict[str, int]:
    """What the daily run removes once, not per organisation: client import files left in
    the legacy folder on this machine's disk (`clients.importer.files`: the file of a job that
    has been read, and any file there older than three days). Returns the counts (with
    `dry_run`: what would go)."""
    removed = client_import_files_remove_stale(now=now, dry_run=dry_run)
    return {"client_import_files_past_term" if dry_run else "client_import_files_removed": removed}
