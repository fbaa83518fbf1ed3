"""SRG deliveries in the API (R-INT-2): list, detail and the download of the file or its
validation report. Read only: building and marking as sent stay on the pages, where the
validation report is seen first. Holders of `srg.deliver` in their own organisation; every
download is audited (the file holds BSNs)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from opstap.core.access import HasOpstapPermission, get_object_for_user
from opstap.core.actor import actor_of
from opstap.core.api.viewsets import CallerQuerysetMixin
from opstap.core.downloads import attachment
from opstap.core.roles import Perm
from opstap.reporting import selectors, services
from opstap.reporting.models import SrgDelivery

from .serializers import SrgDeliverySerializer

# part → (what the audit line names, model field, content type)
_WHAT = {
    "file": ("bestand", "file", "text/plain; charset=ascii"),
    "report": ("validatierapport", "report", "text/csv; charset=utf-8"),
}


class SrgDeliveryViewSet(CallerQuerysetMixin, viewsets.ReadOnlyModelViewSet[SrgDelivery]):
    """CBS SRG deliveries of the caller's organisation, newest month first."""

    serializer_class = SrgDeliverySerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.SRG_DELIVER,)
    queryset = SrgDelivery.objects.none()

    def caller_queryset(self) -> QuerySet[SrgDelivery]:
        return selectors.deliveries_for(actor_of(self.request)).order_by("-month", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "part",
                OpenApiTypes.STR,
                enum=sorted(_WHAT),
                description="file: het SRG-bestand (standaard); report: het validatierapport.",
            )
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The delivered file or its validation report, once built (audited)."""
        part = request.query_params.get("part", "file")
        if part not in _WHAT:
            raise ValidationError({"part": ["Kies file of report."]})
        what, field, content_type = _WHAT[part]
        actor = actor_of(request)
        delivery = get_object_for_user(actor, selectors.deliveries_for(actor), pk=self.kwargs["pk"])
        stored = getattr(delivery, field)
        if delivery.is_open or not stored:
            raise NotFound("Deze levering is nog niet samengesteld.")
        services.srg_delivery_downloaded(actor=actor, delivery=delivery, what=what)
        response = attachment(stored, content_type=content_type)
        response["Cache-Control"] = "no-store"
        return response
