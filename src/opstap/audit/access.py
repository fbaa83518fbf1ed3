"""Scope policy of the audit trail (R-SEC-1/R-SEC-2): auditors see their organisation's
records only; nobody else sees any."""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import AuditRecord


@register_scope(AuditRecord)
def audit_scope(user: Actor, qs: QuerySet[AuditRecord]) -> QuerySet[AuditRecord]:
    if not user.has_opstap_perm(Perm.AUDIT_VIEW) or user.organisation_id is None:
        return qs.none()
    return qs.filter(organisation_id=user.organisation_id)
