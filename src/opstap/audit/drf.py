"""The audit app's recorder for audited API reads (R-SEC-2), registered with the API
toolkit's `AuditedReadMixin` (`opstap.core.api.audited`) when the app is ready."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opstap.core.api.audited import ReadRecorder, register_read_recorder

from .models import AuditAction
from .services import audit_read, audit_records_for_request


def _read(
    request: HttpRequest, obj: Any, client_id: int | None, purpose: str, *, object_type: str
) -> None:
    audit_read(request, obj, client_id, purpose, object_type=object_type)


def _list(
    request: HttpRequest,
    *,
    object_type: str,
    items: list[tuple[object, int | None]],
    purpose: str,
) -> None:
    audit_records_for_request(
        request, action=AuditAction.LIST, object_type=object_type, items=items, purpose=purpose
    )


def register() -> None:
    register_read_recorder(ReadRecorder(read=_read, list=_list))
