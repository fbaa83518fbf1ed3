"""Housekeeping in the retention run: files made for a moment, not records of a dossier,
are removed once their short term has passed (KPI reports built in the background)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from opstap.audit.models import AuditRecord
from opstap.kpis.models import KpiExport, KpiExportStatus
from opstap.kpis.services import KPI_EXPORT_KEEP_DAYS
from opstap.organisations.models import Organisation
from opstap.retention import services

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date(2026, 12, 6)
MIDNIGHT = dt.datetime.combine(TODAY, dt.time.min, tzinfo=AMS)


def _export(org: Organisation, status: str, *, made_days_ago: float, done_days_ago: float | None):
    job = KpiExport.objects.create(
        organisation=org,
        fmt="pdf",
        status=status,
        content=b"%PDF-1.7 ..." if status == KpiExportStatus.DONE else None,
        finished_at=None if done_days_ago is None else MIDNIGHT - dt.timedelta(days=done_days_ago),
    )
    KpiExport.objects.filter(pk=job.pk).update(
        created_at=MIDNIGHT - dt.timedelta(days=made_days_ago)
    )
    return job


def test_kpi_exports_are_removed_a_week_after_they_finished(
    org: Organisation, other_org: Organisation
) -> None:
    """A KPI report (row and stored file) is removed once it finished more than
    `KPI_EXPORT_KEEP_DAYS` (7) days ago, ready or failed; a request that never finished (a
    worker that stopped) once it was made that long ago; newer ones stay, as do those of
    another organisation until its own run. A dry run counts and changes nothing; the run's
    audit line carries the count."""
    assert KPI_EXPORT_KEEP_DAYS == 7
    week = KPI_EXPORT_KEEP_DAYS
    old_done = _export(org, KpiExportStatus.DONE, made_days_ago=week + 2, done_days_ago=week + 1)
    old_failed = _export(org, KpiExportStatus.FAILED, made_days_ago=30, done_days_ago=30)
    stuck = _export(org, KpiExportStatus.RUNNING, made_days_ago=week + 1, done_days_ago=None)
    recent = _export(org, KpiExportStatus.DONE, made_days_ago=week + 3, done_days_ago=week - 1)
    queued = _export(org, KpiExportStatus.PENDING, made_days_ago=0.5, done_days_ago=None)
    elsewhere = _export(other_org, KpiExportStatus.DONE, made_days_ago=40, done_days_ago=40)

    dry = services.retention_run(organisation_id=org.pk, today=TODAY, dry_run=True)
    assert dry.counts["kpi_exports_past_term"] == 3
    assert KpiExport.objects.count() == 6

    run = services.retention_run(organisation_id=org.pk, today=TODAY)
    assert run.counts["kpi_exports_removed"] == 3
    left = set(KpiExport.objects.values_list("pk", flat=True))
    assert left == {recent.pk, queued.pk, elsewhere.pk}
    assert not left & {old_done.pk, old_failed.pk, stuck.pk}
    line = AuditRecord.objects.filter(object_type="retention_run", object_id=str(run.pk)).get()
    assert line.changes["kpi_exports_removed"] == 3

    # The management command (cron without a broker) does the same for every organisation.
    out = StringIO()
    call_command("retention_run", "--today", TODAY.isoformat(), stdout=out)
    assert "kpi_exports_removed: 1" in out.getvalue()
    assert set(KpiExport.objects.values_list("pk", flat=True)) == {recent.pk, queued.pk}
