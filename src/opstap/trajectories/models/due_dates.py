"""Due dates of a trajectory (R-TRJ-3, R-TRJ-4), their notifications, and the days the
Atw equates with a holiday."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import OrganisationOwned
from opstap.trajectories.deadlines import DeadlineKind

from .trajectories import trajectory_reference

if TYPE_CHECKING:
    pass
from opstap.core.model_fields import optional_date, user_reference

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

    trajectory = trajectory_reference(
        _("Het traject."), related_name="deadlines", on_delete=models.CASCADE
    )
    kind = models.CharField(
        _("soort"), max_length=30, choices=DEADLINE_KIND_CHOICES, help_text=_("Soort termijn.")
    )
    label = models.CharField(_("omschrijving"), max_length=200, help_text=_("Wat er moet."))
    due_on = models.DateField(_("uiterste datum"), help_text=_("Berekend volgens de Atw."))
    met_on = optional_date(_("voldaan op"), _("Wanneer aan de termijn is voldaan."))
    cancelled_on = optional_date(
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
    recipient = user_reference(
        _("ontvanger"), _("Wie de melding kreeg."), related_name="+", on_delete=models.CASCADE
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
