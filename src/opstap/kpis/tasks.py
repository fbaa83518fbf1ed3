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
