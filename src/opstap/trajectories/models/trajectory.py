"""The trajectory (the order), its append-only history, its due dates and the notifications about
them, and the days equated with a holiday that the due dates count with (R-TRJ-1..4).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import ROTONDE_LABELS_NL
from opstap.organisations.models import OrganisationOwned
from opstap.trajectories.deadlines import DeadlineKind
from opstap.trajectories.workflow import ACTION_LABELS_NL, STATE_LABELS_NL, State

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


class AbsenceRisk(models.TextChoices):
    """Risk level on the order (R-ABS-1)."""

    NONE = "none", _("geen risico")
    ELEVATED = "elevated", _("verhoogd risico")
    PROBLEMATIC = "problematic", _("(dreigend) problematisch")


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
        help_text=_("Betaalregime 1-5 van het product bij bestelling (R-BILL-1)."),
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
        help_text=_("Status in de workflow (R-TRJ-2); alleen via een transitie te wijzigen."),
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
        help_text=_("De afslag waarop het traject is gericht (R-LAD-4)."),
    )
    rotonde_skip_reason = models.TextField(
        _("reden overgeslagen afslag"),
        blank=True,
        help_text=_("Verplicht als een eerdere afslag wordt overgeslagen (R-LAD-4)."),
    )
    wished_start = models.DateField(
        _("gewenste start"), null=True, blank=True, help_text=_("Startwens van de klantmanager.")
    )
    absence_risk = models.CharField(
        _("verzuimrisico"),
        max_length=12,
        choices=AbsenceRisk.choices,
        default=AbsenceRisk.NONE,
        help_text=_("Geen, verhoogd of (dreigend) problematisch (R-ABS-1)."),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Budget voor dit traject, excl. btw."),
    )
    # Price terms (R-BILL-1): fixed price, or hourly rate with agreed hours and/or a cap.
    # Set at the order from the product's dated price (R-NET-6) and replaced by the approved
    # quote (codes 2, 4, 5); see `price_terms.py`. Only the quote services change them.
    price_basis = models.CharField(
        _("prijsafspraak"),
        max_length=10,
        choices=PRICE_BASIS_CHOICES,
        default="fixed",
        help_text=_("Vaste prijs of uurtarief (R-BILL-1)."),
    )
    price = models.DecimalField(
        _("prijs"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vaste prijs excl. btw (leeg bij een uurtarief)."),
    )
    hourly_rate = models.DecimalField(
        _("uurtarief"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Afgesproken uurtarief excl. btw (alleen bij een uurtarief)."),
    )
    agreed_hours = models.DecimalField(
        _("afgesproken uren"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Aantal afgesproken uren uit de offerte (leeg = niet afgesproken)."),
    )
    budget_cap = models.DecimalField(
        _("budgetplafond"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Het meeste dat in totaal betaald wordt bij een uurtarief (excl. btw)."),
    )
    price_source = models.CharField(
        _("bron van de prijs"),
        max_length=10,
        choices=[("product", _("product")), ("quote", _("offerte"))],
        default="product",
        help_text=_("Prijs van het product op de besteldatum, of de goedgekeurde offerte."),
    )
    order_date = models.DateField(_("besteldatum"), help_text=_("Datum van de aanmelding."))
    intake_date = models.DateField(
        _("intakedatum"), null=True, blank=True, help_text=_("Geplande datum van de intake.")
    )
    intake_held_on = models.DateField(
        _("intake gehouden op"), null=True, blank=True, help_text=_("Datum van de intake.")
    )
    plan_approved_on = models.DateField(
        _("plan goedgekeurd op"), null=True, blank=True, help_text=_("Akkoord klantmanager.")
    )
    start_date = models.DateField(
        _("startdatum"), null=True, blank=True, help_text=_("Start van de voorziening.")
    )
    planned_end_date = models.DateField(
        _("geplande einddatum"), null=True, blank=True, help_text=_("Geplande einddatum.")
    )
    actual_end_date = models.DateField(
        _("werkelijke einddatum"), null=True, blank=True, help_text=_("Einde van het traject.")
    )
    end_reason = models.TextField(
        _("reden einde"), blank=True, help_text=_("Waarom het traject eindigde.")
    )
    final_report_on = models.DateField(
        _("eindrapportage ontvangen op"), null=True, blank=True, help_text=_("R-TRJ-6.")
    )
    handed_over_on = models.DateField(
        _("warm overgedragen op"), null=True, blank=True, help_text=_("R-TRJ-6.")
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
    met_on = models.DateField(
        _("voldaan op"), null=True, blank=True, help_text=_("Wanneer aan de termijn is voldaan.")
    )
    cancelled_on = models.DateField(
        _("vervallen op"),
        null=True,
        blank=True,
        help_text=_("De termijn vervalt (traject beëindigd of einddatum verschoven)."),
    )
    responsible_role = models.CharField(
        _("verantwoordelijke rol"), max_length=30, help_text=_("Wie aan zet is.")
    )
    rule = models.CharField(_("regel"), max_length=20, help_text=_("Spec-regel, bijv. R-TRJ-3."))

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
