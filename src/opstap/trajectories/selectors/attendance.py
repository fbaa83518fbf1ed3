"""The attendance register (R-ABS-1) and what the client sees (R-POR)."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    QuerySet,
)

from opstap.core.actor import Actor
from opstap.trajectories import (
    handoffs as handoffs,  # re-exported: the hand-off kinds other apps notify
)
from opstap.trajectories.deadlines import add_working_days as add_working_days
from opstap.trajectories.models import (
    Appointment,
    AttendanceStatus,
    TrajectoryDocument,
)
from opstap.trajectories.workflow import REPORTING_STATES as REPORTING_STATES
from opstap.trajectories.workflow import Action as Action
from opstap.trajectories.workflow import IllegalTransition as IllegalTransition

from .trajectories import trajectories_for

# --- The attendance register (R-ABS-1) and what the client sees (R-POR) ---------------------


def appointments_for(user: Actor) -> QuerySet[Appointment]:
    """Appointments of the trajectories `user` may see (provider staff: their own provider's;
    a resident: their own), with what a list shows."""
    return Appointment.objects.filter(trajectory__in=trajectories_for(user)).select_related(
        "trajectory__client", "trajectory__product", "trajectory__provider"
    )


def attendance_register(
    user: Actor, *, start: dt.datetime, end: dt.datetime
) -> QuerySet[Appointment]:
    """The attendance page: the appointments between `start` and `end` (provider staff see
    their own provider's trajectories only, R-SEC-1), earliest first."""
    return (
        appointments_for(user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")
    )


def client_planned_appointments(user: Actor, *, since: dt.datetime) -> QuerySet[Appointment]:
    """A resident's coming appointments (R-POR)."""
    return (
        appointments_for(user)
        .filter(starts_at__gte=since, attendance=AttendanceStatus.PLANNED)
        .order_by("starts_at", "id")
    )


def attended_appointments(user: Actor, trajectory_ids: list[int]) -> QuerySet[Appointment]:
    """The appointments the provider registered as attended: what a travel claim can be
    made for (R-BILL-9)."""
    return (
        appointments_for(user)
        .filter(trajectory_id__in=trajectory_ids, attendance=AttendanceStatus.ATTENDED)
        .order_by("-starts_at", "-id")
    )


def documents_shared_with_client(user: Actor) -> QuerySet[TrajectoryDocument]:
    """Documents staff explicitly shared with the client (R-POR); never anything else."""
    return (
        TrajectoryDocument.objects.filter(
            trajectory__in=trajectories_for(user), shared_with_client=True
        )
        .select_related("trajectory__product")
        .order_by("-submitted_at", "-id")
    )
