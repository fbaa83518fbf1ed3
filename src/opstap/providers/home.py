"""Start-page panels of the provider network (contract manager): expiring evidence (R-NET-2),
extension decisions due (R-NET-3), inactive providers (R-NET-8), open evaluations (R-NET-9;
its notifications are in the notifications app's panel)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import Actor, actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm

from . import selectors


def contract_manager_panel(request: HttpRequest) -> dict[str, Any]:
    user: Actor = actor_of(request)
    today = timezone.localdate()
    settings_row = selectors.network_settings(user.organisation_id)
    return {
        "today": today,
        "warning_days": settings_row.evidence_warning_days,
        "expiring": list(selectors.evidence_expiring(user, on=today)[:20]),
        "extensions_due": selectors.contracts_extension_due(user, on=today)[:20],
        "inactive": list(selectors.providers_inactive(user, on=today)[:20]),
        "evaluations": list(selectors.open_evaluations(user)[:20]),
        "pending_proposals": selectors.proposals_for(user, pending_only=True).count(),
    }


register_home_panel(
    HomePanel(
        template="providers/panels/contract_manager.html",
        perm=Perm.PROVIDER_MANAGE,
        context=contract_manager_panel,
        order=20,
    )
)


def provider_staff_panel(request: HttpRequest) -> dict[str, Any]:
    """Provider staff: their own organisation, its evidence that expires and open proposals."""
    user: Actor = actor_of(request)
    today = timezone.localdate()
    provider = selectors.providers_for(user).first()
    if provider is None:
        return {"provider": None}
    return {
        "provider": provider,
        "today": today,
        "expiring": list(selectors.evidence_expiring_for(user, provider, on=today)[:10]),
        "pending_proposals": selectors.proposals_for(user, pending_only=True).count(),
    }


register_home_panel(
    HomePanel(
        template="providers/panels/provider_staff.html",
        perm=Perm.PRODUCT_PROPOSE,
        context=provider_staff_panel,
        order=20,
    )
)
