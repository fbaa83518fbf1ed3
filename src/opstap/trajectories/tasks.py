"""Background work of the trajectories app (Celery; in-process without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="opstap.trajectories.send_deadline_notifications")
def send_deadline_notifications_task(days_before: int = 3) -> int:
    """Daily: notify before and when deadlines pass (R-TRJ-3); durability checks (R-TRJ-7)."""
    from .services import deadlines_send_notifications, outcomes_check_durability

    return deadlines_send_notifications(before_days=days_before) + outcomes_check_durability()
