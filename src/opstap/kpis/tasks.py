"""Background work of the steering app (Celery; in-process without a broker)."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="opstap.kpis.build_export")
def build_kpi_export_task(job_id: int) -> str:
    """Build one KPI report (R-INT-4); progress is stored on the KpiExport row."""
    from .services import kpi_export_build

    state = kpi_export_build(job_id)
    log.info("KPI-rapportage %s: %s", job_id, state)
    return state


@shared_task(name="opstap.kpis.refresh_facts")
def refresh_kpi_facts_task() -> int:
    """Recompute the KPI facts of the queued clients (after every write; and by the beat,
    in case a worker was down when one was queued)."""
    from .services import kpi_facts_refresh

    return kpi_facts_refresh()


@shared_task(name="opstap.kpis.roll_facts")
def roll_kpi_facts_task() -> int:
    """Extend the KPI facts to the month after today's (daily)."""
    from django.utils import timezone

    from .services import kpi_facts_roll

    return kpi_facts_roll(today=timezone.localdate())
