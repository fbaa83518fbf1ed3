"""Background work of the indicators app (Celery; in-process without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="opstap.indicators.refresh_facts")
def refresh_indicator_facts_task() -> int:
    """Recompute the indicator facts of the queued trajectories (after every write; and by
    the beat, in case a worker was down when one was queued)."""
    from .services import indicator_facts_refresh

    return indicator_facts_refresh()
