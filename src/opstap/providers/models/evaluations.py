"""Signals of dissatisfaction and evaluations of a provider (R-NET-9)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_date, status_field, user_reference
from opstap.organisations.models import OrganisationOwned

from .products import Product
from .providers import provider_reference

__all__ = ["Evaluation", "EvaluationOutcome", "EvaluationStatus", "Signal"]


# --- Signals, evaluations, notifications (R-NET-9) -----------------------------------------


class Signal(OrganisationOwned):
    provider = provider_reference(
        _("De aanbieder waarover het signaal gaat."),
        related_name="signals",
        on_delete=models.PROTECT,
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("product"),
        help_text=_("Optioneel: het product waarover het signaal gaat."),
    )
    client_id = models.BigIntegerField(
        _("klant-id"),
        null=True,
        blank=True,
        help_text=_("Optioneel: de casus (klant) waarop het signaal betrekking heeft."),
    )
    description = models.TextField(_("omschrijving"), help_text=_("Wat ging er mis?"))
    registered_by = user_reference(_("geregistreerd door"), _("De klantmanager."), related_name="+")
    registered_on = models.DateField(_("datum"), help_text=_("Datum van het signaal."))
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    evaluation = models.ForeignKey(
        "Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("evaluatie"),
        help_text=_("De evaluatie waarin dit signaal wordt besproken."),
    )

    class Meta:
        verbose_name = _("signaal van ontevredenheid")
        verbose_name_plural = _("signalen van ontevredenheid")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["provider", "registered_on"], name="signal_provider_date_idx"),
            models.Index(fields=["registered_by"], name="signal_by_idx"),
        ]


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("afgerond")


class EvaluationOutcome(models.TextChoices):
    NONE = "", _("nog geen")
    IMPROVED = "improved", _("verbeterd, samenwerking gaat door")
    PRODUCT_ENDED = "product_ended", _("product beëindigd")
    RELATIONSHIP_ENDED = "relationship_ended", _("relatie beëindigd")


class Evaluation(OrganisationOwned):
    provider = provider_reference(
        _("De geëvalueerde aanbieder."), related_name="evaluations", on_delete=models.PROTECT
    )
    opened_on = models.DateField(_("geopend op"), help_text=_("Datum van openen."))
    reason = models.TextField(_("aanleiding"), help_text=_("Waarom deze evaluatie er is."))
    status = status_field(EvaluationStatus.OPEN, _("Open of afgerond."))
    held_on = optional_date(_("gesprek op"), _("Gesprek."))
    report = models.TextField(
        _("verslag"), blank=True, help_text=_("Schriftelijke vastlegging van het gesprek.")
    )
    improvement_actions = models.TextField(
        _("verbeteracties"), blank=True, help_text=_("Afgesproken verbeteracties.")
    )
    outcome = models.CharField(
        _("uitkomst"),
        max_length=20,
        choices=EvaluationOutcome.choices,
        blank=True,
        default=EvaluationOutcome.NONE,
        help_text=_("Uitkomst bij afronden."),
    )
    closed_on = optional_date(_("afgerond op"), _("Afronding."))

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["provider", "status"], name="evaluation_provider_idx"),
        ]
