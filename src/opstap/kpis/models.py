"""Tables of the steering app (R-KPI): yearly targets as data, the configurable activity
window, client-satisfaction survey waves (R-KPI-6) and which providers are labour-market-region
(AMR) channels (R-KPI-3). The KPIs themselves are computed, never stored."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import client_reference
from opstap.core.model_fields import optional_date, optional_datetime, optional_user, status_field
from opstap.organisations.models import OrganisationOwned
from opstap.providers.models import provider_reference

from .formulas import ACTIVITY_WINDOW_MONTHS_DEFAULT, DEFINITIONS

KPI_CHOICES = [(d.code.value, d.title) for d in DEFINITIONS]  # the rule id stays in code


class KpiTarget(OrganisationOwned):
    """The target of one KPI in one year; without a row the spec's default applies."""

    # R-KPI-1..7
    kpi = models.CharField(_("KPI"), max_length=40, choices=KPI_CHOICES, help_text=_("De KPI."))
    year = models.PositiveSmallIntegerField(
        _("jaar"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Kalenderjaar van het doel."),
    )
    target = models.DecimalField(
        _("doel"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(-100)],
        help_text=_("Aantal klanten, percentage, rapportcijfer of groei in % (zie de KPI)."),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("KPI-doel")
        verbose_name_plural = _("KPI-doelen")
        ordering = ["year", "kpi"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kpi", "year"], name="uniq_kpi_target_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.year}: {self.target}"


class KpiSettings(OrganisationOwned):
    """Settings of the KPIs per organisation (R-KPI-1: the activity window)."""

    activity_window_months = models.PositiveSmallIntegerField(
        _("venster activiteit (maanden)"),
        default=ACTIVITY_WINDOW_MONTHS_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        # R-KPI-1
        help_text=_(
            "Een klant is actief begeleid met een lopend traject of een vastgelegde activiteit "
            "van de klantmanager in dit aantal maanden (standaard 3)."
        ),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("KPI-instelling")
        verbose_name_plural = _("KPI-instellingen")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="uniq_kpi_settings_org")
        ]

    def __str__(self) -> str:
        return f"Activiteit in de laatste {self.activity_window_months} maanden"


class SatisfactionSurveyWave(OrganisationOwned):
    """One wave of the client-satisfaction survey (klantbelevingsonderzoek, R-KPI-6)."""

    name = models.CharField(_("naam"), max_length=200, help_text=_("Bijv. KBO 2024."))
    held_on = models.DateField(_("datum"), help_text=_("Datum (einde) van de meting."))
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
        help_text=_("Leeg = de hele organisatie."),
    )
    score = models.DecimalField(
        _("rapportcijfer"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Gemiddeld rapportcijfer (1-10)."),
    )
    respondents = models.PositiveIntegerField(
        _("respondenten"),
        validators=[MinValueValidator(1)],
        help_text=_("Aantal respondenten (weegt mee in het jaargemiddelde)."),
    )

    class Meta:
        verbose_name = _("meting klanttevredenheid")
        verbose_name_plural = _("metingen klanttevredenheid")
        ordering = ["-held_on", "name"]
        indexes = [models.Index(fields=["organisation", "held_on"], name="kpi_survey_org_date")]

    def __str__(self) -> str:
        return f"{self.name}: {self.score}"


class LabourMarketRegionProvider(OrganisationOwned):
    """A provider whose trajectories count as labour-market-region (AMR/WSP) trajectories
    (R-KPI-3: at least 20 placements via AMR trajectories)."""

    provider = provider_reference(
        _("Aanbieder die namens de arbeidsmarktregio (WSP) plaatst."),
        related_name="+",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("AMR-aanbieder")
        verbose_name_plural = _("AMR-aanbieders")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "provider"], name="uniq_kpi_amr_provider"
            )
        ]

    def __str__(self) -> str:
        return str(self.provider_id)


class SatisfactionResponse(OrganisationOwned):
    """One resident's answer to the satisfaction survey in the portal (R-KPI-6, R-POR): a
    score 1-10 and an optional remark, once per ended trajectory or once per open wave. The
    scores count in R-KPI-6 (one respondent each) and, when about a trajectory, in the
    provider's satisfaction indicator (R-PI-1)."""

    client = client_reference(_("Wie antwoordde."), related_name="+", on_delete=models.CASCADE)
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traject"),
        help_text=_("Het beëindigde traject waar het antwoord over gaat."),
    )
    wave = models.ForeignKey(
        SatisfactionSurveyWave,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("meting"),
        help_text=_("De meting waarin het antwoord is gegeven."),
    )
    score = models.PositiveSmallIntegerField(
        _("rapportcijfer"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1-10."),
    )
    remark = models.TextField(_("toelichting"), blank=True, help_text=_("Optioneel."))
    answered_on = models.DateField(_("beantwoord op"), help_text=_("Datum van het antwoord."))

    class Meta:
        verbose_name = _("antwoord klanttevredenheid")
        verbose_name_plural = _("antwoorden klanttevredenheid")
        ordering = ["-answered_on", "id"]
        indexes = [
            models.Index(fields=["organisation", "answered_on"], name="kpi_response_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "trajectory"],
                condition=models.Q(trajectory__isnull=False),
                name="uniq_response_per_trajectory",
            ),
            models.UniqueConstraint(
                fields=["client", "wave"],
                condition=models.Q(wave__isnull=False),
                name="uniq_response_per_wave",
            ),
            models.CheckConstraint(
                condition=models.Q(trajectory__isnull=False) | models.Q(wave__isnull=False),
                name="response_about_something",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=10), name="response_score_1_10"
            ),
        ]


class KpiExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel")
    PDF = "pdf", _("PDF (raadsrapportage)")


class KpiExportStatus(models.TextChoices):
    PENDING = "pending", _("In de wachtrij")
    RUNNING = "running", _("Wordt samengesteld")
    DONE = "done", _("Klaar om te downloaden")
    FAILED = "failed", _("Mislukt")


class KpiExport(OrganisationOwned):
    """A KPI report (the council report as xlsx or PDF) built in the background with its
    progress, downloaded when ready (R-INT-4: reports that can take over a second). Only
    aggregates, small counts suppressed as on the page; only its maker opens it."""

    created_by = optional_user(
        _("aangevraagd door"), _("Wie de rapportage aanvroeg."), on_delete=models.SET_NULL
    )
    fmt = models.CharField(
        _("bestandsvorm"), max_length=4, choices=KpiExportFormat.choices, help_text=_("Soort.")
    )
    query = models.CharField(
        _("filters"), max_length=300, blank=True, help_text=_("Jaar, gemeente, doelgroep, unit.")
    )
    selection = models.CharField(
        _("selectie"), max_length=300, blank=True, help_text=_("De filters in woorden.")
    )
    status = status_field(KpiExportStatus.PENDING, _("Voortgang van het samenstellen."))
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    file_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    content = models.BinaryField(_("bestand"), null=True, blank=True, editable=False)
    message = models.CharField(_("melding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    finished_at = optional_datetime(_("klaar op"))

    class Meta:
        verbose_name = _("KPI-rapportage")
        verbose_name_plural = _("KPI-rapportages")
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in (KpiExportStatus.DONE, KpiExportStatus.FAILED)


class KpiClientMonth(OrganisationOwned):
    """The facts behind "actively guided" (R-KPI-1/5) for one client in one month, exact to
    the day (`kpis.facts`): a row exists only for a month in which the client can be guided.
    Derived data: maintained by the kpis services from the trajectories and the client
    timeline (queued on every write, `KpiFactQueue`), rebuilt by `manage.py kpi_facts_rebuild`.
    Holds no personal data beyond the client key."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (client, month) serves lookups by client
        verbose_name=_("klant"),
        help_text=_("De klant."),
    )
    month = models.DateField(_("maand"), help_text=_("Eerste dag van de maand."))
    trajectory_days = models.IntegerField(
        _("dagen met traject"), default=0, help_text=_("Een bit per dag waarop een traject loopt.")
    )
    activity_days = models.IntegerField(
        _("dagen met activiteit"),
        default=0,
        help_text=_("Een bit per dag met een door de klantmanager vastgelegde activiteit."),
    )
    last_activity_before = optional_date(
        _("laatste activiteit ervoor"), _("De laatste vastgelegde activiteit vóór deze maand.")
    )
    # The client's *current* dimensions the KPIs filter and group on (the same values on all
    # of a client's rows, rewritten by the refresh on every write of the client), so that the
    # guided count per step and municipality is one scan of a month's rows.
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # kpi_fact_org_month holds it
        verbose_name=_("gemeente"),
        help_text=_("De huidige gemeente van de klant."),
    )
    ladder_step = models.CharField(
        _("trede"), max_length=2, help_text=_("De huidige trede van de klant.")
    )
    ladder_sub_status = models.CharField(
        _("substatus trede 6"),
        max_length=20,
        blank=True,
        help_text=_("De huidige substatus van de klant (alleen bij trede 6)."),
    )

    class Meta:
        verbose_name = _("KPI-feit per klant en maand")
        verbose_name_plural = _("KPI-feiten per klant en maand")
        constraints = [
            models.UniqueConstraint(fields=["client", "month"], name="uniq_kpi_fact_client_month")
        ]
        indexes = [
            # One month of one organisation, per municipality and step, read with the masks
            # from the index alone (PG): the guided counts and the client ids of a month.
            models.Index(
                fields=["organisation", "month", "municipality", "ladder_step"],
                include=[
                    "ladder_sub_status",
                    "client",
                    "trajectory_days",
                    "activity_days",
                    "last_activity_before",
                ],
                name="kpi_fact_org_month_dims",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.month:%Y-%m}"


class KpiFactQueue(models.Model):
    """The transactional outbox of the KPI facts: a client whose trajectories, timeline or
    record changed, written in the same transaction as the change; the background refresh
    recomputes its facts and removes the row."""

    organisation_id = models.BigIntegerField(_("organisatie"), db_index=True)
    client_id = models.BigIntegerField(_("klant"), unique=True)
    queued_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("KPI-feiten: wachtrij")
        verbose_name_plural = _("KPI-feiten: wachtrij")

    def __str__(self) -> str:
        return str(self.client_id)


class KpiFactState(OrganisationOwned):
    """Which months the KPI facts of an organisation cover. Without a row, or before the
    first rebuild is done (`ready`), the KPIs are computed live from the trajectories and the
    timeline (the same numbers, slower). The queued refresh keeps the rows of a state current
    from the moment the row exists, also while a rebuild runs."""

    built_from = models.DateField(_("vanaf maand"), help_text=_("Eerste maand met feiten."))
    built_through = models.DateField(_("tot en met maand"), help_text=_("Laatste maand."))
    rebuilt_at = optional_datetime(_("opnieuw opgebouwd op"))
    rows = models.PositiveIntegerField(_("rijen"), default=0)
    ready = models.BooleanField(
        _("in gebruik"),
        default=False,
        help_text=_("De KPI's lezen de feiten zodra de eerste volledige opbouw klaar is."),
    )

    class Meta:
        verbose_name = _("KPI-feiten: stand")
        verbose_name_plural = _("KPI-feiten: stand")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="uniq_kpi_fact_state_org")
        ]

    def __str__(self) -> str:
        return f"{self.built_from:%Y-%m} t/m {self.built_through:%Y-%m}"
