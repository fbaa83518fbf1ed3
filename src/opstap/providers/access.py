"""Scope policies of the providers app (R-SEC-1), registered with opstap.core.access.

Provider staff see only their own provider's rows, whatever else they hold. Contract managers
(`providers.manage`) see the whole network of their organisation. Case managers see providers,
contracts and products (the instrument guide) and only the signals they registered themselves.
Reference data (tiles, product codes) is visible to every signed-in user of the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm, RoleCode

from .models import (
    Contract,
    CpiIndexation,
    Evaluation,
    Evidence,
    Product,
    ProductChangeProposal,
    ProductCode,
    Provider,
    ProviderBankAccount,
    ProviderEvent,
    Signal,
    Tile,
)


def provider_id_of(user: Actor) -> int | None:
    """The provider a provider-staff user works for (None for everyone else)."""
    membership = getattr(user, "provider_membership", None)
    return membership.provider_id if membership is not None else None


def is_provider_staff(user: Actor) -> bool:
    return bool(user.has_role(RoleCode.PROVIDER_STAFF))


def _own_provider(user: Actor, qs: QuerySet[Any], field: str = "provider_id") -> QuerySet[Any]:
    provider_id = provider_id_of(user)
    return qs.filter(**{field: provider_id}) if provider_id is not None else qs.none()


_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class Reach:
    """Which rows of the user's organisation the user may see: none, all, or those of one
    provider (provider staff)."""

    visible: bool
    provider_id: int | None = None  # only this provider's

    def applied(self, qs: QuerySet[_M], field: str) -> QuerySet[_M]:
        """`qs` narrowed to this reach: none, all, or the rows whose `field` is the provider."""
        if not self.visible:
            return qs.none()
        return qs if self.provider_id is None else qs.filter(**{field: self.provider_id})


def provider_reach(user: Actor) -> Reach:
    """The one rule for providers, read by `provider_scope` (querysets) and by the provider
    list's written-out statement (`selectors.provider_list_rows`)."""
    # Provider staff see their own provider only, whatever else they hold.
    if is_provider_staff(user):
        provider_id = provider_id_of(user)
        return Reach(provider_id is not None, provider_id)
    if user.has_opstap_perm(Perm.PROVIDER_VIEW) or user.has_opstap_perm(Perm.PRODUCT_SEARCH):
        return Reach(True)
    return Reach(False)


@register_scope(Provider)
def provider_scope(user: Actor, qs: QuerySet[Provider]) -> QuerySet[Provider]:
    return provider_reach(user).applied(qs, "pk")


@register_scope(Evidence)
def evidence_scope(user: Actor, qs: QuerySet[Evidence]) -> QuerySet[Evidence]:
    # Evidence holds staff names (VOG): contract managers and the provider itself only.
    if is_provider_staff(user):
        return _own_provider(user, qs)
    if user.has_opstap_perm(Perm.PROVIDER_MANAGE):
        return qs
    return qs.none()


@register_scope(Contract)
def contract_scope(user: Actor, qs: QuerySet[Contract]) -> QuerySet[Contract]:
    if is_provider_staff(user):
        return _own_provider(user, qs)
    if user.has_opstap_perm(Perm.PROVIDER_MANAGE) or user.has_opstap_perm(Perm.PROVIDER_VIEW):
        return qs
    return qs.none()


def product_reach(user: Actor) -> Reach:
    """The one rule for products, read by `product_scope` (querysets) and by the guide's
    written-out search statement (`selectors.GuideSearch`): a product is seen by whoever
    sees its provider (`provider_reach`), provider staff their own provider's only."""
    return provider_reach(user)


@register_scope(Product)
def product_scope(user: Actor, qs: QuerySet[Product]) -> QuerySet[Product]:
    return product_reach(user).applied(qs, "provider_id")


@register_scope(Signal)
def signal_scope(user: Actor, qs: QuerySet[Signal]) -> QuerySet[Signal]:
    # Signals are internal to the organisation: provider staff never see them (R-NET-9).
    if is_provider_staff(user):
        return qs.none()
    if user.has_opstap_perm(Perm.PROVIDER_MANAGE):
        return qs
    if user.has_opstap_perm(Perm.PROVIDER_SIGNAL):
        return qs.filter(registered_by=user)
    return qs.none()


@register_scope(Evaluation)
def evaluation_scope(user: Actor, qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    # The provider takes part in its evaluations, so its staff read them.
    if is_provider_staff(user):
        return _own_provider(user, qs)
    if user.has_opstap_perm(Perm.PROVIDER_MANAGE):
        return qs
    return qs.none()


@register_scope(ProductChangeProposal)
def proposal_scope(
    user: Actor, qs: QuerySet[ProductChangeProposal]
) -> QuerySet[ProductChangeProposal]:
    if is_provider_staff(user):
        return _own_provider(user, qs, "product__provider_id")
    if user.has_opstap_perm(Perm.PROVIDER_MANAGE):
        return qs
    return qs.none()


@register_scope(ProviderEvent)
def event_scope(user: Actor, qs: QuerySet[ProviderEvent]) -> QuerySet[ProviderEvent]:
    if is_provider_staff(user):
        return _own_provider(user, qs)
    if user.has_opstap_perm(Perm.PROVIDER_MANAGE):
        return qs
    return qs.none()


@register_scope(CpiIndexation)
def indexation_scope(user: Actor, qs: QuerySet[CpiIndexation]) -> QuerySet[CpiIndexation]:
    return qs if user.has_opstap_perm(Perm.PROVIDER_MANAGE) else qs.none()


@register_scope(Tile)
def tile_scope(user: Actor, qs: QuerySet[Tile]) -> QuerySet[Tile]:
    # Reference data (R-NET-1): not personal, visible to every signed-in user.
    return qs


@register_scope(ProductCode)
def product_code_scope(user: Actor, qs: QuerySet[ProductCode]) -> QuerySet[ProductCode]:
    return qs


@register_scope(ProviderBankAccount)
def bank_account_scope(
    user: Actor, qs: QuerySet[ProviderBankAccount]
) -> QuerySet[ProviderBankAccount]:
    # Bank accounts: who changes and confirms them, and who pays (the administration).
    if is_provider_staff(user):
        return qs.none()
    if user.has_opstap_perm(Perm.BANK_ACCOUNT_MANAGE) or user.has_opstap_perm(Perm.INVOICE_APPROVE):
        return qs
    return qs.none()
