"""Appointments at the provider, attendance and absence (R-ABS-1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_datetime, optional_user
from opstap.organisations.models import OrganisationOwned

from .trajectories import trajectory_reference

if TYPE_CHECKING:
    pass
from .trajectories import AbsenceRisk


class AttendanceStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    ATTENDED = "attended", _("aanwezig")
    ABSENT = "absent", _("afwezig")
    CANCELLED = "cancelled", _("afgezegd")
    RESCHEDULED = "rescheduled", _("verplaatst")


class Appointment(OrganisationOwned):
    """An appointment of the candidate with the provider, with its attendance (R-ABS-1)."""

    trajectory = trajectory_reference(
        _("Het traject."), related_name="appointments", on_delete=models.CASCADE
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
    recorded_at = optional_datetime(_("geregistreerd op"), _("Wanneer de aanwezigheid."))

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


#: A reported absence and how it was judged; the API and the client's access-request export
#: both show these, in this order.
ABSENCE_FIELDS = (
    "occurred_at",
    "reason",
    "reported_at",
    "risk_at_report",
    "late",
    "problematic",
)


class Absence(OrganisationOwned):
    """An absence, cancellation or rescheduled appointment, as reported (R-ABS-1)."""

    trajectory = trajectory_reference(
        _("Het traject."), related_name="absences", on_delete=models.CASCADE
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
    reported_by = optional_user(_("gemeld door"), _("Wie het meldde."), on_delete=models.SET_NULL)
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
