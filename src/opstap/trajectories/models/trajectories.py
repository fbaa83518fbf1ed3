"""The trajectory (the order, R-TRJ-1) and its append-only history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import client_reference
from opstap.core.model_fields import optional_date, optional_decimal, user_reference, vat_code_field
from opstap.organisations.models import OrganisationOwned, StateEvent
from opstap.providers.models import provider_reference
from opstap.trajectories.workflow import STATE_LABELS_NL, State

from ._common import (
    ACTION_CHOICES,
    ROTONDE_CHOICES,
    STATE_CHOICES,
)

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


class AbsenceRisk(models.TextChoices):
    """Risk level on the order (R-ABS-1)."""

    NONE = "none", _("geen risico")
    ELEVATED = "elevated", _("verhoogd risico")
    PROBLEMATIC = "problematic", _("(dreigend) problematisch")


#: The two kinds of price terms (R-BILL-1): a fixed price, or an hourly rate.
PRICE_BASIS_CHOICES = [("fixed", _("vaste prijs")), ("hourly", _("uurtarief"))]


#: The course of a trajectory from order to hand-over: the day each step was taken, and why
#: it ended. The API and the client's access-request export both show these, in this order.
TRAJECTORY_COURSE_FIELDS = (
    "order_date",
    "intake_date",
    "intake_held_on",
    "plan_approved_on",
    "start_date",
    "planned_end_date",
    "actual_end_date",
    "end_reason",
    "final_report_on",
    "handed_over_on",
)


class Trajectory(OrganisationOwned):
    """One product bought from one provider for one client (R-TRJ-1)."""

    client = client_reference(
        _("De klant voor wie het traject is besteld."),
        related_name="trajectories",
        on_delete=models.PROTECT,
    )
    product = models.ForeignKey(
        "providers.Product",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("product"),
        help_text=_("Het bestelde product."),
    )
    provider = provider_reference(
        _("De aanbieder van het product (afgeleid van het product, voor de scope)."),
        related_name="trajectories",
        on_delete=models.PROTECT,
    )
    product_code = models.PositiveSmallIntegerField(
        _("productcode"),
        # R-BILL-1
        help_text=_("Betaalregime 1-5 van het product bij bestelling."),
    )
    # R-BILL-11
    vat_code = vat_code_field(_("Btw-tarief van het product bij bestelling."))
    case_manager = user_reference(
        _("klantmanager"),
        _("De klantmanager die bestelde en het traject regisseert."),
        related_name="ordered_trajectories",
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
    wished_start = optional_date(_("gewenste start"), _("Startwens van de klantmanager."))
    absence_risk = models.CharField(
        _("verzuimrisico"),
        max_length=12,
        choices=AbsenceRisk.choices,
        default=AbsenceRisk.NONE,
        # R-ABS-1
        help_text=_("Geen, verhoogd of (dreigend) problematisch."),
    )
    budget = optional_decimal(
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
    price = optional_decimal(_("prijs"), _("Vaste prijs excl. btw (leeg bij een uurtarief)."))
    hourly_rate = optional_decimal(
        _("uurtarief"), _("Afgesproken uurtarief excl. btw (alleen bij een uurtarief).")
    )
    agreed_hours = optional_decimal(
        _("afgesproken uren"),
        _("Aantal afgesproken uren uit de offerte (leeg = niet afgesproken)."),
        max_digits=7,
    )
    budget_cap = optional_decimal(
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
    intake_date = optional_date(_("intakedatum"), _("Geplande datum van de intake."))
    intake_held_on = optional_date(_("intake gehouden op"), _("Datum van de intake."))
    plan_approved_on = optional_date(_("plan goedgekeurd op"), _("Akkoord klantmanager."))
    start_date = optional_date(_("startdatum"), _("Start van de voorziening."))
    planned_end_date = optional_date(_("geplande einddatum"), _("Geplande einddatum."))
    actual_end_date = optional_date(_("werkelijke einddatum"), _("Einde van het traject."))
    end_reason = models.TextField(
        _("reden einde"), blank=True, help_text=_("Waarom het traject eindigde.")
    )
    # R-TRJ-6: the final report and the warm handover close a trajectory.
    final_report_on = optional_date(
        _("eindrapportage ontvangen op"), _("Datum waarop de eindrapportage binnenkwam.")
    )
    handed_over_on = optional_date(
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
            # COUNT over the provider's entries and an ordered walk for the page (issue 6),
            # with every column of the provider's window (`provider_window_q`) in the index,
            # so that the window is checked without reading the rows (issue 18).
            models.Index(
                fields=[
                    "provider",
                    "organisation",
                    "order_date",
                    "id",
                    "actual_end_date",
                    "planned_end_date",
                ],
                name="trj_provider_window",
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


def trajectory_reference(
    help_text: StrOrPromise, *, related_name: str, on_delete: Any
) -> models.ForeignKey[Trajectory | Combinable, Trajectory]:
    """The trajectory a row belongs to ("traject"), always filled in; `on_delete` as for
    `client_reference`."""
    return models.ForeignKey(
        Trajectory,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=_("traject"),
        help_text=help_text,
    )


class TrajectoryEvent(StateEvent):
    """Append-only history of a trajectory: one row per transition (R-TRJ-2)."""

    trajectory = trajectory_reference(
        _("Het traject."), related_name="events", on_delete=models.CASCADE
    )
    # The trajectory's actions are a closed list (the API document shows them).
    action = models.CharField(
        _("handeling"), max_length=40, choices=ACTION_CHOICES, help_text=_("De handeling.")
    )
    reason = models.TextField(_("reden"), blank=True, help_text=_("Reden of toelichting."))
    payload = models.JSONField(
        _("gegevens"), default=dict, blank=True, help_text=_("Data bij de handeling (datums...).")
    )

    class Meta(StateEvent.Meta):
        verbose_name = _("trajectgebeurtenis")
        verbose_name_plural = _("trajectgebeurtenissen")
        indexes = [models.Index(fields=["trajectory", "occurred_at"], name="trj_event_ts")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.action}"

    @property
    def action_label(self) -> str:
        return dict(ACTION_CHOICES).get(self.action, self.action)

    @property
    def to_state_label(self) -> str:
        return dict(STATE_CHOICES).get(self.to_state, self.to_state)
