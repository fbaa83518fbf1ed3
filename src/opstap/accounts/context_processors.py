from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .impersonation import impersonation_info


def session(request: HttpRequest) -> dict[str, Any]:
    """`idle_seconds` for the idle warning in base.html and the impersonation banner."""
    return {
        "idle_seconds": getattr(
            request, "opstap_idle_seconds", int(settings.OPSTAP_STAFF_IDLE_SECONDS)
        ),
        "impersonation": impersonation_info(request),
    }
