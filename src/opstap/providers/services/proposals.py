"""Change proposals by provider staff, approved or rejected by the contract manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opstap.accounts.models import User
from opstap.providers.models import PriceSource, Product, ProductChangeProposal, ProposalStatus
from opstap.providers.rules import money

from ._common import ProviderError, _event, _notify, _require_same_org
from .products import PROPOSABLE_FIELDS, _check_ceiling, product_price_set, product_update

__all__ = ["product_change_approve", "product_change_propose", "product_change_reject"]


# --- Change proposals by provider staff -----------------------------------------------------


def _clean_proposal(changes: Mapping[str, Any]) -> dict[str, Any]:
    allowed = (*PROPOSABLE_FIELDS, "price", "price_valid_from")
    cleaned = {k: v for k, v in changes.items() if k in allowed and v not in (None, "")}
    if not cleaned:
        raise ProviderError("Het voorstel bevat geen wijziging.")
    if ("price" in cleaned) != ("price_valid_from" in cleaned):
        raise ProviderError("Een nieuwe prijs heeft een ingangsdatum nodig (en omgekeerd).")
    if "price" in cleaned:
        try:
            cleaned["price"] = str(money.check_price(Decimal(str(cleaned["price"]))))
            cleaned["price_valid_from"] = dt.date.fromisoformat(
                str(cleaned["price_valid_from"])
            ).isoformat()
        except (money.MoneyRuleError, ValueError) as exc:
            raise ProviderError(f"Ongeldige prijs of ingangsdatum: {exc}") from exc
    for key in ("nominal_duration_days", "capacity"):
        if key in cleaned:
            try:
                cleaned[key] = int(cleaned[key])
            except (TypeError, ValueError) as exc:
                raise ProviderError(f"'{key}' moet een geheel getal zijn.") from exc
    return cleaned


@transaction.atomic
def product_change_propose(
    *, actor: User, product: Product, changes: Mapping[str, Any], motivation: str = ""
) -> ProductChangeProposal:
    membership = getattr(actor, "provider_membership", None)
    if membership is None or membership.provider_id != product.provider_id:
        raise ProviderError(
            "U kunt alleen wijzigingen voorstellen voor producten van uw eigen organisatie."
        )
    cleaned = _clean_proposal(changes)
    if "price" in cleaned:
        _check_ceiling(
            organisation_id=product.organisation_id,
            service_kind=product.service_kind,
            price_type=product.price_type,
            amount=Decimal(cleaned["price"]),
            on=dt.date.fromisoformat(cleaned["price_valid_from"]),
        )
    proposal = ProductChangeProposal.objects.create(
        organisation_id=product.organisation_id,
        product=product,
        changes=cleaned,
        motivation=motivation.strip(),
        proposed_by=actor,
    )
    _event(
        provider=product.provider,
        actor=actor,
        kind="proposal_submitted",
        description=f"Wijzigingsvoorstel voor '{product.name}'.",
        data={"proposal_id": proposal.pk},
    )
    manager = product.provider.contract_manager
    if manager is not None:
        _notify(
            recipient=manager,
            title=f"Wijzigingsvoorstel van {product.provider.name}",
            body=f"Voorstel voor product '{product.name}'.",
            url=reverse("providers:proposals"),
        )
    return proposal


def _pending_proposal(proposal: ProductChangeProposal) -> ProductChangeProposal:
    proposal = ProductChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ProviderError("Over dit voorstel is al besloten.")
    return proposal


def _decide(
    actor: User,
    proposal: ProductChangeProposal,
    status: ProposalStatus,
    reason: str,
    *,
    kind: str,
    description: str,
) -> None:
    """Store the decision on a pending proposal and record it on the provider's history."""
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _event(provider=proposal.product.provider, actor=actor, kind=kind, description=description)


@transaction.atomic
def product_change_approve(
    *, actor: User, proposal: ProductChangeProposal, reason: str = ""
) -> ProductChangeProposal:
    _require_same_org(actor, proposal.organisation_id)
    proposal = _pending_proposal(proposal)
    changes = dict(proposal.changes)
    price = changes.pop("price", None)
    valid_from = changes.pop("price_valid_from", None)
    if changes:
        product_update(actor=actor, product=proposal.product, changes=changes)
    if price is not None and valid_from is not None:
        product_price_set(
            actor=actor,
            product=proposal.product,
            amount=Decimal(price),
            valid_from=dt.date.fromisoformat(valid_from),
            source=PriceSource.PROPOSAL,
        )
    _decide(
        actor,
        proposal,
        ProposalStatus.APPROVED,
        reason,
        kind="proposal_approved",
        description=f"Wijzigingsvoorstel voor '{proposal.product.name}' goedgekeurd.",
    )
    return proposal


@transaction.atomic
def product_change_reject(
    *, actor: User, proposal: ProductChangeProposal, reason: str
) -> ProductChangeProposal:
    _require_same_org(actor, proposal.organisation_id)
    if not reason.strip():
        raise ProviderError("Motiveer de afwijzing.")
    proposal = _pending_proposal(proposal)
    _decide(
        actor,
        proposal,
        ProposalStatus.REJECTED,
        reason,
        kind="proposal_rejected",
        description=f"Wijzigingsvoorstel voor '{proposal.product.name}' afgewezen: {reason}",
    )
    return proposal
