"""The trajectory counter on each client (issue 18): +1 when a trajectory is created, -1
when one is deleted, in the same transaction; `trajectory_counts_recount` recomputes them
from the trajectories (after a bulk load, which sends no signals, or to check them).

With it, the exact total of a case manager's trajectory list (every trajectory of the
clients they see: a million at national scale) is a sum over the clients in their scope,
read from the scope index, instead of a count of the joined rows (`selectors.trajectory_total`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save

from opstap.clients.services import client_trajectories_counted, client_trajectory_counts_set
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import TRAJECTORY_COUNTS


def _created(
    sender: Any, instance: Trajectory, created: bool, raw: bool = False, **kw: Any
) -> None:
    if created and not raw:
        client_trajectories_counted(client_id=instance.client_id, delta=1)


def _deleted(sender: Any, instance: Trajectory, **kw: Any) -> None:
    client_trajectories_counted(client_id=instance.client_id, delta=-1)


def connect_client_tallies() -> None:
    """Keep the counters on every save and delete of a trajectory (from `AppConfig.ready`)."""
    post_save.connect(_created, sender=Trajectory, dispatch_uid="trajectory-tally-save")
    post_delete.connect(_deleted, sender=Trajectory, dispatch_uid="trajectory-tally-delete")


def trajectory_counts_recount(*, organisation_id: int) -> int:
    """Set the counter of every client of the organisation to its number of trajectories.
    Returns the number of clients whose counter was off (0 when they were all right)."""
    per_client = Subquery(
        Trajectory.objects.filter(client_id=OuterRef("pk"))
        .order_by()
        .values("client_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    corrected = client_trajectory_counts_set(organisation_id=organisation_id, per_client=per_client)
    if corrected:
        TRAJECTORY_COUNTS.changed_now_and_on_commit(organisation_id)
    return corrected
