"""The trajectories' counts cache (issue 6: the provider's list at national scale).

The total of the trajectory list in the API counts every trajectory of the provider in its
visibility window: ~100,000 index entries at national scale, the largest single cost of a
page of 100. Paging never changes it, so it is kept in a `web.counts_cache.CountsCache` (how
it stays exact is explained there). The overview page counts at most 1,000 instead
(`CappedCountPaginator`). Every trajectory write bumps the organisation's version:
post_save/post_delete of Trajectory (connected here), the `.update()` of the stored next due
date in the services, and the bulk demo loader.
"""

from __future__ import annotations

from typing import Any

from opstap.web.counts_cache import CountsCache

TRAJECTORY_COUNTS = CountsCache("opstap:trajectories:counts")


def trajectory_counts_changed(organisation_id: int | None) -> None:
    TRAJECTORY_COUNTS.changed_now_and_on_commit(organisation_id)


def _on_trajectory_write(sender: Any, instance: Any, **kwargs: Any) -> None:
    trajectory_counts_changed(getattr(instance, "organisation_id", None))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Trajectory

    post_save.connect(_on_trajectory_write, sender=Trajectory, dispatch_uid="trj_counts_save")
    post_delete.connect(_on_trajectory_write, sender=Trajectory, dispatch_uid="trj_counts_delete")
