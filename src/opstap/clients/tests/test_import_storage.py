"""The client import file goes through the storage backend and is deleted once read (issue 18:
a worker on another machine reads what the web server stored; AVG data minimisation: the file
holds the BSN of every client in it). With a bucket, the upload lands in object storage, the
import runs from there, and nothing stays on the web machine's disk or in the bucket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.test import override_settings

from opstap.clients.importer import run_import, store_import_file
from opstap.clients.models import Client, ImportJob, ImportStatus
from opstap.clients.tests.test_import import _rows, _write_csv
from opstap.core.roles import RoleCode
from opstap.core.tests.object_storage import bucket_client, settings_with_bucket


@pytest.fixture
def storage_dir(settings: Any, tmp_path: Path) -> Path:
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


def _stored_files(location: Path) -> list[Path]:
    return [p for p in location.rglob("*") if p.is_file()]


def _administrator(make_user: Any) -> HttpClient:
    """The application administrator's browser (a case manager exists for the new clients)."""
    make_user(RoleCode.CASE_MANAGER, username="klantmanager")
    http = HttpClient()
    http.force_login(make_user(RoleCode.APP_ADMIN, username="beheerder"))
    return http


def _upload(http: HttpClient, path: Path, **data: Any) -> Any:
    with path.open("rb") as fh:
        return http.post("/klanten/importeren/", {"file": fh, **data})


@override_settings(OPSTAP_IMPORT_SYNC=True)
def test_the_upload_is_kept_in_storage_until_the_preview_is_built_then_deleted(
    org: Any,
    make_user: Any,
    tmp_path: Path,
    storage_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    http = _administrator(make_user)
    source = _write_csv(tmp_path / "upload.csv", _rows(4))
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert _upload(http, source).status_code == 302
    job = ImportJob.objects.get()
    # Stored under its storage name (not a path on this machine), before the task runs.
    assert job.file_path.startswith("client-imports/") and job.file_path.endswith(".csv")
    assert not Path(job.file_path).is_absolute()
    assert [p.read_bytes() for p in _stored_files(storage_dir)] == [source.read_bytes()]
    for callback in pending:
        callback()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.created_count == 4
    assert _stored_files(storage_dir) == []  # read, so deleted
    # The confirmation needs only the preview.
    assert http.post(f"/klanten/importeren/{job.pk}/bevestigen/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Client.objects.count() == 4


@override_settings(OPSTAP_IMPORT_SYNC=True)
def test_a_refused_file_is_deleted_too(
    org: Any,
    make_user: Any,
    tmp_path: Path,
    storage_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    http = _administrator(make_user)
    rows = _rows(3)
    rows[1]["bsn"] = "111111111"  # fails the 11-check
    with django_capture_on_commit_callbacks(execute=True):
        _upload(http, _write_csv(tmp_path / "bad.csv", rows))
    assert ImportJob.objects.get().status == ImportStatus.REJECTED
    header_only = tmp_path / "wrong.csv"
    header_only.write_text("naam;adres\nx;y\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        _upload(http, header_only)
    assert ImportJob.objects.order_by("-pk").first().status == ImportStatus.REJECTED
    assert _stored_files(storage_dir) == []
    assert not Client.objects.exists()


def test_the_command_line_stores_reads_and_deletes_the_same_way(
    org: Any, make_user: Any, tmp_path: Path, storage_dir: Path
) -> None:
    make_user(RoleCode.CASE_MANAGER, username="klantmanager")
    source = _write_csv(tmp_path / "cli.csv", _rows(3))
    call_command("import_clients", str(source), "--bevestig", stdout=None)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.file_path.startswith("client-imports/")
    assert Client.objects.count() == 3
    assert _stored_files(storage_dir) == []
    assert source.exists()  # the operator's own file is theirs


def test_a_file_outside_storage_is_read_but_never_deleted(
    org: Any, make_user: Any, tmp_path: Path, storage_dir: Path
) -> None:
    """A job from before the storage backend (an absolute path) still runs; the file is not
    ours to remove."""
    make_user(RoleCode.CASE_MANAGER, username="klantmanager")
    source = _write_csv(tmp_path / "old.csv", _rows(2))
    job = ImportJob.objects.create(organisation=org, file_name="old.csv", file_path=str(source))
    assert run_import(job).status == ImportStatus.PREVIEW
    assert source.exists()


def test_an_xlsx_file_is_read_from_storage(
    org: Any, make_user: Any, tmp_path: Path, storage_dir: Path
) -> None:
    from openpyxl import Workbook

    from opstap.clients.importer import HEADERS

    make_user(RoleCode.CASE_MANAGER, username="klantmanager")
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in _rows(3):
        ws.append([row[h] for h in HEADERS])
    source = tmp_path / "f.xlsx"
    wb.save(source)
    with source.open("rb") as fh:
        name = store_import_file(fh, suffix=".XLSX")
    assert name.endswith(".xlsx")
    job = ImportJob.objects.create(organisation=org, file_name="f.xlsx", file_path=name)
    assert run_import(job, commit=True).status == ImportStatus.DONE, job.errors
    assert Client.objects.count() == 3 and _stored_files(storage_dir) == []


@override_settings(OPSTAP_IMPORT_SYNC=True)
def test_with_a_bucket_the_import_runs_from_object_storage(
    org: Any,
    make_user: Any,
    tmp_path: Path,
    settings: Any,
    s3_endpoint: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    s3 = bucket_client(s3_endpoint)
    local = tmp_path / "web-machine"
    settings.MEDIA_ROOT = str(local)
    settings.STORAGES = settings_with_bucket(s3_endpoint)
    http = _administrator(make_user)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        _upload(http, _write_csv(tmp_path / "s3.csv", _rows(5)))
    job = ImportJob.objects.get()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="opstap-private")["Contents"]]
    assert keys == [job.file_path]
    for callback in pending:
        callback()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.created_count == 5, job.message
    assert "Contents" not in s3.list_objects_v2(Bucket="opstap-private")
    assert not local.exists() or _stored_files(local) == []
