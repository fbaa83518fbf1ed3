"""Scope policies of retention (R-SEC-1): terms, runs and holds are seen by holders of
`retention.manage` within their organisation (the organisation filter comes first)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import LegalHold, RetentionDone, RetentionRun, RetentionTerm


def _managers_only(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if user.has_opstap_perm(Perm.RETENTION_MANAGE) else qs.none()


for _model in (RetentionTerm, RetentionRun, LegalHold, RetentionDone):
    register_scope(_model)(_managers_only)
