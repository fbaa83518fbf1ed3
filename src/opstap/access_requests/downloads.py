"""Serving an export ZIP (R-SEC-5), for the pages and the API alike."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse

from opstap.core.actor import Actor
from opstap.core.downloads import attachment

from . import services
from .models import AccessRequest
from .workflow import Action, IllegalTransitionError


def export_response(
    *, actor: Actor, access_request: AccessRequest, http_request: Any
) -> FileResponse | None:
    """Record the download (the workflow step, audited as an export) and open the ZIP; None
    when there is nothing to download (not ready, expired, or the step is refused)."""
    if not access_request.has_file:
        return None
    try:
        access_request = services.access_request_transition(
            actor=actor,
            access_request=access_request,
            action=Action.DOWNLOAD,
            http_request=http_request,
        )
    except (IllegalTransitionError, services.AccessRequestError):
        return None
    response = attachment(
        access_request.file, default_name="inzage.zip", content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
