"""Auditing personal-data reads in DRF viewsets (R-SEC-2), for other apps.

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

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from .models import AuditAction
from .services import audit_read, audit_records_for_request


class AuditedReadMixin:
    audit_object_type: str = ""
    audit_purpose: str = ""
    audit_list: bool = False

    def audit_client_id(self, obj: Any) -> int | None:
        """The client the object is about; override per viewset (default: obj.client_id)."""
        return getattr(obj, "client_id", None)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        serializer = self.get_serializer(instance)  # type: ignore[attr-defined]
        audit_read(
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
        rows = page if page is not None else list(queryset)
        if self.audit_list and rows:
            audit_records_for_request(
                request._request,
                action=AuditAction.LIST,
                object_type=self.audit_object_type or rows[0]._meta.model_name,
                items=[(row.pk, self.audit_client_id(row)) for row in rows],
                purpose=self.audit_purpose,
            )
        serializer = self.get_serializer(rows, many=True)  # type: ignore[attr-defined]
        if page is not None:
            return self.get_paginated_response(serializer.data)  # type: ignore[attr-defined]
        return Response(serializer.data)
