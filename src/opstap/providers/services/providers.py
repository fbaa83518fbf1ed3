"""Providers and their staff: create, staff, contract manager, status, activity and inactivity
(R-NET-1, R-NET-8)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opstap.accounts.models import User
from opstap.core.roles import Perm, RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.models import (
    Contract,
    ContractStatus,
    Product,
    ProductStatus,
    Provider,
    ProviderMembership,
    ProviderStatus,
)
from opstap.providers.rules import network as network_rules
from opstap.providers.selectors import network_settings

from ._common import ProviderError, _event, _notify, _require_same_org
from .contracts import contract_end

__all__ = [
    "provider_add_staff",
    "provider_create",
    "provider_end_participation",
    "provider_record_activity",
    "provider_set_contract_manager",
    "provider_set_status",
    "providers_flag_inactive",
]


# --- Providers and staff --------------------------------------------------------------------


@transaction.atomic
def provider_create(
    *,
    organisation: Organisation,
    name: str,
    contract_manager: User | None = None,
    city: str = "",
    kvk_number: str = "",
    email: str = "",
    is_roc: bool = False,
    joined_on: dt.date | None = None,
    actor: User | None = None,
) -> Provider:
    name = name.strip()
    if not name:
        raise ProviderError("Een aanbieder heeft een naam nodig.")
    if Provider.objects.for_organisation(organisation).filter(name=name).exists():
        raise ProviderError(f"Aanbieder '{name}' bestaat al.")
    if contract_manager is not None and contract_manager.organisation_id != organisation.pk:
        raise ProviderError("De contractmanager hoort niet bij deze organisatie.")
    provider = Provider.objects.create(
        organisation=organisation,
        name=name,
        contract_manager=contract_manager,
        city=city,
        kvk_number=kvk_number,
        email=email,
        is_roc=is_roc,
        joined_on=joined_on or timezone.localdate(),
    )
    _event(
        provider=provider,
        actor=actor,
        kind="provider_created",
        description=f"Aanbieder {name} toegevoegd aan het netwerk.",
    )
    return provider


@transaction.atomic
def provider_add_staff(*, provider: Provider, user: User) -> ProviderMembership:
    if user.organisation_id != provider.organisation_id:
        raise ProviderError("Gebruiker en aanbieder horen niet bij dezelfde organisatie.")
    if not user.has_role(RoleCode.PROVIDER_STAFF):
        raise ProviderError(
            "Alleen gebruikers met de rol 'Medewerker aanbieder' kunnen "
            "aan een aanbieder worden gekoppeld."
        )
    if ProviderMembership.objects.filter(user=user).exists():
        raise ProviderError("Deze gebruiker werkt al voor een aanbieder.")
    return ProviderMembership.objects.create(provider=provider, user=user)


@transaction.atomic
def provider_set_contract_manager(
    *, actor: User, provider: Provider, contract_manager: User
) -> Provider:
    _require_same_org(actor, provider.organisation_id)
    if contract_manager.organisation_id != provider.organisation_id:
        raise ProviderError("De contractmanager hoort niet bij deze organisatie.")
    if not contract_manager.has_opstap_perm(Perm.PROVIDER_MANAGE):
        raise ProviderError("Deze gebruiker is geen contractmanager.")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    old = provider.contract_manager_id
    provider.contract_manager = contract_manager
    provider.save(update_fields=["contract_manager"])
    _event(
        provider=provider,
        actor=actor,
        kind="contract_manager_changed",
        description=f"Contractmanager is nu {contract_manager.display_name}.",
        data={"old": old, "new": contract_manager.pk},
    )
    return provider


@transaction.atomic
def provider_set_status(*, actor: User, provider: Provider, status: str, reason: str) -> Provider:
    """Suspend or reactivate a provider (ending goes through `provider_end_participation`)."""
    _require_same_org(actor, provider.organisation_id)
    if status not in (ProviderStatus.ACTIVE, ProviderStatus.SUSPENDED):
        raise ProviderError("Kies 'actief' of 'geschorst'; beëindigen gaat apart.")
    if not reason.strip():
        raise ProviderError("Geef een reden op.")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.status == ProviderStatus.ENDED:
        raise ProviderError("De deelname van deze aanbieder is beëindigd.")
    old = provider.status
    provider.status = status
    provider.save(update_fields=["status"])
    _event(
        provider=provider,
        actor=actor,
        kind="status_changed",
        description=(
            f"Status {ProviderStatus(old).label} → {ProviderStatus(status).label}: {reason}"
        ),
        data={"old": old, "new": status},
    )
    return provider


# --- Activity and inactivity (R-NET-8) -------------------------------------------------------


@transaction.atomic
def provider_record_activity(*, provider: Provider, on: dt.date) -> Provider:
    """Called when a provider performs an activity for a client (trajectories will call it)."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.last_activity_on is None or on > provider.last_activity_on:
        provider.last_activity_on = on
        provider.inactivity_flagged_on = None
        provider.save(update_fields=["last_activity_on", "inactivity_flagged_on"])
    return provider


@transaction.atomic
def providers_flag_inactive(*, organisation: Organisation, on: dt.date) -> list[Provider]:
    """Flag active providers without activity for the configured months and notify their
    contract manager (R-NET-8). Idempotent: a flagged provider is not flagged again."""
    months = network_settings(organisation.pk).inactivity_months
    flagged = []
    candidates = Provider.objects.select_for_update().filter(
        organisation=organisation,
        status=ProviderStatus.ACTIVE,
        inactivity_flagged_on__isnull=True,
    )
    for provider in candidates:
        if network_rules.is_inactive(
            last_activity_on=provider.last_activity_on,
            active_since=provider.joined_on or on,
            on=on,
            months=months,
        ):
            provider.inactivity_flagged_on = on
            provider.save(update_fields=["inactivity_flagged_on"])
            _event(
                provider=provider,
                actor=None,
                kind="inactivity_flagged",
                description=f"{months} maanden geen activiteit: deelname vervalt na "
                "bevestiging door de contractmanager.",
            )
            if provider.contract_manager is not None:
                _notify(
                    recipient=provider.contract_manager,
                    title=f"{provider.name}: {months} maanden geen activiteit",
                    body="Bevestig het einde van de deelname aan het netwerk.",
                    url=reverse("providers:detail", args=[provider.pk]),
                )
            flagged.append(provider)
    return flagged


@transaction.atomic
def provider_end_participation(
    *, actor: User, provider: Provider, ended_on: dt.date, reason: str
) -> Provider:
    """The contract manager confirms the end of network participation: the provider, its
    running contract and its products end; history stays (R-NET-8, R-NET-9)."""
    _require_same_org(actor, provider.organisation_id)
    if not reason.strip():
        raise ProviderError("Geef de reden van beëindiging op.")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.status == ProviderStatus.ENDED:
        raise ProviderError("De deelname van deze aanbieder is al beëindigd.")
    for contract in Contract.objects.filter(provider=provider, status=ContractStatus.ACTIVE):
        contract_end(actor=actor, contract=contract, ended_on=ended_on, reason=reason)
    Product.objects.filter(provider=provider, status=ProductStatus.ACTIVE).update(
        status=ProductStatus.ENDED
    )
    provider.status = ProviderStatus.ENDED
    provider.ended_on = ended_on
    provider.end_reason = reason.strip()
    provider.save(update_fields=["status", "ended_on", "end_reason"])
    _event(
        provider=provider,
        actor=actor,
        kind="participation_ended",
        description=f"Deelname aan het netwerk beëindigd per {ended_on:%d-%m-%Y}: {reason}",
    )
    return provider
