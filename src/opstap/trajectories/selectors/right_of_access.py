"""Right of access (R-SEC-5): everything about one client, for the access_requests app.

Unscoped on purpose: the access request was checked against the requester's scope when it was
made.
"""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from opstap.trajectories import (
    handoffs as handoffs,  # re-exported: the hand-off kinds other apps notify
)
from opstap.trajectories.deadlines import add_working_days as add_working_days
from opstap.trajectories.models import (
    Absence,
    Appointment,
    Deadline,
    Outcome,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)
from opstap.trajectories.workflow import REPORTING_STATES as REPORTING_STATES
from opstap.trajectories.workflow import Action as Action
from opstap.trajectories.workflow import IllegalTransition as IllegalTransition

# --- Right of access (R-SEC-5): everything about one client, for the access_requests app ---
# Unscoped on purpose: the access request was checked against the requester's scope when it
# was registered; these reads run in the background for exactly that client.


def client_trajectories_all(client_id: int) -> QuerySet[Trajectory]:
    return (
        Trajectory.objects.filter(client_id=client_id)
        .select_related("product", "provider")
        .order_by("order_date", "id")
    )


def client_trajectory_events_all(client_id: int) -> QuerySet[TrajectoryEvent]:
    return TrajectoryEvent.objects.filter(trajectory__client_id=client_id).order_by(
        "occurred_at", "id"
    )


def client_deadlines_all(client_id: int) -> QuerySet[Deadline]:
    return Deadline.objects.filter(trajectory__client_id=client_id).order_by("due_on", "id")


def client_documents_all(client_id: int) -> QuerySet[TrajectoryDocument]:
    return TrajectoryDocument.objects.filter(trajectory__client_id=client_id).order_by(
        "submitted_at", "id"
    )


def client_appointments_all(client_id: int) -> QuerySet[Appointment]:
    return Appointment.objects.filter(trajectory__client_id=client_id).order_by("starts_at", "id")


def client_absences_all(client_id: int) -> QuerySet[Absence]:
    return Absence.objects.filter(trajectory__client_id=client_id).order_by("occurred_at", "id")


def client_outcomes_all(client_id: int) -> QuerySet[Outcome]:
    return Outcome.objects.filter(trajectory__client_id=client_id).order_by("recorded_at", "id")
