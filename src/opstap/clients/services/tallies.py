"""Counters on the client row that other apps keep (issue 18): derived numbers, not state
changes, so no event or audit line. Each is changed only by an `UPDATE … SET n = n + delta`
in the writing transaction (never from a loaded instance, see `Client.save`), and can be
recomputed from the facts at any time.
"""

from __future__ import annotations

from django.db.models import F, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from opstap.clients.models import Client


def client_trajectories_counted(*, client_id: int, delta: int) -> None:
    """A trajectory of the client was created (+1) or deleted (-1). Never below 0: a
    trajectory bulk-loaded before its recount may be deleted first."""
    Client.objects.filter(pk=client_id).update(
        trajectory_count=Greatest(F("trajectory_count") + delta, Value(0))
    )


def client_trajectory_counts_set(*, organisation_id: int, per_client: Subquery) -> int:
    """Recompute the counter of every client of the organisation from `per_client`: a
    subquery giving one client's count for `OuterRef("pk")` (after a bulk load, which sends
    no signals). Only the clients whose counter differs are written; returns their number."""
    actual = Coalesce(per_client, Value(0))
    return (
        Client.objects.filter(organisation_id=organisation_id)
        .alias(actual=actual)
        .exclude(trajectory_count=F("actual"))
        .update(trajectory_count=actual)
    )
