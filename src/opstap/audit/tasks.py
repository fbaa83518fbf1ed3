"""Background work of the audit app (Celery beat)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="opstap.audit.ensure_partitions")
def ensure_partitions_task() -> list[str]:
    """Daily: the audit trail's partitions of this month and the three ahead (PostgreSQL)."""
    from .partitions import audit_partitions_ensure

    return audit_partitions_ensure(today=timezone.localdate(), months_ahead=3)
