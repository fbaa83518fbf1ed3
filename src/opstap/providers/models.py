"""Providers (aanbieders, LEON network). The foundation holds the provider and its staff
link; the provider-network issue adds evidence, contracts and products."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import OrganisationOwned


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    SUSPENDED = "suspended", _("geschorst")
    ENDED = "ended", _("beëindigd")


class Provider(OrganisationOwned):
    name = models.CharField(_("naam"), max_length=200, help_text=_("Naam van de aanbieder."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProviderStatus.choices,
        default=ProviderStatus.ACTIVE,
        help_text=_("Actief, geschorst of beëindigd."),
    )

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="uniq_provider_name_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderMembership(models.Model):
    """Links a provider-staff user to exactly one provider (R-SEC-1 scope)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_membership",
        verbose_name=_("gebruiker"),
        help_text=_("Medewerker van de aanbieder."),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder waarvoor deze gebruiker werkt."),
    )

    class Meta:
        verbose_name = _("medewerker aanbieder")
        verbose_name_plural = _("medewerkers aanbieders")

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider}"
