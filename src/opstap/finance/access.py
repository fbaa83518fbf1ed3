"""Scope policies of the finance app (R-SEC-1): finance data is organisation data; the
organisation filter applies first, then the finance permission."""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import OutflowPremium, Scenario


@register_scope(Scenario)
def scenario_scope(user: Actor, qs: QuerySet[Scenario]) -> QuerySet[Scenario]:
    return qs if user.has_opstap_perm(Perm.FINANCE_VIEW) else qs.none()


@register_scope(OutflowPremium)
def premium_scope(user: Actor, qs: QuerySet[OutflowPremium]) -> QuerySet[OutflowPremium]:
    return qs if user.has_opstap_perm(Perm.FINANCE_VIEW) else qs.none()
