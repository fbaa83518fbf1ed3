"""What happens within a trajectory: documents, quotes and their revisions, appointments,
attendance and absence, and the outcome (R-TRJ-1, R-TRJ-6, R-TRJ-7, R-ABS-1, R-BILL-1).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import OrganisationOwned

from .trajectory import AbsenceRisk, Trajectory


def _document_path(instance: TrajectoryDocument, filename: str) -> str:
    # Private storage: no public URL; served by an access-checked view only.
    return f"trajecten/{instance.organisation_id}/{instance.trajectory_id}/{filename}"


class DocumentKind(models.TextChoices):
    QUOTE = "quote", _("offerte")
    PLAN = "plan", _("plan van aanpak")
    PROGRESS_REPORT = "progress_report", _("voortgangsrapportage")
    EXTENSION_REQUEST = "extension_request", _("verlengingsaanvraag")
    RETURN_REQUEST = "return_request", _("terugmelding")
    FINAL_REPORT = "final_report", _("eindrapportage")
    HANDOVER_NOTE = "handover_note", _("notitie warme overdracht")


class TrajectoryDocument(OrganisationOwned):
    """A quote, plan, report or note of a trajectory, with an optional private upload."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("traject"),
        help_text=_("Het traject."),
    )
    kind = models.CharField(
        _("soort"), max_length=30, choices=DocumentKind.choices, help_text=_("Soort document.")
    )
    title = models.CharField(_("titel"), max_length=200, help_text=_("Titel."))
    text = models.TextField(_("inhoud"), blank=True, help_text=_("Samenvatting of inhoud."))
    goals = models.JSONField(
        _("doelen"), default=list, blank=True, help_text=_("Gestructureerde doelen (plan).")
    )
    result_agreements = models.JSONField(
        _("resultaatafspraken"), default=list, blank=True, help_text=_("Resultaatafspraken.")
    )
    signed_by_candidate = models.BooleanField(
        _("getekend door kandidaat"), default=False, help_text=_("Plan getekend door kandidaat.")
    )
    file = models.FileField(
        _("bestand"),
        upload_to=_document_path,
        blank=True,
        help_text=_("PDF, DOCX, ODT of afbeelding, maximaal 10 MB (privé opgeslagen)."),
    )
    file_name = models.CharField(
        _("bestandsnaam"), max_length=255, blank=True, help_text=_("Oorspronkelijke naam.")
    )
    content_type = models.CharField(
        _("bestandstype"), max_length=100, blank=True, help_text=_("MIME-type.")
    )
    size = models.PositiveIntegerField(_("grootte"), default=0, help_text=_("Bytes."))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ingediend door"),
        help_text=_("Wie het document indiende."),
    )
    submitted_at = models.DateTimeField(_("ingediend op"), help_text=_("Tijdstip van indienen."))
    shared_with_client = models.BooleanField(
        _("gedeeld met de klant"),
        default=False,
        help_text=_("De klantmanager deelt dit document met de klant in Mijn Opstap (R-POR)."),
    )

    class Meta:
        verbose_name = _("trajectdocument")
        verbose_name_plural = _("trajectdocumenten")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["trajectory", "kind"], name="trj_document_kind")]

    def __str__(self) -> str:
        return self.title


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("ingediend")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")
    SUPERSEDED = "superseded", _("vervangen")


class Quote(OrganisationOwned):
    """One version of the quote of a trajectory (R-TRJ-1). A wrong approved quote is replaced
    by a revised one that the case manager approves again; every version stays."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="quotes",
        verbose_name=_("traject"),
        help_text=_("Het traject."),
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
    hourly_rate = models.DecimalField(
        _("uurtarief"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Uurtarief excl. btw (verplicht bij een uurtarief)."),
    )
    hours = models.DecimalField(
        _("uren"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Aantal uren (verplicht bij een uurtarief)."),
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
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=QuoteStatus.choices,
        default=QuoteStatus.SUBMITTED,
        help_text=_("Ingediend, goedgekeurd, afgewezen of vervangen door een herziening."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ingediend door"),
        help_text=_("Wie de offerte indiende."),
    )
    submitted_on = models.DateField(_("ingediend op"), help_text=_("Datum van indienen."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
        help_text=_("De klantmanager die de offerte beoordeelde."),
    )
    decided_on = models.DateField(
        _("beoordeeld op"), null=True, blank=True, help_text=_("Datum van het besluit.")
    )
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
        return f"Offerte {self.version} (€ {self.amount})"


class AttendanceStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    ATTENDED = "attended", _("aanwezig")
    ABSENT = "absent", _("afwezig")
    CANCELLED = "cancelled", _("afgezegd")
    RESCHEDULED = "rescheduled", _("verplaatst")


class Appointment(OrganisationOwned):
    """An appointment of the candidate with the provider, with its attendance (R-ABS-1)."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("traject"),
        help_text=_("Het traject."),
    )
    starts_at = models.DateTimeField(_("tijdstip"), help_text=_("Begin van de afspraak."))
    description = models.CharField(
        _("omschrijving"), max_length=200, blank=True, help_text=_("Waar de afspraak over gaat.")
    )
    attendance = models.CharField(
        _("aanwezigheid"),
        max_length=12,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PLANNED,
        help_text=_("Aanwezigheidsregistratie (nodig voor reiskosten, R-BILL-9)."),
    )
    recorded_at = models.DateTimeField(
        _("geregistreerd op"), null=True, blank=True, help_text=_("Wanneer de aanwezigheid.")
    )

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["trajectory", "starts_at"], name="trj_appointment_ts"),
            # the attendance register of a provider (a date range) and travel claims
            # (attended appointments of a trajectory)
            models.Index(fields=["organisation", "starts_at"], name="trj_appointment_day"),
            models.Index(fields=["trajectory", "attendance"], name="trj_appointment_att"),
        ]


class Absence(OrganisationOwned):
    """An absence, cancellation or rescheduled appointment, as reported (R-ABS-1)."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("traject"),
        help_text=_("Het traject."),
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="absences",
        verbose_name=_("afspraak"),
        help_text=_("De gemiste afspraak, als die bekend is."),
    )
    occurred_at = models.DateTimeField(_("tijdstip verzuim"), help_text=_("Wanneer."))
    reason = models.TextField(_("reden"), help_text=_("Reden van het verzuim."))
    reported_at = models.DateTimeField(_("gemeld op"), help_text=_("Wanneer gemeld."))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gemeld door"),
        help_text=_("Wie het meldde."),
    )
    risk_at_report = models.CharField(
        _("verzuimrisico bij melding"),
        max_length=12,
        choices=AbsenceRisk.choices,
        help_text=_("Het risiconiveau van het traject op het moment van melden."),
    )
    late = models.BooleanField(
        _("te laat gemeld"),
        default=False,
        help_text=_("Bij verhoogd risico later dan 24 uur gemeld (R-ABS-1)."),
    )
    problematic = models.BooleanField(
        _("(dreigend) problematisch"),
        default=False,
        help_text=_("Deelnemer werkt (dreigend) niet mee (art. 9 lid 1 Pw); direct gealarmeerd."),
    )

    class Meta:
        verbose_name = _("verzuim")
        verbose_name_plural = _("verzuim")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["trajectory", "occurred_at"], name="trj_absence_ts")]


class Outcome(OrganisationOwned):
    """The structured result of a trajectory (R-TRJ-7)."""

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
    placement_start = models.DateField(
        _("start plaatsing"), null=True, blank=True, help_text=_("Eerste werkdag.")
    )
    contract_type = models.CharField(
        _("soort contract"), max_length=100, blank=True, help_text=_("Bijv. bepaalde tijd.")
    )
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Contracturen per week."),
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
    last_day_of_employment = models.DateField(
        _("laatste werkdag"), null=True, blank=True, help_text=_("Als de plaatsing eindigde.")
    )
    durability_check_on = models.DateField(
        _("controle duurzaamheid op"),
        null=True,
        blank=True,
        help_text=_("6 maanden na de start van de plaatsing (R-TRJ-7)."),
    )
    durability = models.CharField(
        _("duurzaamheid"), max_length=20, blank=True, help_text=_("Uitkomst van de controle.")
    )
    durability_asked_on = models.DateField(
        _("duurzaamheid nagevraagd op"),
        null=True,
        blank=True,
        help_text=_("Wanneer de klantmanager om bevestiging werd gevraagd."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
        help_text=_("Wie het resultaat vastlegde."),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), help_text=_("Tijdstip."))

    class Meta:
        verbose_name = _("resultaat")
        verbose_name_plural = _("resultaten")
        indexes = [models.Index(fields=["durability_check_on"], name="trj_outcome_check")]
