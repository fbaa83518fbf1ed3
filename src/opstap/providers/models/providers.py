"""Providers, their staff and their event timeline (R-NET-1, R-NET-8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_date, optional_user, status_field, user_reference
from opstap.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

__all__ = ["Provider", "ProviderEvent", "ProviderMembership", "ProviderStatus"]


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    SUSPENDED = "suspended", _("geschorst")
    ENDED = "ended", _("beëindigd")


class Provider(OrganisationOwned):
    name = models.CharField(_("naam"), max_length=200, help_text=_("Naam van de aanbieder."))
    status = status_field(
        ProviderStatus.ACTIVE, _("Actief, geschorst of beëindigd."), max_length=20
    )
    contract_manager = user_reference(
        _("contractmanager"),
        _("De vaste contractmanager van deze LEON-partner."),
        related_name="managed_providers",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, blank=True, help_text=_("Inschrijving Kamer van Koophandel.")
    )
    city = models.CharField(
        _("vestigingsplaats"), max_length=100, blank=True, help_text=_("Plaats van vestiging.")
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Algemeen e-mailadres."))
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, help_text=_("Telefoon."))
    website = models.URLField(_("website"), blank=True, help_text=_("Website van de aanbieder."))
    is_roc = models.BooleanField(
        _("ROC"),
        default=False,
        # R-NET-2
        help_text=_("Een ROC is vrijgesteld van de referentie-eis."),
    )
    joined_on = optional_date(
        _("toegetreden op"), _("Datum van toetreding tot het netwerk (LEON).")
    )
    # R-NET-8
    last_activity_on = optional_date(
        _("laatste activiteit"), _("Laatste dag met activiteit voor een kandidaat.")
    )
    inactivity_flagged_on = optional_date(
        _("inactief gesignaleerd op"), _("Wanneer het systeem 12 maanden inactiviteit signaleerde.")
    )
    ended_on = optional_date(_("deelname beëindigd op"), _("Einde van de deelname."))
    end_reason = models.TextField(
        _("reden beëindiging"), blank=True, help_text=_("Waarom de deelname eindigde.")
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
        indexes = [
            models.Index(fields=["organisation", "status"], name="provider_org_status_idx"),
            models.Index(fields=["contract_manager"], name="provider_cm_idx"),
            models.Index(fields=["last_activity_on"], name="provider_activity_idx"),
        ]

    def __str__(self) -> str:
        return self.name


def provider_reference(
    help_text: StrOrPromise, *, related_name: str, on_delete: Any
) -> models.ForeignKey[Provider | Combinable, Provider]:
    """The provider a row belongs to or is about ("aanbieder"), always filled in; `on_delete`
    as for `client_reference`: CASCADE for the provider's own records, PROTECT for what must
    outlive it."""
    return models.ForeignKey(
        Provider,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=_("aanbieder"),
        help_text=help_text,
    )


class ProviderMembership(models.Model):
    """Links a provider-staff user to exactly one provider (R-SEC-1 scope)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_membership",
        verbose_name=_("gebruiker"),
        help_text=_("Medewerker van de aanbieder."),
    )
    provider = provider_reference(
        _("De aanbieder waarvoor deze gebruiker werkt."),
        related_name="memberships",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("medewerker aanbieder")
        verbose_name_plural = _("medewerkers aanbieders")

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider}"


class ProviderEvent(OrganisationOwned):
    """One row per state change in the provider network (who, when, what, why)."""

    provider = provider_reference(
        _("De betrokken aanbieder."), related_name="events", on_delete=models.CASCADE
    )
    actor = optional_user(
        _("actor"), _("Wie de wijziging deed (leeg: het systeem)."), on_delete=models.SET_NULL
    )
    kind = models.CharField(_("soort"), max_length=50, help_text=_("Soort gebeurtenis."))
    description = models.TextField(_("omschrijving"), help_text=_("Wat er gebeurde en waarom."))
    data = models.JSONField(_("gegevens"), default=dict, blank=True, help_text=_("Details."))
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("gebeurtenis aanbieder")
        verbose_name_plural = _("gebeurtenissen aanbieders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["provider", "created_at"], name="provider_event_idx")]
