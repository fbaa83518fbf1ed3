"""/api/v1/clients/{id}/access-requests (POST: register a request on the client's behalf,
GET: that client's requests) and /api/v1/access-requests/{id} (status, due date, download
link) with …/download (the ZIP). Staff only, within their clients scope (R-SEC-1); every
read and download is audited (R-SEC-2); the export itself is compiled in the background."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.access_requests import selectors, services
from opstap.access_requests.downloads import export_response
from opstap.access_requests.models import AccessRequest
from opstap.access_requests.views import start_compilation
from opstap.audit.services import audit_listed, audit_read
from opstap.clients import selectors as client_selectors
from opstap.core.access import HasOpstapPermission, get_object_for_user
from opstap.core.actor import actor_of
from opstap.core.api.viewsets import CallerQuerysetMixin, valid_body
from opstap.core.roles import Perm

from .serializers import AccessRequestCreateSerializer, AccessRequestSerializer


def _after_commit(request_id: int) -> None:
    from django.db import transaction

    transaction.on_commit(lambda: start_compilation(request_id))


class ClientAccessRequestsView(GenericAPIView[AccessRequest]):
    """The access requests (inzageverzoeken) of one client."""

    serializer_class = AccessRequestSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.ACCESS_REQUEST_HANDLE,)
    pagination_class = None
    queryset = AccessRequest.objects.none()

    def _client(self) -> Any:
        return get_object_for_user(
            actor_of(self.request),
            client_selectors.clients_for(actor_of(self.request)),
            pk=self.kwargs["id"],
        )

    @extend_schema(responses=AccessRequestSerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self._client()
        rows = list(selectors.client_access_requests_for(actor_of(request), client.pk))
        audit_listed(
            request,
            rows,
            object_type="access_request",
            purpose="Inzageverzoeken van een klant via API",
        )
        return Response(AccessRequestSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=AccessRequestCreateSerializer, responses={201: AccessRequestSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a request on the client's behalf (R-SEC-5, R-POR); compiled in the
        background. 409 while another request of this client is still being compiled."""
        client = self._client()
        data = valid_body(AccessRequestCreateSerializer, request)
        access_request = services.access_request_create(
            actor=actor_of(request),
            client=client,
            note=data["note"],
            http_request=request,
        )
        _after_commit(access_request.pk)
        return Response(
            AccessRequestSerializer(access_request, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AccessRequestViewSet(
    CallerQuerysetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AccessRequest]
):
    """One access request: status, due date and the download link; the ZIP itself."""

    serializer_class = AccessRequestSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {"default": (Perm.ACCESS_REQUEST_HANDLE,)}
    queryset = AccessRequest.objects.none()

    def caller_queryset(self) -> QuerySet[AccessRequest]:
        return selectors.access_requests_for(actor_of(self.request))

    def _object(self) -> AccessRequest:
        return get_object_for_user(self.request.user, self.get_queryset(), pk=self.kwargs.get("pk"))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access_request = self._object()
        audit_read(
            request,
            access_request,
            access_request.client_id,
            "Inzageverzoek ophalen via API",
            object_type="access_request",
        )
        return Response(self.get_serializer(access_request).data)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The export ZIP (404 when it is not ready or has expired); audited as an export."""
        response = export_response(
            actor=actor_of(request), access_request=self._object(), http_request=request
        )
        if response is None:
            raise NotFound("Er is (nog) geen export om te downloaden.")
        return response
