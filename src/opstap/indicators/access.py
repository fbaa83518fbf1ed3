"""Scope policy of the indicators app (R-SEC-1).

Indicators are aggregates about providers, not personal data: whoever may see a provider
(`providers.access.provider_scope`) may see its indicators; provider staff only their own
provider's. Quarterly overview receipts follow the same rule.
"""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm
from opstap.providers.selectors import is_provider_staff, provider_id_of

from .models import QuarterlyOverview


@register_scope(QuarterlyOverview)
def quarterly_overview_scope(
    user: Actor, qs: QuerySet[QuarterlyOverview]
) -> QuerySet[QuarterlyOverview]:
    if is_provider_staff(user):
        provider_id = provider_id_of(user)
        return qs.filter(provider_id=provider_id) if provider_id is not None else qs.none()
    if user.has_opstap_perm(Perm.PROVIDER_VIEW) or user.has_opstap_perm(Perm.PRODUCT_SEARCH):
        return qs
    return qs.none()
