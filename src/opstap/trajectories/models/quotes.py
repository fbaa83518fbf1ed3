"""Quotes (offertes) for a trajectory and their decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.money import format_euro
from opstap.organisations.models import OrganisationOwned

from .trajectories import trajectory_reference

if TYPE_CHECKING:
    pass
from opstap.core.model_fields import optional_date, optional_decimal, optional_user, status_field

from .documents import TrajectoryDocument


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("ingediend")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")
    SUPERSEDED = "superseded", _("vervangen")


class Quote(OrganisationOwned):
    """One version of the quote of a trajectory (R-TRJ-1). A wrong approved quote is replaced
    by a revised one that the case manager approves again; every version stays."""

    trajectory = trajectory_reference(
        _("Het traject."), related_name="quotes", on_delete=models.CASCADE
    )
    version = models.PositiveSmallIntegerField(
        _("versie"), help_text=_("1 voor de eerste offerte, daarna oplopend per herziening.")
    )
    amount = models.DecimalField(
        _("offertebedrag"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Totaalbedrag van de offerte, excl. btw."),
    )
    hourly_rate = optional_decimal(
        _("uurtarief"), _("Uurtarief excl. btw (verplicht bij een uurtarief).")
    )
    hours = optional_decimal(
        _("uren"), _("Aantal uren (verplicht bij een uurtarief)."), max_digits=7
    )
    text = models.TextField(_("toelichting"), blank=True, help_text=_("Toelichting op de offerte."))
    document = models.ForeignKey(
        TrajectoryDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("Het offertedocument, als dat is ingediend."),
    )
    status = status_field(
        QuoteStatus.SUBMITTED,
        _("Ingediend, goedgekeurd, afgewezen of vervangen door een herziening."),
        max_length=12,
    )
    submitted_by = optional_user(
        _("ingediend door"), _("Wie de offerte indiende."), on_delete=models.SET_NULL
    )
    submitted_on = models.DateField(_("ingediend op"), help_text=_("Datum van indienen."))
    decided_by = optional_user(
        _("beoordeeld door"),
        _("De klantmanager die de offerte beoordeelde."),
        on_delete=models.SET_NULL,
    )
    decided_on = optional_date(_("beoordeeld op"), _("Datum van het besluit."))
    decision_reason = models.TextField(
        _("reden besluit"), blank=True, help_text=_("Reden van afwijzing of toelichting.")
    )

    class Meta:
        verbose_name = _("offerte")
        verbose_name_plural = _("offertes")
        ordering = ["trajectory", "version"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "version"], name="uniq_quote_version"),
            # At most one quote waiting for the case manager per trajectory.
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=models.Q(status="submitted"),
                name="uniq_quote_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Offerte {self.version} ({format_euro(self.amount)})"
