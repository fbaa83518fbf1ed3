"""A private file handed to the one who may see it (never from a public media URL)."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

__all__ = ["attachment"]


def attachment(
    stored: FieldFile, *, default_name: str = "", content_type: str | None = None
) -> FileResponse:
    """`stored` as a download named after its last path part (`default_name` when it has
    none); the caller has checked access and audits the read where it concerns a client."""
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=(stored.name or default_name).rsplit("/", 1)[-1],
        content_type=content_type,
    )
