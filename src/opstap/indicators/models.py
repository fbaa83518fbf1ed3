"""Tables of the indicators app. Indicators themselves are computed, never stored (R-PI-1);
the one fact with no other home is the receipt of a provider's quarterly overview of
candidates, duration, activities and costs (R-PI-1 item 7)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import user_reference
from opstap.organisations.models import OrganisationOwned


class QuarterlyOverview(OrganisationOwned):
    """That a provider delivered its overview for one calendar quarter (R-PI-1 item 7)."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="quarterly_overviews",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder die het overzicht leverde."),
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Jaar van het kwartaal."),
    )
    quarter = models.PositiveSmallIntegerField(
        _("kwartaal"),
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Kwartaal 1-4."),
    )
    received_on = models.DateField(
        _("ontvangen op"), help_text=_("Datum waarop het overzicht binnenkwam.")
    )
    note = models.CharField(
        _("toelichting"),
        max_length=300,
        blank=True,
        help_text=_("Bijv. waar het overzicht staat; geen persoonsgegevens."),
    )
    recorded_by = user_reference(
        _("vastgelegd door"),
        _("Wie de ontvangst vastlegde."),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("kwartaaloverzicht")
        verbose_name_plural = _("kwartaaloverzichten")
        ordering = ["provider", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "year", "quarter"], name="uniq_quarterly_overview"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarterly_overview_q"
            ),
        ]

    def __str__(self) -> str:
        return f"Kwartaaloverzicht {self.year}-K{self.quarter}"
