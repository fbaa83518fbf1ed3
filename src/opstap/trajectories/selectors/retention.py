"""What retention (R-SEC-4) asks of trajectories: is a client's dossier still open, and the
last day anything happened on the client's trajectories (as subqueries per client)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from opstap.trajectories.models import Trajectory
from opstap.trajectories.workflow import ENDED_STATES, TERMINAL_STATES, State

#: States after which a trajectory does nothing more (R-TRJ-2): ended, terminal, or ended
#: with the final report received. A client with a trajectory in any other state still has
#: an open dossier.
CLOSED_TRAJECTORY_STATES: frozenset[str] = frozenset(
    s.value for s in (ENDED_STATES | TERMINAL_STATES | {State.FINAL_REPORT_RECEIVED})
)


def open_trajectory_exists(client_ref: str = "pk") -> Exists:
    """Whether the client (OuterRef `client_ref`) has a trajectory that is not closed."""
    return Exists(
        Trajectory.objects.filter(client_id=OuterRef(client_ref)).exclude(
            state__in=sorted(CLOSED_TRAJECTORY_STATES)
        )
    )


def last_trajectory_day(client_ref: str = "pk") -> Any:
    """The last day on the client's trajectories (end, final report, handover, or the order
    of one that never started), as a subquery."""
    rows = (
        Trajectory.objects.filter(client_id=OuterRef(client_ref))
        .annotate(
            last_day=Greatest(
                Coalesce("actual_end_date", "order_date"),
                Coalesce("final_report_on", "order_date"),
                Coalesce("handed_over_on", "order_date"),
            )
        )
        .order_by("-last_day")
        .values("last_day")[:1]
    )
    return Subquery(rows)
