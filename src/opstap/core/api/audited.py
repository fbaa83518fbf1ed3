"""Auditing personal-data reads in DRF viewsets (R-SEC-2), for every app's API.

The audit trail itself is the audit app's: at start-up it registers its recorder here
(`register_read_recorder`, from `audit/drf.py`), so an app's API package needs nothing from
the audit app but this mixin. Without a registered recorder a read fails loudly instead of
going unaudited.

Usage (see docs/access.md)::

    class ClientViewSet(AuditedReadMixin, viewsets.ReadOnlyModelViewSet[Client]):
        audit_object_type = "client"
        audit_purpose = "Klantdossier raadplegen via de API"
        audit_list = True  # also one `list` record per client on a list page

        def audit_client_id(self, obj: Client) -> int | None:
            return obj.pk

`retrieve` then writes exactly one `read` record for the object shown; with `audit_list` a
list response writes one `list` record per row in the page (bulk insert, one query).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.core.audit_names import object_type_for

__all__ = ["AuditedReadMixin", "ReadRecorder", "register_read_recorder"]


@dataclass(frozen=True)
class ReadRecorder:
    """How reads are written to the audit trail: one `read` record for an object shown, one
    `list` record per row of a list page."""

    read: Callable[..., Any]  # (request, obj, client_id, purpose, *, object_type)
    list: Callable[..., Any]  # (request, *, object_type, items, purpose)


_recorders: list[ReadRecorder] = []


def register_read_recorder(recorder: ReadRecorder) -> ReadRecorder:
    """The audit app registers the one recorder (a second registration replaces it: the
    audit app's `ready()` may run more than once in tests)."""
    _recorders[:] = [recorder]
    return recorder


def _recorder() -> ReadRecorder:
    if not _recorders:
        raise ImproperlyConfigured("No audit recorder registered (opstap.audit not installed?).")
    return _recorders[0]


class AuditedReadMixin:
    audit_object_type: str = ""
    audit_purpose: str = ""
    audit_list: bool = False
    audit_list_purpose: str = ""  # the purpose of a list page when it differs from a read

    def list_rows(self, rows: list[Any]) -> list[Any]:
        """The rows of a list page before they are audited and shaped (default: as read)."""
        return rows

    def audit_client_id(self, obj: Any) -> int | None:
        """The client the object is about; override per viewset (default: obj.client_id)."""
        return getattr(obj, "client_id", None)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        serializer = self.get_serializer(instance)  # type: ignore[attr-defined]
        _recorder().read(
            request._request,
            instance,
            self.audit_client_id(instance),
            self.audit_purpose,
            object_type=self.audit_object_type,
        )
        return Response(serializer.data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        rows = self.list_rows(list(page) if page is not None else list(queryset))
        if self.audit_list and rows:
            _recorder().list(
                request._request,
                object_type=self.audit_object_type or object_type_for(rows[0]),
                items=[(row.pk, self.audit_client_id(row)) for row in rows],
                purpose=self.audit_list_purpose or self.audit_purpose,
            )
        serializer = self.get_serializer(rows, many=True)  # type: ignore[attr-defined]
        if page is not None:
            paged: Response = self.get_paginated_response(serializer.data)  # type: ignore[attr-defined]
            return paged
        return Response(serializer.data)
