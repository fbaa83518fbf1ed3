"""Scope policies of the organisations app (R-SEC-1)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opstap.core.access import register_scope

from .models import Municipality


@register_scope(Municipality)
def municipality_scope(user: Any, qs: QuerySet[Municipality]) -> QuerySet[Municipality]:
    # Municipalities are not personal data: everyone in the organisation may see them.
    return qs
