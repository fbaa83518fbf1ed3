"""Where an import file lives between its upload and its preview.

The file goes to the private storage backend under `client-imports/`: the file system in the
demo, S3-compatible object storage in production, so that the worker which runs the import
(on another machine, issue 18) reads what the web server stored. The file holds the BSN and
name of every client in it; once the preview is built, or the file is refused, nothing needs
it any more and it is deleted (data minimisation, AVG art. 5(1)(c); docs/import-clients.md).

`file_path` on the job is the storage name. An absolute path (a job stored before this, or a
test's own file) is read where it lies and not deleted when it is read.

Before the storage backend, the web server wrote the files to its own disk, under
`MEDIA_ROOT/client-imports/` (the legacy folder), and nothing ever removed them. The daily
retention run removes them now (`remove_stale_import_files`): a file there once its job has
been read (its job finished: preview, imported, refused, failed, undone), and any file there
older than `STALE_AFTER_DAYS` (one a crash or a stopped worker left behind). Files elsewhere
are never touched.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

FOLDER = "client-imports"
#: A file in the legacy folder that no job still has to read is gone at once; any file there
#: older than this is removed (a job not read within three days has stopped).
STALE_AFTER_DAYS = 3


def store_import_file(content: Any, *, suffix: str) -> str:
    """Save an uploaded (or opened) file in the private storage; its storage name."""
    name = f"{FOLDER}/{uuid.uuid4().hex}{suffix.lower()}"
    return str(default_storage.save(name, content if isinstance(content, File) else File(content)))


@contextmanager
def open_import_file(file_path: str) -> Iterator[IO[bytes]]:
    """The stored file, opened for reading in binary."""
    if Path(file_path).is_absolute():
        with Path(file_path).open("rb") as fh:
            yield fh
        return
    with default_storage.open(file_path, "rb") as fh:
        yield fh


def discard_import_file(file_path: str) -> None:
    """Delete the stored file (a storage name only; see the module docstring)."""
    if file_path and not Path(file_path).is_absolute():
        default_storage.delete(file_path)


def legacy_folder() -> Path:
    """Where the web server wrote import files before the storage backend (and where the
    file-system storage keeps them now: the same private folder)."""
    return Path(settings.MEDIA_ROOT) / FOLDER


def remove_stale_import_files(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete the files in the legacy folder that no import needs any more: the file of a
    job that has been read (any status but waiting or checking), and every file older than
    `STALE_AFTER_DAYS` before `now`. Only plain files directly in that folder; returns how
    many (with `dry_run`: how many would go, nothing changes)."""
    from opstap.clients.models import ImportJob, ImportStatus

    folder = legacy_folder()
    if not folder.is_dir():
        return 0
    files = [p for p in folder.iterdir() if p.is_file() and not p.is_symlink()]
    if not files:
        return 0
    read = set(
        ImportJob.objects.filter(file_path__in=[str(p) for p in files])
        .exclude(status__in=[ImportStatus.PENDING, ImportStatus.VALIDATING])
        .values_list("file_path", flat=True)
    )
    cutoff = (now - dt.timedelta(days=STALE_AFTER_DAYS)).timestamp()
    removed = 0
    for path in files:
        try:
            stale = str(path) in read or path.stat().st_mtime < cutoff
            if stale and not dry_run:
                path.unlink()
        except FileNotFoundError:  # removed meanwhile (the import itself, another run)
            continue
        removed += stale
    return removed
