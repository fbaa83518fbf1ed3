"""Reads of retention (R-SEC-4): the organisation's terms, the clients to consider in one
batch (one query, facts annotated), holds and runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.trajectories.selectors import last_trajectory_day, open_trajectory_exists

from .models import LegalHold, RetentionDone, RetentionRun, RetentionTerm
from .terms import DEFAULT_TERMS, Action, Kind, Term


def terms_for(organisation_id: int) -> dict[Kind, Term]:
    """The organisation's terms: its own rows over the defaults."""
    terms = dict(DEFAULT_TERMS)
    for kind, years, action, source in RetentionTerm.objects.filter(
        organisation_id=organisation_id
    ).values_list("kind", "years", "action", "source"):
        terms[Kind(kind)] = Term(Kind(kind), years, Action(action), source)
    return terms


def active_hold_q() -> Q:
    return Q(lifted_at__isnull=True)


def client_on_hold(client_id: int) -> bool:
    return LegalHold.objects.filter(active_hold_q(), client_id=client_id).exists()


@dataclass(frozen=True)
class Candidate:
    client_id: int
    benefit_type: str
    benefit_end_date: dt.date | None
    last_trajectory_day: dt.date | None
    ladder_step_since: dt.date | None
    created_on: dt.date
    held: bool
    done: frozenset[str]


def candidates(*, organisation_id: int, after_id: int, limit: int) -> list[Candidate]:
    """The next `limit` clients after `after_id` (id order) whose dossier may be closed: no
    open trajectory and the benefit ended (or none). Two queries per batch."""
    rows = list(
        Client.objects.filter(organisation_id=organisation_id, pk__gt=after_id)
        .filter(Q(benefit_type="none") | Q(benefit_end_date__isnull=False))
        .annotate(
            has_open=open_trajectory_exists(),
            last_day=last_trajectory_day(),
            held=Exists(LegalHold.objects.filter(active_hold_q(), client_id=OuterRef("pk"))),
        )
        .filter(has_open=False)
        .order_by("pk")
        .values(
            "pk",
            "benefit_type",
            "benefit_end_date",
            "last_day",
            "ladder_step_since",
            "created_at",
            "held",
        )[:limit]
    )
    done: dict[int, set[str]] = {}
    for client_id, kind in RetentionDone.objects.filter(
        client_id__in=[r["pk"] for r in rows]
    ).values_list("client_id", "kind"):
        done.setdefault(client_id, set()).add(kind)
    return [
        Candidate(
            client_id=r["pk"],
            benefit_type=r["benefit_type"],
            benefit_end_date=r["benefit_end_date"],
            last_trajectory_day=_as_date(r["last_day"]),
            ladder_step_since=r["ladder_step_since"],
            created_on=r["created_at"].date(),
            held=bool(r["held"]),
            done=frozenset(done.get(r["pk"], ())),
        )
        for r in rows
    ]


def _as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def audit_records_past_term(*, organisation_id: int, cutoff: dt.date) -> int:
    """Audit records of the organisation dated before `cutoff` (the audit trail's term)."""
    return AuditRecord.objects.filter(
        organisation_id=organisation_id, timestamp__date__lt=cutoff
    ).count()


def runs_for(user: Actor) -> QuerySet[RetentionRun]:
    return scoped(user, RetentionRun.objects.all())


def holds_for(user: Actor) -> QuerySet[LegalHold]:
    return scoped(user, LegalHold.objects.select_related("client", "placed_by"))


def term_rows_for(user: Actor) -> QuerySet[RetentionTerm]:
    return scoped(user, RetentionTerm.objects.all())
