"""Reads of the audit trail for auditors, always scoped (R-SEC-1, R-SEC-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from opstap.core.access import scoped
from opstap.core.actor import Actor

from .models import AuditAction, AuditRecord


@dataclass(frozen=True)
class AuditFilter:
    client_id: int | None = None
    user: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""

    def describe(self) -> str:
        parts = []
        if self.client_id is not None:
            parts.append(f"klant={self.client_id}")
        if self.user:
            parts.append(f"gebruiker={self.user}")
        if self.date_from:
            parts.append(f"van={self.date_from.isoformat()}")
        if self.date_to:
            parts.append(f"tot en met={self.date_to.isoformat()}")
        if self.action:
            parts.append(f"handeling={self.action}")
        return ", ".join(parts) or "geen filters"


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_records_for(user: Actor, flt: AuditFilter) -> QuerySet[AuditRecord]:
    """The records `user` may see, filtered; newest first. Every filter hits an index
    (organisation + client/actor/action + timestamp)."""
    qs = scoped(user, AuditRecord.objects.all())
    if flt.client_id is not None:
        qs = qs.filter(client_id=flt.client_id)
    if flt.user:
        qs = qs.filter(Q(actor_username=flt.user) | Q(real_actor_username=flt.user))
    if flt.date_from:
        qs = qs.filter(timestamp__gte=_start_of_day(flt.date_from))
    if flt.date_to:
        qs = qs.filter(timestamp__lt=_start_of_day(flt.date_to + dt.timedelta(days=1)))
    if flt.action:
        qs = qs.filter(action=flt.action)
    return qs.order_by("-timestamp", "-id")


def audit_records_about_client(*, organisation_id: int, client_id: int) -> QuerySet[AuditRecord]:
    """Right of access (R-SEC-5): who processed this client's data, oldest first. Unscoped on
    purpose (the access request was checked when registered); index organisation + client +
    timestamp. A denied read processed nothing (the auditor sees it, the export does not)."""
    return (
        AuditRecord.objects.filter(organisation_id=organisation_id, client_id=client_id)
        .exclude(action=AuditAction.DENIED)
        .order_by("timestamp", "id")
    )


def audit_records_since(moment: dt.datetime) -> int:
    """How many audit records were written since `moment` (the metrics' insert rate); an index
    range count on the timestamp."""
    return AuditRecord.objects.filter(timestamp__gte=moment).count()
