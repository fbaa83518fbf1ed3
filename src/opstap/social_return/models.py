"""Social return (R-NET-10): the building-block model as reference data per period, the
agreement per contract (percentage, threshold, award date), the fixed obligation of a closed
year, the plan of approach with its intended blocks, the realised blocks and one event
history. States move only through `services`; the computations are in `rules.py`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import Client
from opstap.core.model_fields import (
    Validity,
    amount_field,
    optional_datetime,
    optional_decimal,
    optional_user,
    status_field,
)
from opstap.organisations.models import HistoryEvent, OrganisationOwned
from opstap.providers.models import Contract, provider_reference
from opstap.trajectories.models import Outcome

from . import rules
from .workflow import PLAN_STATE_CHOICES, PlanState

__all__ = [
    "BlockPeriod",
    "BlockStatus",
    "BuildingBlock",
    "PlannedBlock",
    "RealisedBlock",
    "SocialReturnAgreement",
    "SocialReturnEvent",
    "SocialReturnPlan",
    "YearObligation",
]

MONEY = {"max_digits": 12, "decimal_places": 2}


class BlockPeriod(OrganisationOwned, Validity):
    """A period in which one building-block table applies (reference data, R-NET-10)."""

    name = models.CharField(_("naam"), max_length=100, help_text=_("Bijv. 'Bouwblokken 2026'."))
    full_time_hours = models.DecimalField(
        _("voltijdnorm (uren per week)"),
        max_digits=5,
        decimal_places=2,
        default=rules.DEFAULT_FULL_TIME_HOURS,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("60"))],
        help_text=_("Normbedragen gaan uit van voltijd; deeltijd telt naar rato."),
    )

    class Meta:
        verbose_name = _("bouwblokkenperiode")
        verbose_name_plural = _("bouwblokkenperiodes")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["organisation", "valid_from"], name="sr_period_from")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="sr_period_unique_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("De einddatum ligt voor de begindatum.")})


class BuildingBlock(models.Model):
    """One row of the building-block table of a period (R-NET-10)."""

    period = models.ForeignKey(
        BlockPeriod,
        on_delete=models.CASCADE,
        related_name="blocks",
        verbose_name=_("periode"),
        help_text=_("De periode waarin deze waarde geldt."),
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("Vaste code van het bouwblok."))
    name = models.CharField(_("naam"), max_length=120, help_text=_("Naam in de monitor."))
    kind = models.CharField(
        _("soort"),
        max_length=12,
        choices=[
            (rules.BlockKind.EMPLOYMENT.value, _("arbeidsovereenkomst (doelgroep)")),
            (rules.BlockKind.ALTERNATIVE.value, _("alternatieve invulling")),
        ],
        help_text=_("Een arbeidsovereenkomst heeft een waarde bij 6 en bij 12 maanden."),
    )
    value_6 = models.DecimalField(
        _("normbedrag (bij 6 maanden)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Bij een alternatief: het normbedrag."),
    )
    validity_6_months = models.PositiveSmallIntegerField(
        _("geldigheid in maanden (bij 6 maanden)"),
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Bij een alternatief: de geldigheid."),
    )
    value_12 = optional_decimal(
        _("normbedrag bij 12 maanden"),
        _("Alleen bij een arbeidsovereenkomst."),
        max_digits=12,
        validators=[MinValueValidator(Decimal("0"))],
    )
    validity_12_months = models.PositiveSmallIntegerField(
        _("geldigheid in maanden bij 12 maanden"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Alleen bij een arbeidsovereenkomst."),
    )
    pro_rata_hours = models.BooleanField(
        _("naar rato van uren"), default=False, help_text=_("Deeltijd telt naar rato.")
    )
    must_combine = models.BooleanField(
        _("alleen in combinatie"),
        default=False,
        help_text=_("Jongeren: telt alleen samen met jobcoaching en/of training of opleiding."),
    )
    supports_youth = models.BooleanField(
        _("ondersteunt jongeren"),
        default=False,
        help_text=_("Jobcoaching, training/cursus of opleiding: maakt een jongerenblok geldig."),
    )

    class Meta:
        verbose_name = _("bouwblok")
        verbose_name_plural = _("bouwblokken")
        ordering = ["period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="sr_block_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == rules.BlockKind.EMPLOYMENT.value:
            missing = {
                name: _("Verplicht bij een arbeidsovereenkomst.")
                for name in ("value_12", "validity_12_months")
                if getattr(self, name) is None
            }
            if missing:
                raise ValidationError(missing)
        elif self.value_12 is not None or self.validity_12_months is not None:
            raise ValidationError(
                {"value_12": _("Een alternatief heeft één normbedrag en één geldigheid.")}
            )
        if self.must_combine and self.supports_youth:
            raise ValidationError(
                {"must_combine": _("Een ondersteunend blok hoeft zelf niet gecombineerd.")}
            )

    def as_norm(self) -> rules.BlockNorm:
        return rules.BlockNorm(
            code=self.code,
            name=self.name,
            kind=rules.BlockKind(self.kind),
            value_6=self.value_6,
            validity_6_months=self.validity_6_months,
            value_12=self.value_12,
            validity_12_months=self.validity_12_months,
            pro_rata_hours=self.pro_rata_hours,
            must_combine=self.must_combine,
            supports_youth=self.supports_youth,
        )


class SocialReturnAgreement(OrganisationOwned):
    """The social-return terms of one contract: award date, percentage and threshold."""

    provider = provider_reference(
        _("De aanbieder van het contract."),
        related_name="social_return_agreements",
        on_delete=models.CASCADE,
    )
    contract = models.OneToOneField(
        Contract,
        on_delete=models.CASCADE,
        related_name="social_return",
        verbose_name=_("contract"),
        help_text=_("Het contract waarin de social-returnverplichting is opgenomen."),
    )
    awarded_on = models.DateField(
        _("gegund op"), help_text=_("Binnen 3 maanden hierna volgt het plan van aanpak.")
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        default=rules.DEFAULT_PERCENTAGE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Deel van het gefactureerde volume (standaard 5%)."),
    )
    threshold = models.DecimalField(
        _("drempel"),
        max_digits=12,
        decimal_places=2,
        default=rules.DEFAULT_THRESHOLD,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Boven dit jaarvolume excl. btw geldt de verplichting (standaard € 50.000)."),
    )

    class Meta:
        verbose_name = _("social-returnafspraak")
        verbose_name_plural = _("social-returnafspraken")
        ordering = ["provider", "-awarded_on"]
        indexes = [models.Index(fields=["provider", "awarded_on"], name="sr_agreement_provider")]

    def __str__(self) -> str:
        return f"Social return {self.contract}"


class YearObligation(OrganisationOwned):
    """The obligation of a provider for a closed calendar year, fixed when the year closes.
    An open year's obligation is computed from the approved invoices as it stands."""

    provider = provider_reference(
        _("De aanbieder."), related_name="social_return_years", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("jaar"), help_text=_("Kalenderjaar."))
    volume_excl = amount_field(_("volume excl. btw"), _("Goedgekeurd, creditnota's verrekend."))
    percentage = models.DecimalField(
        _("percentage"), max_digits=5, decimal_places=2, help_text=_("Van de afspraak.")
    )
    threshold = amount_field(_("drempel"), _("Van de afspraak."))
    obligation = amount_field(_("verplichting"), _("Vastgesteld."))
    closed_at = models.DateTimeField(_("afgesloten op"), help_text=_("Moment van afsluiten."))
    closed_by = optional_user(_("afgesloten door"), _("De coördinator."), on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("vastgestelde verplichting")
        verbose_name_plural = _("vastgestelde verplichtingen")
        ordering = ["-year", "provider"]
        constraints = [models.UniqueConstraint(fields=["provider", "year"], name="sr_year_unique")]
        indexes = [models.Index(fields=["organisation", "year"], name="sr_year_org")]


def _plan_path(instance: SocialReturnPlan, filename: str) -> str:
    return f"social-return/plannen/{instance.organisation_id}/{instance.provider_id}/{filename}"


def _evidence_path(instance: RealisedBlock, filename: str) -> str:
    return f"social-return/bewijs/{instance.organisation_id}/{instance.provider_id}/{filename}"


class SocialReturnPlan(OrganisationOwned):
    """One version of a provider's plan of approach. A returned plan is followed by a new
    version; every version and decision is kept."""

    provider = provider_reference(
        _("De aanbieder die het plan indient."),
        related_name="social_return_plans",
        on_delete=models.PROTECT,
    )
    version = models.PositiveSmallIntegerField(_("versie"), help_text=_("1, 2, ..."))
    state = models.CharField(
        _("status"),
        max_length=12,
        choices=PLAN_STATE_CHOICES,
        default=PlanState.SUBMITTED.value,
        help_text=_("Ingediend, goedgekeurd of teruggestuurd."),
    )
    text = models.TextField(
        _("plan van aanpak"), help_text=_("Hoe de verplichting wordt ingevuld.")
    )
    document = models.FileField(
        _("document"),
        upload_to=_plan_path,
        blank=True,
        max_length=300,
        help_text=_("Het plan als document (maximaal 4 A4); privé opgeslagen."),
    )
    submitted_at = models.DateTimeField(_("ingediend op"), help_text=_("Moment van indienen."))
    submitted_by = optional_user(
        _("ingediend door"),
        _("Medewerker van de aanbieder."),
        on_delete=models.SET_NULL,
    )
    decided_at = optional_datetime(_("beoordeeld op"))
    decided_by = optional_user(
        _("beoordeeld door"), _("De social-return-coördinator."), on_delete=models.SET_NULL
    )
    remarks = models.TextField(_("opmerkingen"), blank=True, help_text=_("Bij terugsturen."))

    class Meta:
        verbose_name = _("plan van aanpak social return")
        verbose_name_plural = _("plannen van aanpak social return")
        ordering = ["provider", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "version"], name="sr_plan_unique_version")
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="sr_plan_org_state")]

    def __str__(self) -> str:
        return f"Plan van aanpak {self.provider} v{self.version}"

    @property
    def state_label(self) -> str:
        return PlanState(self.state).label


class PlannedBlock(models.Model):
    """An intended building block in a plan, with its estimated value."""

    plan = models.ForeignKey(
        SocialReturnPlan,
        on_delete=models.CASCADE,
        related_name="planned_blocks",
        verbose_name=_("plan"),
        help_text=_("Het plan van aanpak."),
    )
    block_code = models.SlugField(_("bouwblok"), max_length=40, help_text=_("Code."))
    block_name = models.CharField(_("naam bouwblok"), max_length=120, help_text=_("Naam."))
    year = models.PositiveSmallIntegerField(_("jaar"), help_text=_("Jaar van de start."))
    count = models.PositiveSmallIntegerField(
        _("aantal"), validators=[MinValueValidator(1)], help_text=_("Aantal keer.")
    )
    estimated_value = amount_field(
        _("geschatte waarde"), _("Totale geschatte waarde (bouwblokken).")
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True, help_text=_("Kort."))

    class Meta:
        verbose_name = _("voorgenomen bouwblok")
        verbose_name_plural = _("voorgenomen bouwblokken")
        ordering = ["plan", "year", "id"]

    def __str__(self) -> str:
        return f"{self.count} x {self.block_name} ({self.year})"


class BlockStatus(models.TextChoices):
    REGISTERED = "registered", _("Geregistreerd, nog niet geverifieerd")
    VERIFIED = "verified", _("Geverifieerd")
    REJECTED = "rejected", _("Afgekeurd")


class RealisedBlock(OrganisationOwned):
    """A realised building block: a client of ours (linked) or an external person recorded
    with only what is needed, the block, start, hours, contract duration and evidence."""

    provider = provider_reference(
        _("De aanbieder die het blok realiseerde."),
        related_name="social_return_blocks",
        on_delete=models.PROTECT,
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_return_blocks",
        verbose_name=_("klant"),
        help_text=_("Een klant van de sociale dienst (leeg bij een externe persoon)."),
    )
    external_person = models.CharField(
        _("externe persoon"),
        max_length=100,
        blank=True,
        help_text=_("Initialen en achternaam of een eigen kenmerk; geen BSN of geboortedatum."),
    )
    outcome = models.OneToOneField(
        Outcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_return_block",
        verbose_name=_("plaatsing"),
        help_text=_("De plaatsing uit een traject waarvan dit blok is overgenomen."),
    )
    block_code = models.SlugField(_("bouwblok"), max_length=40, help_text=_("Code."))
    block_name = models.CharField(_("naam bouwblok"), max_length=120, help_text=_("Naam."))
    must_combine = models.BooleanField(_("alleen in combinatie"), default=False)
    supports_youth = models.BooleanField(_("ondersteunt jongeren"), default=False)
    start_date = models.DateField(_("startdatum"), help_text=_("Begin van het contract of blok."))
    hours_per_week = optional_decimal(
        _("uren per week"),
        _("Contracturen per week."),
        max_digits=5,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    contract_months = models.PositiveSmallIntegerField(
        _("contractduur (maanden)"),
        null=True,
        blank=True,
        help_text=_("Bij een arbeidsovereenkomst: minstens 6."),
    )
    value = amount_field(_("waarde"), _("Volgens het bouwblokkenmodel."))
    validity_months = models.PositiveSmallIntegerField(
        _("geldigheid (maanden)"), help_text=_("Vanaf de start; de waarde telt over die jaren.")
    )
    evidence = models.FileField(
        _("bewijsstuk"),
        upload_to=_evidence_path,
        blank=True,
        max_length=300,
        help_text=_("Bijv. de arbeidsovereenkomst; privé opgeslagen."),
    )
    status = status_field(
        BlockStatus.REGISTERED, _("Verificatie door de coördinator."), max_length=12
    )
    registered_by = optional_user(
        _("geregistreerd door"),
        _("Wie het blok registreerde."),
        on_delete=models.SET_NULL,
    )
    registered_at = models.DateTimeField(_("geregistreerd op"), help_text=_("Tijdstip."))
    verified_by = optional_user(
        _("geverifieerd door"), _("De social-return-coördinator."), on_delete=models.SET_NULL
    )
    verified_at = optional_datetime(_("geverifieerd op"))
    verification_remarks = models.TextField(_("opmerkingen verificatie"), blank=True)

    class Meta:
        verbose_name = _("gerealiseerd bouwblok")
        verbose_name_plural = _("gerealiseerde bouwblokken")
        ordering = ["provider", "-start_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "provider", "start_date"], name="sr_block_prov"),
            models.Index(fields=["organisation", "status"], name="sr_block_status"),
            models.Index(fields=["client"], name="sr_block_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(client__isnull=False, external_person="")
                    | models.Q(client__isnull=True) & ~models.Q(external_person="")
                ),
                name="sr_block_one_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.block_name} ({self.start_date})"

    @property
    def person_key(self) -> str:
        """Who the block is about, for the youth-combination rule."""
        if self.client_id is not None:
            return f"client:{self.client_id}"
        return "ext:" + " ".join(self.external_person.lower().split())

    @property
    def contract_end(self) -> dt.date | None:
        if self.contract_months is None:
            return None
        return rules.add_months(self.start_date, self.contract_months)

    def as_rule_block(self) -> rules.RealisedBlock:
        norm = rules.BlockNorm(
            code=self.block_code,
            name=self.block_name,
            kind=rules.BlockKind.ALTERNATIVE,
            value_6=self.value,
            validity_6_months=self.validity_months,
            must_combine=self.must_combine,
            supports_youth=self.supports_youth,
        )
        return rules.RealisedBlock(
            key=self.pk,
            person=self.person_key,
            norm=norm,
            value=rules.BlockValue(self.value, self.start_date, self.validity_months),
        )


class SocialReturnEvent(HistoryEvent):
    """The history of plans and blocks: who did what, when, with which remarks."""

    provider = provider_reference(
        _("De aanbieder."), related_name="social_return_events", on_delete=models.CASCADE
    )
    plan = models.ForeignKey(
        SocialReturnPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("plan"),
    )
    block = models.ForeignKey(
        RealisedBlock,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("bouwblok"),
    )
    action = models.CharField(_("handeling"), max_length=40, help_text=_("Wat er gebeurde."))
    description = models.CharField(
        _("omschrijving"), max_length=300, help_text=_("In het Nederlands.")
    )
    remarks = models.TextField(_("opmerkingen"), blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("gebeurtenis social return")
        verbose_name_plural = _("gebeurtenissen social return")
        indexes = [models.Index(fields=["provider", "occurred_at"], name="sr_event_provider")]

    def __str__(self) -> str:
        return self.description
