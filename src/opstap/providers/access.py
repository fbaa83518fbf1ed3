"""Scope policies of the providers app (R-SEC-1), registered with opstap.accounts.access."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opstap.accounts.access import register_scope
from opstap.accounts.roles import Perm, RoleCode

from .models import Provider


def provider_id_of(user: Any) -> int | None:
    """The provider a provider-staff user works for (None for everyone else)."""
    membership = getattr(user, "provider_membership", None)
    return membership.provider_id if membership is not None else None


@register_scope(Provider)
def provider_scope(user: Any, qs: QuerySet[Provider]) -> QuerySet[Provider]:
    # Provider staff see their own provider only, whatever else they hold.
    if user.has_role(RoleCode.PROVIDER_STAFF):
        provider_id = provider_id_of(user)
        return qs.filter(pk=provider_id) if provider_id is not None else qs.none()
    if user.has_opstap_perm(Perm.PROVIDER_VIEW) or user.has_opstap_perm(Perm.PRODUCT_SEARCH):
        return qs
    return qs.none()
