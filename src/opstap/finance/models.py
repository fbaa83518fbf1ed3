"""Tables of the finance app: saved scenarios of the finance models (R-FIN-1..5), the editable
reference data of the social-value standard (R-INT-5) and the outflow premium (R-PREM-1).

The computations themselves live in `models_pure/` (no ORM); a scenario stores only its inputs
as JSON and is recomputed on every view, so a rule change never leaves stale results behind.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import LADDER_STEP_LABELS_NL, LadderStep
from opstap.core.model_fields import optional_date, optional_user, status_field
from opstap.organisations.models import OrganisationOwned


class ScenarioKind(models.TextChoices):
    COST_SPLIT = "cost_split", _("Verdeelsleutel")
    BUSINESS_CASE = "business_case", _("Businesscase")
    SAFETY_NET = "safety_net", _("BUIG en vangnet")
    FORECAST = "forecast", _("Prognose uitkeringsbestand")


class Scenario(OrganisationOwned):
    """A named, saved set of inputs of one finance model."""

    kind = models.CharField(
        _("soort model"),
        max_length=20,
        choices=ScenarioKind.choices,
        help_text=_("Het financiële model waarvoor dit scenario de invoer is."),
    )
    name = models.CharField(
        _("naam"),
        max_length=150,
        help_text=_("Naam van het scenario, bijv. 'Businesscase 2022-2023'."),
    )
    description = models.TextField(
        _("toelichting"), blank=True, help_text=_("Uitleg of bron van de cijfers.")
    )
    inputs = models.JSONField(
        _("invoer"),
        default=dict,
        help_text=_("De invoer van het model (bedragen als tekst, zodat geen cent verloren gaat)."),
    )
    created_by = optional_user(
        _("aangemaakt door"),
        _("De medewerker die het scenario opsloeg."),
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenario's")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "name"], name="uniq_finance_scenario_name"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "name"], name="fin_scen_org_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class SocialValueMapping(models.Model):
    """Reference data (R-INT-5): which Meetstandaard Social Impact position a ladder step
    counts as. Editable by the application administrator; without rows the defaults apply."""

    ladder_step = models.CharField(
        _("trede"),
        max_length=3,
        unique=True,
        choices=[(s.value, LADDER_STEP_LABELS_NL[s]) for s in LadderStep],
        help_text=_("Trede van de participatieladder."),
    )
    position = models.PositiveSmallIntegerField(
        _("positie"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Positie 1-5 van de Meetstandaard Social Impact."),
    )

    class Meta:
        verbose_name = _("koppeling trede - maatschappelijke waarde")
        verbose_name_plural = _("koppelingen trede - maatschappelijke waarde")
        ordering = ["ladder_step"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=5),
                name="finance_social_value_position_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ladder_step} → {self.position}"


class OutflowPremiumScheme(models.Model):
    """The global outflow-premium scheme (R-PREM-1); one row, switched off with `enabled`."""

    enabled = models.BooleanField(
        _("regeling actief"),
        default=True,
        help_text=_("Uitzetten stopt het vaststellen van nieuwe premies."),
    )
    min_benefit_months = models.PositiveSmallIntegerField(
        _("minimale bijstandsduur (maanden)"),
        default=24,
        help_text=_("De bijstand moet langer dan dit aantal maanden hebben geduurd."),
    )
    min_hours_per_week = models.DecimalField(
        _("minimaal uren per week"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(16),
        help_text=_("Minimale omvang van het werk bij uitstroom."),
    )
    first_amount = models.DecimalField(
        _("eerste betaling"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(500),
        help_text=_("Bedrag direct na uitstroom (euro)."),
    )
    second_amount = models.DecimalField(
        _("tweede betaling"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(500),
        help_text=_("Bedrag na de wachttijd als de persoon nog uit de uitkering is (euro)."),
    )
    second_after_months = models.PositiveSmallIntegerField(
        _("wachttijd tweede betaling (maanden)"),
        default=6,
        help_text=_("Aantal maanden na uitstroom voor de tweede betaling."),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("regeling uitstroompremie")
        verbose_name_plural = _("regeling uitstroompremie")

    def __str__(self) -> str:
        return "Regeling uitstroompremie (" + ("aan" if self.enabled else "uit") + ")"


class OutflowKindChoice(models.TextChoices):
    EMPLOYMENT = "employment", _("Werk in loondienst")
    SELF_EMPLOYMENT = "self_employment", _("Zelfstandig ondernemerschap")
    EDUCATION = "education", _("Studie")
    OTHER = "other", _("Overig")


class PremiumStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Ingepland")
    FIRST_PAID = "first_paid", _("Eerste deel betaald")
    COMPLETED = "completed", _("Volledig betaald")
    SECOND_CANCELLED = "second_cancelled", _("Tweede deel vervallen (terug in uitkering)")


#: The outflow an outflow premium is for, as stated (or taken from the client register).
OUTFLOW_PREMIUM_FACTS = ("benefit_start", "outflow_date", "outflow_kind", "hours_per_week")
#: What the services determine on an outflow premium: read-only in the API.
OUTFLOW_PREMIUM_DETERMINED = (
    "status",
    "first_amount",
    "first_due",
    "first_paid_on",
    "second_amount",
    "second_due",
    "second_paid_on",
    "created_at",
)


class OutflowPremium(OrganisationOwned):
    """An awarded outflow premium of one client: at most one per person (R-PREM-1)."""

    client_id = models.BigIntegerField(
        _("klant-id"),
        unique=True,
        help_text=_("Id van de klant in het klantregister; één premie per persoon."),
    )
    benefit_start = models.DateField(
        _("ingang bijstand"), help_text=_("Begindatum van de bijstand (uit het klantregister).")
    )
    outflow_date = models.DateField(_("uitstroomdatum"), help_text=_("Datum van uitstroom."))
    outflow_kind = models.CharField(
        _("soort uitstroom"),
        max_length=20,
        choices=OutflowKindChoice.choices,
        help_text=_("Werk in loondienst of als zelfstandige."),
    )
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Omvang van het werk bij uitstroom."),
    )
    status = status_field(PremiumStatus.SCHEDULED, _("Stand van de betalingen."), max_length=20)
    first_amount = models.DecimalField(
        _("bedrag eerste betaling"), max_digits=9, decimal_places=2, help_text=_("Euro.")
    )
    first_due = models.DateField(_("eerste betaling op"), help_text=_("Direct na uitstroom."))
    first_paid_on = optional_date(_("eerste betaling betaald op"), _("Leeg = nog niet."))
    second_amount = models.DecimalField(
        _("bedrag tweede betaling"), max_digits=9, decimal_places=2, help_text=_("Euro.")
    )
    second_due = models.DateField(
        _("tweede betaling op"),
        help_text=_("Na de wachttijd, als de persoon nog uit de uitkering is."),
    )
    second_paid_on = optional_date(_("tweede betaling betaald op"), _("Leeg = nog niet."))
    created_by = optional_user(
        _("vastgesteld door"),
        _("De medewerker die de premie vaststelde."),
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("vastgesteld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitstroompremie")
        verbose_name_plural = _("uitstroompremies")
        ordering = ["-outflow_date", "id"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="fin_prem_org_status"),
            models.Index(fields=["organisation", "outflow_date"], name="fin_prem_org_outflow"),
        ]

    def __str__(self) -> str:
        return f"Uitstroompremie klant {self.client_id}"
