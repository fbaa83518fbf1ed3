"""The outcome of a trajectory (R-TRJ-7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    pass
from opstap.core.contract_types import ContractType
from opstap.core.model_fields import optional_date, optional_decimal, optional_user
from opstap.trajectories.outcomes import Durability

from .trajectories import Trajectory

OUTCOME_FACT_FIELDS = (
    "werkfit",
    "employer",
    "placement_start",
    "contract_type",
    "hours_per_week",
    "contract_months",
    "lks",
    "garantiebaan",
    "beschut_werk",
    "education_result",
    "participation",
    "care_referral",
    "last_day_of_employment",
)


class DurabilityCheck(models.Model):
    """The durability check of a placement (R-TRJ-7, R-KPI-4): the last working day, the
    check day (start + 6 months), its verdict (`outcomes.Durability`) and when the case
    manager was asked. A trajectory's outcome has it, and so has a placement the WSP made
    through matching without a trajectory (`matching.Placement`)."""

    last_day_of_employment = optional_date(_("laatste werkdag"), _("Als de plaatsing eindigde."))
    durability_check_on = optional_date(
        _("controle duurzaamheid op"), _("6 maanden na de start van de plaatsing.")
    )
    durability = models.CharField(
        _("duurzaamheid"), max_length=20, blank=True, help_text=_("Uitkomst van de controle.")
    )
    durability_asked_on = optional_date(
        _("duurzaamheid nagevraagd op"), _("Wanneer de klantmanager om bevestiging werd gevraagd.")
    )

    class Meta:
        abstract = True

    @property
    def durability_label(self) -> str:
        """The verdict in Dutch ("Duurzame plaatsing", "Niet duurzaam"); empty while open."""
        return Durability(self.durability).label if self.durability else ""


class Outcome(OrganisationOwned, DurabilityCheck):
    """The structured result of a trajectory (R-TRJ-7), with its durability check."""

    trajectory = models.OneToOneField(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="outcome",
        verbose_name=_("traject"),
        help_text=_("Het traject."),
    )
    werkfit = models.BooleanField(
        _("werkfit"), null=True, blank=True, help_text=_("Werkfit ja/nee (leeg = onbekend).")
    )
    employer = models.CharField(
        _("werkgever"), max_length=200, blank=True, help_text=_("Werkgever bij plaatsing.")
    )
    placement_start = optional_date(_("start plaatsing"), _("Eerste werkdag."))
    contract_type = models.CharField(
        _("soort contract"),
        max_length=10,
        blank=True,
        choices=ContractType.choices,
        help_text=_("Soort contract (leeg = onbekend)."),
    )
    contract_type_note = models.CharField(
        _("eerdere omschrijving contract"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_(
            "Het soort contract zoals het vroeger vrij werd ingevuld, bewaard waar het niet "
            "precies in de lijst paste."
        ),
    )
    hours_per_week = optional_decimal(
        _("uren per week"),
        _("Contracturen per week."),
        max_digits=5,
        validators=[MinValueValidator(0)],
    )
    contract_months = models.PositiveSmallIntegerField(
        _("contractduur (maanden)"), null=True, blank=True, help_text=_("Leeg = onbepaald.")
    )
    lks = models.BooleanField(_("loonkostensubsidie"), default=False, help_text=_("LKS ja/nee."))
    garantiebaan = models.BooleanField(_("garantiebaan"), default=False, help_text=_("Ja/nee."))
    beschut_werk = models.BooleanField(_("beschut werk"), default=False, help_text=_("Ja/nee."))
    education_result = models.CharField(
        _("opleidingsresultaat"), max_length=200, blank=True, help_text=_("Certificaat/diploma.")
    )
    participation = models.CharField(
        _("participatie"),
        max_length=200,
        blank=True,
        help_text=_("Vrijwilligerswerk of activerend werk."),
    )
    care_referral = models.CharField(
        _("toeleiding zorg"), max_length=200, blank=True, help_text=_("Warme overdracht naar.")
    )
    recorded_by = optional_user(
        _("vastgelegd door"),
        _("Wie het resultaat vastlegde."),
        on_delete=models.SET_NULL,
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), help_text=_("Tijdstip."))

    class Meta:
        verbose_name = _("resultaat")
        verbose_name_plural = _("resultaten")
        indexes = [models.Index(fields=["durability_check_on"], name="trj_outcome_check")]

    def __str__(self) -> str:
        return f"Resultaat van traject {self.trajectory_id}"
