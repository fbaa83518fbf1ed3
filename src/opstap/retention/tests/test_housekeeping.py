"""Housekeeping in the retention run: files made for a moment, not records of a dossier,
are removed once their short term has passed (KPI reports built in the background, client
import files left in the legacy folder)."""

from __future__ import annotations

import datetime as dt
import os
import time
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from opstap.audit.models import AuditRecord
from opstap.clients.importer.files import STALE_AFTER_DAYS, legacy_folder
from opstap.clients.models import ImportJob
from opstap.kpis.models import KpiExport, KpiExportStatus
from opstap.kpis.services import KPI_EXPORT_KEEP_DAYS
from opstap.organisations.models import Organisation
from opstap.retention import services
from opstap.retention.tasks import apply_retention_task

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


# --- Client import files left in the legacy folder (before the storage backend) -------------


def _file(path: Path, *, days_old: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("bsn;achternaam\n123456782;Jansen\n", encoding="utf-8")
    when = time.time() - days_old * 86_400
    os.utime(path, (when, when))
    return path


def _job(org: Organisation, path: Path, status: str) -> ImportJob:
    return ImportJob.objects.create(
        organisation=org, file_name=path.name, file_path=str(path), status=status
    )


def test_legacy_client_import_files_are_removed(
    org: Organisation, settings, tmp_path: Path
) -> None:
    """Before imports went through the storage backend, the web server wrote each file (the
    BSN and name of every client in it) to `MEDIA_ROOT/client-imports/` with its absolute
    path on the job, and nothing removed it. The daily run now removes there the file of a
    job that has been read (preview, done, refused, failed, undone) at once, and any file
    older than three days; the file of a job still waiting (young) stays, as do files
    outside that folder (an operator's own file) and sub-folders. A dry run only counts."""
    settings.MEDIA_ROOT = tmp_path / "private"
    folder = legacy_folder()
    assert folder == tmp_path / "private" / "client-imports"
    assert STALE_AFTER_DAYS == 3
    read = {
        status: _job(org, _file(folder / f"{status}.csv", days_old=0.1), status)
        for status in ("preview", "done", "rejected", "failed", "undone", "importing")
    }
    waiting = _job(org, _file(folder / "waiting.csv", days_old=0.1), "pending")
    checking = _job(org, _file(folder / "checking.xlsx", days_old=1), "validating")
    stuck = _job(org, _file(folder / "stuck.csv", days_old=4), "pending")
    orphan_old = _file(folder / "orphan-old.csv", days_old=3.5)
    orphan_new = _file(folder / "orphan-new.csv", days_old=2)
    nested = _file(folder / "sub" / "old.csv", days_old=30)
    operators = _job(org, _file(tmp_path / "export" / "uitkering.csv", days_old=30), "done")

    dry = services.retention_housekeeping(now=timezone.now(), dry_run=True)
    assert dry == {"client_import_files_past_term": len(read) + 2}
    assert len(list(folder.iterdir())) == len(read) + 6

    out = StringIO()
    call_command("retention_run", stdout=out)
    assert f"client_import_files_removed: {len(read) + 2}" in out.getvalue()
    for job in read.values():
        assert not Path(job.file_path).exists(), job.status
    assert not Path(stuck.file_path).exists() and not orphan_old.exists()
    assert Path(waiting.file_path).exists() and Path(checking.file_path).exists()
    assert orphan_new.exists() and nested.exists() and Path(operators.file_path).exists()

    # Once the waiting job has been read, the next run removes its file.
    ImportJob.objects.filter(pk=waiting.pk).update(status="preview")
    assert apply_retention_task() == 0
    assert not Path(waiting.file_path).exists() and Path(checking.file_path).exists()
    # Without the folder (a machine that never had one) there is nothing to do.
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    assert services.retention_housekeeping(now=timezone.now()) == {"client_import_files_removed": 0}
