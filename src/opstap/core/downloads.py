"""A private file handed to the one who may see it (never from a public media URL)."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

__all__ = ["attachment", "uploaded_document"]


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


def uploaded_document(stored: FieldFile, *, file_name: str, content_type: str) -> FileResponse:
    """An uploaded document as a download under the name and type it was uploaded with
    (`document`, octet-stream when unknown); the browser may not guess another type."""
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=file_name or "document",
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
