"""Tables of the trajectories app: the trajectory (order), its append-only history, its due
dates, documents, appointments and absence, and its outcome (R-TRJ-1..7, R-ABS-1).

State changes happen only through `services.py` (one transition service on top of the
workflow table in `workflow.py`); these models hold no business rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import ROTONDE_LABELS_NL
from opstap.core.money import format_euro
from opstap.organisations.models import OrganisationOwned

from .deadlines import DeadlineKind
from .workflow import ACTION_LABELS_NL, STATE_LABELS_NL, State

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATE_CHOICES = [(state.value, label) for state, label in STATE_LABELS_NL.items()]
ACTION_CHOICES = [(action.value, label) for action, label in ACTION_LABELS_NL.items()] + [
    ("order", "Traject besteld"),
    ("document", "Document ingediend"),
    ("absence", "Verzuim gemeld"),
    ("outcome", "Resultaat vastgelegd"),
    ("appointment", "Afspraak gepland"),
    ("attendance", "Aanwezigheid vastgelegd"),
    ("document_share", "Document gedeeld met de klant"),
    ("document_unshare", "Document niet meer gedeeld met de klant"),
    ("submit_revised_quote", "Herziene offerte ingediend"),
    ("approve_revised_quote", "Herziene offerte goedgekeurd"),
    ("reject_revised_quote", "Herziene offerte afgewezen"),
]
ROTONDE_CHOICES = [(exit_.value, label) for exit_, label in ROTONDE_LABELS_NL.items()]


OptionalDate: TypeAlias = "models.DateField[str | dt.date | Combinable | None, dt.date | None]"
OptionalDecimal: TypeAlias = (
    "models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]"
)


def _optional_date(verbose_name: StrOrPromise, help_text: StrOrPromise) -> OptionalDate:
    """A date that stays empty until its step happens."""
    return models.DateField(verbose_name, null=True, blank=True, help_text=help_text)


def _optional_decimal(
    verbose_name: StrOrPromise,
    help_text: StrOrPromise,
    *,
    max_digits: int = 10,
    validators: list[MinValueValidator] | None = None,
) -> OptionalDecimal:
    """An optional amount excl. VAT (or number of hours), two decimals."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=validators or [],
        help_text=help_text,
    )


class AbsenceRisk(models.TextChoices):
    """Risk level on the order (R-ABS-1)."""

    NONE = "none", _("geen risico")
    ELEVATED = "elevated", _("verhoogd risico")
    PROBLEMATIC = "problematic", _("(dreigend) problematisch")


def _document_path(instance: TrajectoryDocument, filename: str) -> str:
    # Private storage: no public URL; served by an access-checked view only.
    return f"trajecten/{instance.organisation_id}/{instance.trajectory_id}/{filename}"


#: The two kinds of price terms (R-BILL-1): a fixed price, or an hourly rate.
PRICE_BASIS_CHOICES = [("fixed", _("vaste prijs")), ("hourly", _("uurtarief"))]


class Trajectory(OrganisationOwned):
    """One product bought from one provider for one client (R-TRJ-1)."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("klant"),
        help_text=_("De klant voor wie het traject is besteld."),
    )
    product = models.ForeignKey(
        "providers.Product",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("product"),
        help_text=_("Het bestelde product."),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder van het product (afgeleid van het product, voor de scope)."),
    )
    product_code = models.PositiveSmallIntegerField(
        _("productcode"),
        # R-BILL-1
        help_text=_("Betaalregime 1-5 van het product bij bestelling."),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ordered_trajectories",
        verbose_name=_("klantmanager"),
        help_text=_("De klantmanager die bestelde en het traject regisseert."),
    )
    state = models.CharField(
        _("status"),
        max_length=40,
        choices=STATE_CHOICES,
        default=State.ORDERED.value,
        # R-TRJ-2
        help_text=_("Status in de workflow; alleen via een transitie te wijzigen."),
    )
    aim_tiles = models.JSONField(
        _("doelen (tegels)"),
        default=list,
        blank=True,
        help_text=_("Codes van de tegels van het werklandschap waarop het traject zich richt."),
    )
    aim_description = models.TextField(
        _("doel"), blank=True, help_text=_("Omschrijving van het doel van het traject.")
    )
    rotonde_exit = models.CharField(
        _("afslag participatierotonde"),
        max_length=20,
        choices=ROTONDE_CHOICES,
        # R-LAD-4
        help_text=_("De afslag waarop het traject is gericht."),
    )
    rotonde_skip_reason = models.TextField(
        _("reden overgeslagen afslag"),
        blank=True,
        # R-LAD-4
        help_text=_("Verplicht als een eerdere afslag wordt overgeslagen."),
    )
    wished_start = _optional_date(_("gewenste start"), _("Startwens van de klantmanager."))
    absence_risk = models.CharField(
        _("verzuimrisico"),
        max_length=12,
        choices=AbsenceRisk.choices,
        default=AbsenceRisk.NONE,
        # R-ABS-1
        help_text=_("Geen, verhoogd of (dreigend) problematisch."),
    )
    budget = _optional_decimal(
        _("budget"), _("Budget voor dit traject, excl. btw."), validators=[MinValueValidator(0)]
    )
    # Price terms (R-BILL-1): fixed price, or hourly rate with agreed hours and/or a cap.
    # Set at the order from the product's dated price (R-NET-6) and replaced by the approved
    # quote (codes 2, 4, 5); see `price_terms.py`. Only the quote services change them.
    price_basis = models.CharField(
        _("prijsafspraak"),
        max_length=10,
        choices=PRICE_BASIS_CHOICES,
        default="fixed",
        # R-BILL-1
        help_text=_("Vaste prijs of uurtarief."),
    )
    price = _optional_decimal(_("prijs"), _("Vaste prijs excl. btw (leeg bij een uurtarief)."))
    hourly_rate = _optional_decimal(
        _("uurtarief"), _("Afgesproken uurtarief excl. btw (alleen bij een uurtarief).")
    )
    agreed_hours = _optional_decimal(
        _("afgesproken uren"),
        _("Aantal afgesproken uren uit de offerte (leeg = niet afgesproken)."),
        max_digits=7,
    )
    budget_cap = _optional_decimal(
        _("budgetplafond"),
        _("Het meeste dat in totaal betaald wordt bij een uurtarief (excl. btw)."),
    )
    price_source = models.CharField(
        _("bron van de prijs"),
        max_length=10,
        choices=[("product", _("product")), ("quote", _("offerte"))],
        default="product",
        help_text=_("Prijs van het product op de besteldatum, of de goedgekeurde offerte."),
    )
    order_date = models.DateField(_("besteldatum"), help_text=_("Datum van de aanmelding."))
    intake_date = _optional_date(_("intakedatum"), _("Geplande datum van de intake."))
    intake_held_on = _optional_date(_("intake gehouden op"), _("Datum van de intake."))
    plan_approved_on = _optional_date(_("plan goedgekeurd op"), _("Akkoord klantmanager."))
    start_date = _optional_date(_("startdatum"), _("Start van de voorziening."))
    planned_end_date = _optional_date(_("geplande einddatum"), _("Geplande einddatum."))
    actual_end_date = _optional_date(_("werkelijke einddatum"), _("Einde van het traject."))
    end_reason = models.TextField(
        _("reden einde"), blank=True, help_text=_("Waarom het traject eindigde.")
    )
    # R-TRJ-6: the final report and the warm handover close a trajectory.
    final_report_on = _optional_date(
        _("eindrapportage ontvangen op"), _("Datum waarop de eindrapportage binnenkwam.")
    )
    handed_over_on = _optional_date(
        _("warm overgedragen op"), _("Datum van de warme overdracht na de eindrapportage.")
    )
    next_due_on = models.DateField(
        _("eerstvolgende termijn"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "De vroegste openstaande termijn van het traject; afgeleid van de termijnen en "
            "bijgewerkt door de services, zodat 'verlopen' een indexzoektocht is."
        ),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-order_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "state"], name="trj_org_state"),
            models.Index(fields=["provider", "state"], name="trj_provider_state"),
            models.Index(fields=["case_manager", "state"], name="trj_cm_state"),
            models.Index(fields=["client", "order_date"], name="trj_client_date"),
            models.Index(fields=["product"], name="trj_product"),
            models.Index(fields=["provider", "actual_end_date"], name="trj_provider_end"),
            # Performance indicators (R-PI-1): plans approved per provider in a period.
            models.Index(fields=["provider", "plan_approved_on"], name="trj_provider_plan"),
            # The provider's list (portal, API): scope + window + newest first. Index-only
            # COUNT over the provider's entries and an ordered walk for the page (issue 6).
            models.Index(
                fields=["provider", "organisation", "order_date", "id", "actual_end_date"],
                name="trj_provider_order",
            ),
            # The overview, newest first, for users whose scope is not one provider (issue 6):
            # walked in order with the scope checked per row, stopping after one page.
            models.Index(fields=["organisation", "order_date", "id"], name="trj_org_order"),
            # Overdue lists (issue 6): `next_due_on < today` is a range scan over the few
            # trajectories with an open deadline, not an EXISTS per trajectory.
            models.Index(
                fields=["organisation", "next_due_on", "id"],
                name="trj_org_next_due_id",
                condition=models.Q(next_due_on__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product_code__gte=1, product_code__lte=5),
                name="trj_product_code_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Traject {self.pk}: {self.product} voor {self.client}"

    @property
    def state_label(self) -> str:
        return STATE_LABELS_NL[State(self.state)]


class TrajectoryEvent(OrganisationOwned):
    """Append-only history of a trajectory: one row per transition (R-TRJ-2)."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("traject"),
        help_text=_("Het traject."),
    )
    occurred_at = models.DateTimeField(_("tijdstip"), help_text=_("Wanneer het gebeurde."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
        help_text=_("Wie de handeling deed (leeg = systeem)."),
    )
    action = models.CharField(
        _("handeling"), max_length=40, choices=ACTION_CHOICES, help_text=_("De handeling.")
    )
    from_state = models.CharField(
        _("van status"), max_length=40, blank=True, help_text=_("Status vóór de handeling.")
    )
    to_state = models.CharField(
        _("naar status"), max_length=40, help_text=_("Status na de handeling.")
    )
    reason = models.TextField(_("reden"), blank=True, help_text=_("Reden of toelichting."))
    payload = models.JSONField(
        _("gegevens"), default=dict, blank=True, help_text=_("Data bij de handeling (datums...).")
    )

    class Meta:
        verbose_name = _("trajectgebeurtenis")
        verbose_name_plural = _("trajectgebeurtenissen")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["trajectory", "occurred_at"], name="trj_event_ts")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.action}"

    @property
    def action_label(self) -> str:
        return dict(ACTION_CHOICES).get(self.action, self.action)

    @property
    def to_state_label(self) -> str:
        return dict(STATE_CHOICES).get(self.to_state, self.to_state)


PROGRESS_REPORT_KIND = "progress_report"
DEADLINE_KIND_CHOICES = [
    (DeadlineKind.INTAKE.value, _("intake")),
    (DeadlineKind.PLAN.value, _("plan van aanpak")),
    (DeadlineKind.START.value, _("start voorziening")),
    (DeadlineKind.EXTENSION_REQUEST.value, _("uiterste datum verlengingsaanvraag")),
    (DeadlineKind.FINAL_REPORT.value, _("eindrapportage")),
    (DeadlineKind.INVOICE.value, _("factuur")),
    (PROGRESS_REPORT_KIND, _("voortgangsrapportage")),
    ("durability_check", _("controle duurzame plaatsing")),
]


class Deadline(OrganisationOwned):
    """A computed due date of a trajectory (R-TRJ-3, R-TRJ-4), stored for fast overdue lists."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("traject"),
        help_text=_("Het traject."),
    )
    kind = models.CharField(
        _("soort"), max_length=30, choices=DEADLINE_KIND_CHOICES, help_text=_("Soort termijn.")
    )
    label = models.CharField(_("omschrijving"), max_length=200, help_text=_("Wat er moet."))
    due_on = models.DateField(_("uiterste datum"), help_text=_("Berekend volgens de Atw."))
    met_on = _optional_date(_("voldaan op"), _("Wanneer aan de termijn is voldaan."))
    cancelled_on = _optional_date(
        _("vervallen op"), _("De termijn vervalt (traject beëindigd of einddatum verschoven).")
    )
    responsible_role = models.CharField(
        _("verantwoordelijke rol"), max_length=30, help_text=_("Wie aan zet is.")
    )
    # R-TRJ-3
    rule = models.CharField(
        _("regel"),
        max_length=20,
        help_text=_("De regel uit de specificatie waarop de termijn berust."),
    )

    class Meta:
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["trajectory", "kind"], name="trj_deadline_kind"),
            models.Index(
                fields=["responsible_role", "met_on", "cancelled_on", "due_on"],
                name="trj_deadline_open",
            ),
            models.Index(fields=["due_on", "met_on"], name="trj_deadline_due"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.met_on is None and self.cancelled_on is None


class DeadlineNotification(OrganisationOwned):
    """That a deadline was notified at one stage to one user; makes the job idempotent."""

    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("termijn"),
        help_text=_("De termijn."),
    )
    stage = models.CharField(
        _("fase"), max_length=10, help_text=_("'before' (vooraf) of 'overdue' (verlopen).")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ontvanger"),
        help_text=_("Wie de melding kreeg."),
    )
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("termijnmelding")
        verbose_name_plural = _("termijnmeldingen")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "stage", "recipient"], name="uniq_deadline_stage_recipient"
            )
        ]


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
    hourly_rate = _optional_decimal(
        _("uurtarief"), _("Uurtarief excl. btw (verplicht bij een uurtarief).")
    )
    hours = _optional_decimal(
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
    decided_on = _optional_date(_("beoordeeld op"), _("Datum van het besluit."))
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
        # R-BILL-9
        help_text=_("Aanwezigheidsregistratie (nodig voor reiskosten)."),
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
        # R-ABS-1
        help_text=_("Bij verhoogd risico later dan 24 uur gemeld."),
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


#: The facts a person records on an outcome (R-TRJ-7), in the order of the form: what
#: `services.outcome_record` accepts and what the right-of-access export shows.
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
    placement_start = _optional_date(_("start plaatsing"), _("Eerste werkdag."))
    contract_type = models.CharField(
        _("soort contract"), max_length=100, blank=True, help_text=_("Bijv. bepaalde tijd.")
    )
    hours_per_week = _optional_decimal(
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
    last_day_of_employment = _optional_date(_("laatste werkdag"), _("Als de plaatsing eindigde."))
    # R-TRJ-7
    durability_check_on = _optional_date(
        _("controle duurzaamheid op"), _("6 maanden na de start van de plaatsing.")
    )
    durability = models.CharField(
        _("duurzaamheid"), max_length=20, blank=True, help_text=_("Uitkomst van de controle.")
    )
    durability_asked_on = _optional_date(
        _("duurzaamheid nagevraagd op"), _("Wanneer de klantmanager om bevestiging werd gevraagd.")
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


class EquatedDay(models.Model):
    """A day that a royal decree equates with a generally recognised holiday (Atw art. 3(3),
    R-TRJ-3): not a working day for any deadline. National reference data (the decree binds
    every organisation), one row per day, maintained by the application administrator in the
    back office through `trajectories.services.equated_day_save` (validated and audited).
    Every deadline computation reads the set through `selectors.equated_days()`."""

    day = models.DateField(
        _("datum"),
        unique=True,
        help_text=_("De dag die bij koninklijk besluit met een feestdag is gelijkgesteld."),
    )
    description = models.CharField(
        _("omschrijving"),
        max_length=100,
        help_text=_("Bijvoorbeeld 'vrijdag na Hemelvaartsdag'."),
    )
    decree = models.CharField(
        _("besluit"),
        max_length=300,
        help_text=_("Het koninklijk besluit (titel en vindplaats in de Staatscourant)."),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("gelijkgestelde dag (Atw)")
        verbose_name_plural = _("gelijkgestelde dagen (Atw)")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d-%m-%Y} ({self.description})"
