"""Scope policies of the invoices app (R-SEC-1), registered with opstap.core.access.

- provider staff: only their own provider's invoices, credit notes, placement-fee claims
  (another provider's invoice is "not found", 404); never payment batches or travel claims;
- finance clerks (`invoices.approve`) and contract managers (`providers.manage`):
  organisation-wide;
- case managers: invoices of the trajectories they may see (their clients);
- everyone else: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opstap.core.access import register_scope, scoped
from opstap.core.actor import Actor
from opstap.core.roles import Perm, RoleCode
from opstap.providers.selectors import provider_id_of
from opstap.trajectories.models import Trajectory

from .models import (
    CreditNote,
    Invoice,
    InvoiceEvent,
    PaymentBatch,
    PlacementFeeClaim,
    TravelClaim,
)


def _organisation_wide(user: Actor) -> bool:
    return bool(
        user.has_opstap_perm(Perm.INVOICE_APPROVE) or user.has_opstap_perm(Perm.PROVIDER_MANAGE)
    )


def _invoice_like(user: Actor, qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    if user.has_role(RoleCode.PROVIDER_STAFF):
        provider_id = provider_id_of(user)
        if provider_id is None:
            return qs.none()
        return qs.filter(**{f"{prefix}provider_id": provider_id})
    if not user.has_opstap_perm(Perm.INVOICE_VIEW):
        return qs.none()
    if _organisation_wide(user):
        return qs
    if user.has_role(RoleCode.CASE_MANAGER):
        visible = scoped(user, Trajectory.objects.all()).values("pk")
        return qs.filter(**{f"{prefix}trajectory__in": visible})
    return qs.none()


@register_scope(Invoice)
def invoice_scope(user: Actor, qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return _invoice_like(user, qs)


@register_scope(PlacementFeeClaim)
def placement_fee_claim_scope(
    user: Actor, qs: QuerySet[PlacementFeeClaim]
) -> QuerySet[PlacementFeeClaim]:
    return _invoice_like(user, qs)


@register_scope(CreditNote)
def credit_note_scope(user: Actor, qs: QuerySet[CreditNote]) -> QuerySet[CreditNote]:
    return _invoice_like(user, qs, "invoice__")


@register_scope(InvoiceEvent)
def invoice_event_scope(user: Actor, qs: QuerySet[InvoiceEvent]) -> QuerySet[InvoiceEvent]:
    return _invoice_like(user, qs, "invoice__")


@register_scope(PaymentBatch)
def payment_batch_scope(user: Actor, qs: QuerySet[PaymentBatch]) -> QuerySet[PaymentBatch]:
    # Batches mix providers: the administration and contract management only.
    if user.has_role(RoleCode.PROVIDER_STAFF) or not user.has_opstap_perm(Perm.INVOICE_VIEW):
        return qs.none()
    return qs if _organisation_wide(user) else qs.none()


@register_scope(TravelClaim)
def travel_claim_scope(user: Actor, qs: QuerySet[TravelClaim]) -> QuerySet[TravelClaim]:
    # Travel costs are between the candidate and the organisation, not the provider.
    if user.has_role(RoleCode.PROVIDER_STAFF):
        return qs.none()
    if user.has_opstap_perm(Perm.INVOICE_APPROVE):
        return qs
    if user.has_role(RoleCode.CASE_MANAGER):
        return qs.filter(trajectory__in=scoped(user, Trajectory.objects.all()).values("pk"))
    if user.has_opstap_perm(Perm.PORTAL_VIEW) and not user.has_opstap_perm(Perm.CLIENT_VIEW):
        return qs.filter(client__user_id=user.pk)  # a resident: their own claims (R-POR)
    return qs.none()
