"""Appointments, attendance and absence (R-ABS-1)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from opstap.core.actor import Actor
from opstap.trajectories import date_rules
from opstap.trajectories import deadlines as dl
from opstap.trajectories.models import (
    Absence,
    AbsenceRisk,
    Appointment,
    AttendanceStatus,
    Trajectory,
)

from ._common import (
    TrajectoryError,
    _alert_case_manager,
    _date_facts,
    _record,
    _refuse_date,
    _require_provider_or_cm,
    _today,
)


@transaction.atomic
def appointment_create(
    *, actor: Actor, trajectory: Trajectory, starts_at: dt.datetime, description: str = ""
) -> Appointment:
    _require_provider_or_cm(actor, trajectory)
    if timezone.is_naive(starts_at):
        raise TrajectoryError("Het tijdstip heeft een tijdzone nodig.", field="starts_at")
    _refuse_date(
        date_rules.appointment_problem(
            timezone.localtime(starts_at).date(), _date_facts(trajectory), _today()
        )
    )
    appointment = Appointment.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        starts_at=starts_at,
        description=description.strip()[:200],
    )
    _record(
        actor=actor,
        trajectory=trajectory,
        action="appointment",
        from_state=trajectory.state,
        reason="",
        payload={"appointment": appointment.pk},
        summary=f"Afspraak gepland op {timezone.localtime(starts_at):%d-%m-%Y %H:%M}",
    )
    return appointment


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    appointment: Appointment,
    status: str,
    reason: str = "",
    problematic: bool = False,
) -> Appointment:
    """Register attendance in the register (R-ABS-1) that travel claims are checked against
    (R-BILL-9). An absence also goes through `absence_report` (with its reason) so it is
    reported and judged. Attended or absent can only be recorded once the appointment began."""
    _require_provider_or_cm(actor, appointment.trajectory)
    if status not in AttendanceStatus.values or status == AttendanceStatus.PLANNED:
        raise TrajectoryError("Kies aanwezig, afwezig, afgezegd of verplaatst.", field="status")
    if status == AttendanceStatus.ABSENT and not reason.strip():
        raise TrajectoryError("Geef de reden van het verzuim op.", field="reason")
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    now = timezone.now()
    if status in (AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT) and (
        appointment.starts_at > now
    ):
        raise TrajectoryError(
            "Deze afspraak is nog niet begonnen: aanwezigheid kunt u daarna vastleggen.",
            field="status",
        )
    before = appointment.attendance
    appointment.attendance = status
    appointment.recorded_at = now
    appointment.save(update_fields=["attendance", "recorded_at"])
    trajectory = appointment.trajectory
    _record(
        actor=actor,
        trajectory=trajectory,
        action="attendance",
        from_state=trajectory.state,
        reason="",
        payload={"appointment": appointment.pk, "attendance": status},
        summary=(
            f"Aanwezigheid {timezone.localtime(appointment.starts_at):%d-%m-%Y}: "
            f"{AttendanceStatus(status).label}"
        ),
        changes={"attendance": [before, status]},
    )
    if status == AttendanceStatus.ABSENT and before != AttendanceStatus.ABSENT:
        absence_report(
            actor=actor,
            trajectory=trajectory,
            occurred_at=appointment.starts_at,
            reason=reason,
            problematic=problematic,
            appointment=appointment,
            reported_at=now,
        )
    return appointment


@transaction.atomic
def absence_report(
    *,
    actor: Actor,
    trajectory: Trajectory,
    occurred_at: dt.datetime,
    reason: str,
    problematic: bool = False,
    appointment: Appointment | None = None,
    reported_at: dt.datetime | None = None,
) -> Absence:
    """Report an absence (R-ABS-1). With an elevated risk a report later than 24 hours is
    flagged late and the case manager is notified; a (threatening) refusal to cooperate —
    or an order with a problematic risk level — alerts the case manager at once (in-app and
    e-mail), whatever the risk level."""
    _require_provider_or_cm(actor, trajectory)
    if not reason.strip():
        raise TrajectoryError("Geef de reden van het verzuim op.", field="reason")
    reported_at = reported_at or timezone.now()
    if timezone.is_naive(occurred_at):
        raise TrajectoryError("Het tijdstip heeft een tijdzone nodig.", field="occurred_at")
    if occurred_at > reported_at:
        raise TrajectoryError("Verzuim kan niet in de toekomst liggen.", field="occurred_at")
    # Facts from the record (R-SEC-6): an absence lies within the trajectory, not in year 55.
    if timezone.localtime(occurred_at).date() < trajectory.order_date:
        raise TrajectoryError(
            f"Het verzuim ligt vóór de aanmelding van het traject "
            f"({trajectory.order_date:%d-%m-%Y}).",
            field="occurred_at",
        )
    _refuse_date(
        date_rules.absence_problem(
            timezone.localtime(occurred_at).date(),
            _date_facts(trajectory),
            timezone.localtime(reported_at).date(),
        )
    )
    if appointment is not None:
        if appointment.trajectory_id != trajectory.pk:
            raise TrajectoryError("Deze afspraak hoort niet bij dit traject.", field="appointment")
        if appointment.attendance == AttendanceStatus.PLANNED:
            appointment.attendance = AttendanceStatus.ABSENT
            appointment.recorded_at = reported_at
            appointment.save(update_fields=["attendance", "recorded_at"])
    risk = trajectory.absence_risk
    late = risk == AbsenceRisk.ELEVATED and dl.absence_report_late(occurred_at, reported_at)
    absence = Absence.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        appointment=appointment,
        occurred_at=occurred_at,
        reason=reason.strip(),
        reported_at=reported_at,
        reported_by=actor,
        risk_at_report=risk,
        late=late,
        problematic=problematic,
    )
    local = timezone.localtime(occurred_at)
    who = trajectory.client.full_name
    if problematic or risk == AbsenceRisk.PROBLEMATIC:
        _alert_case_manager(
            trajectory,
            title=f"Direct actie: (dreigend) problematisch verzuim van {who}",
            body=(
                f"Verzuim op {local:%d-%m-%Y %H:%M}: {reason.strip()}. De deelnemer werkt "
                "(dreigend) niet mee (art. 9 lid 1 Participatiewet)."
            ),
        )
    elif risk == AbsenceRisk.ELEVATED:
        _alert_case_manager(
            trajectory,
            title=f"Verzuim van {who}" + (" (te laat gemeld)" if late else ""),
            body=f"Verzuim op {local:%d-%m-%Y %H:%M}: {reason.strip()}.",
        )
    _record(
        actor=actor,
        trajectory=trajectory,
        action="absence",
        from_state=trajectory.state,
        reason=reason.strip(),
        payload={
            "absence": absence.pk,
            "occurred_at": occurred_at.isoformat(),
            "late": late,
            "problematic": problematic,
        },
        summary=f"Verzuim gemeld ({trajectory.product.name})"
        + (" — te laat" if late else "")
        + (" — problematisch" if problematic else ""),
    )
    return absence
