"""Scope policies of the organisations app (R-SEC-1)."""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor

from .models import Municipality


@register_scope(Municipality)
def municipality_scope(user: Actor, qs: QuerySet[Municipality]) -> QuerySet[Municipality]:
    # Municipalities are not personal data: everyone in the organisation may see them.
    return qs
