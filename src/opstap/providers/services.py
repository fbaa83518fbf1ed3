"""State changes of providers."""

from __future__ import annotations

from django.db import transaction

from opstap.accounts.models import User
from opstap.accounts.roles import RoleCode
from opstap.organisations.models import Organisation

from .models import Provider, ProviderMembership


class ProviderError(Exception):
    """A request about providers that cannot be honoured; the message is for the user."""


@transaction.atomic
def provider_create(*, organisation: Organisation, name: str) -> Provider:
    name = name.strip()
    if not name:
        raise ProviderError("Een aanbieder heeft een naam nodig.")
    if Provider.objects.for_organisation(organisation).filter(name=name).exists():
        raise ProviderError(f"Aanbieder '{name}' bestaat al.")
    return Provider.objects.create(organisation=organisation, name=name)


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
