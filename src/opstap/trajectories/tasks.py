"""Background work of the trajectories app (Celery; in-process without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="opstap.trajectories.send_deadline_notifications")
def send_deadline_notifications_task(days_before: int = 3) -> int:
    """Daily: notify before and when deadlines pass (R-TRJ-3); durability checks (R-TRJ-7:
    trajectory outcomes and the registered ones, e.g. placements via the WSP)."""
    from .services import deadlines_send_notifications, durability_checks_run

    return deadlines_send_notifications(before_days=days_before) + durability_checks_run()
