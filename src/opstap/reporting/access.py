"""Scope policy of reporting (R-SEC-1): SRG deliveries hold BSNs, so only users holding
`srg.deliver` see them, within their own organisation (the organisation filter is applied
by `core.access.scoped` before this policy)."""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import SrgDelivery


@register_scope(SrgDelivery)
def srg_delivery_scope(user: Actor, qs: QuerySet[SrgDelivery]) -> QuerySet[SrgDelivery]:
    if not user.has_opstap_perm(Perm.SRG_DELIVER):
        return qs.none()
    return qs
