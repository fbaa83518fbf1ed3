"""Upload checks for private documents (plans, reports, invoices, contracts, evidence).

One rule for every app: the type is judged by extension AND content (magic number), whatever
the browser claims, and the size is limited. Files are stored in the private default storage
and served only through access-checked views (conventions: private uploads).
Pure module: no ORM.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, Any

from opstap.core.errors import InvalidInputError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

#: extension → (MIME type, magic numbers the content must start with)
KNOWN_TYPES: Mapping[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
DOCUMENTS = frozenset(KNOWN_TYPES)
PDF_ONLY = frozenset({".pdf"})

_TYPE_NAMES = {
    ".pdf": "PDF",
    ".docx": "DOCX",
    ".odt": "ODT",
    ".png": "PNG",
    ".jpg": "JPG",
    ".jpeg": "JPG",
}


class UploadRefusedError(InvalidInputError, ValueError):
    """The upload is refused; the message is Dutch and meant for the user."""


def _describe(allowed: frozenset[str]) -> str:
    names = list(dict.fromkeys(_TYPE_NAMES[ext] for ext in KNOWN_TYPES if ext in allowed))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " of " + names[-1]


def _human_size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def check_upload(
    upload: IO[Any] | Any,
    *,
    allowed: frozenset[str] = DOCUMENTS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> str:
    """Check name, size and content of an uploaded file; return its MIME type.

    `upload` is any file-like object with `name`, `size` (optional), `read` and `seek`.
    Raises `UploadRefusedError` with a Dutch message.
    """
    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in allowed or ext not in KNOWN_TYPES:
        raise UploadRefusedError(f"Alleen {_describe(allowed)} kan worden geüpload.")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    if size > max_bytes:
        raise UploadRefusedError(f"Het bestand is groter dan {_human_size(max_bytes)}.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    mime, magics = KNOWN_TYPES[ext]
    if not any(head.startswith(magic) for magic in magics):
        raise UploadRefusedError(
            f"De inhoud van het bestand past niet bij het type: dit is geen echt "
            f"{_TYPE_NAMES[ext]}-bestand."
        )
    return mime
