"""Where an import file lives between its upload and its preview.

The file goes to the private storage backend under `client-imports/`: the file system in the
demo, S3-compatible object storage in production, so that the worker which runs the import
(on another machine, issue 18) reads what the web server stored. The file holds the BSN and
name of every client in it; once the preview is built, or the file is refused, nothing needs
it any more and it is deleted (data minimisation, AVG art. 5(1)(c); docs/import-clients.md).

`file_path` on the job is the storage name. An absolute path (a job stored before this, or a
test's own file) is read where it lies and never deleted: it is not ours to remove.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage

FOLDER = "client-imports"


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
