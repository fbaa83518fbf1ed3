"""/api/v1/clients: list (filters), retrieve, create, partial update, BSN search (POST) and
the ladder history (GET) / change (POST). Every client returned is audited (R-SEC-2)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_records_for_request
from opstap.clients import brp, selectors, services
from opstap.clients.models import Client
from opstap.clients.selectors import CLIENT_COUNTS
from opstap.core.access import HasOpstapPermission, get_object_for_user
from opstap.core.actor import Actor, actor_of, organisation_id_of
from opstap.core.api.pagination import CachedCountPagination
from opstap.core.api.viewsets import CallerQuerysetMixin, int_param, valid_body
from opstap.core.request_memo import request_memo
from opstap.core.roles import Perm
from opstap.organisations.models import Municipality

from .serializers import (
    BrpPersonSerializer,
    BsnSearchSerializer,
    ClientSerializer,
    ClientUpdateSerializer,
    LadderStepChangeSerializer,
)

FILTERS = [
    OpenApiParameter("ladderStep", OpenApiTypes.STR, description="Trede (1, 2a, 2b, 3, 4, 5, 6)."),
    OpenApiParameter("unit", OpenApiTypes.STR, description="Unit: care of work."),
    OpenApiParameter("track", OpenApiTypes.STR, description="Spoor: 1, 2 of 3."),
    OpenApiParameter("targetGroup", OpenApiTypes.STR, description="Doelgroepcode."),
    OpenApiParameter("municipality", OpenApiTypes.INT, description="Id van de gemeente."),
    OpenApiParameter("caseManager", OpenApiTypes.INT, description="Id van de klantmanager."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Naam of klantnummer."),
    OpenApiParameter("sort", OpenApiTypes.STR, description="naam, -naam, klantnummer, trede, ..."),
]


class BrpUnavailable(exceptions.APIException):
    """The BRP did not answer (not configured, timeout, outage): 503 as problem+json."""

    status_code = 503
    default_detail = "De BRP is niet bereikbaar."
    default_code = "brp_unavailable"


class ClientPagination(CachedCountPagination):
    """The total is counted once per filter set, not per page (issue 4: a COUNT over tens of
    thousands of visible clients on every page)."""

    counts_cache = CLIENT_COUNTS


class ClientViewSet(
    CallerQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Client],
):
    """Clients (klanten) the caller may see (R-SEC-1)."""

    serializer_class = ClientSerializer
    pagination_class = ClientPagination
    permission_classes = [HasOpstapPermission]
    required_perms = {
        "list": (Perm.CLIENT_VIEW,),
        "retrieve": (Perm.CLIENT_VIEW,),
        "search": (Perm.CLIENT_VIEW,),
        "brp_lookup": (Perm.BRP_LOOKUP,),
        "ladder_steps": (Perm.CLIENT_VIEW,),
        "create": (Perm.CLIENT_CHANGE,),
        "partial_update": (Perm.CLIENT_CHANGE,),
        "update": (Perm.CLIENT_CHANGE,),
        "ladder_step_change": (Perm.CLIENT_CHANGE,),
        "default": (Perm.CLIENT_CHANGE,),
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Client.objects.none()

    def caller_queryset(self) -> QuerySet[Client]:
        params = self.request.query_params
        filters = selectors.CaseloadFilters(
            ladder_step=params.get("ladderStep") or params.get("ladder_step") or "",
            unit=params.get("unit") or "",
            track=params.get("track") or "",
            target_group=params.get("targetGroup") or params.get("target_group") or "",
            municipality=int_param(params.get("municipality")),
            case_manager=int_param(params.get("caseManager") or params.get("case_manager")),
            text=params.get("q") or "",
            sort=params.get("sort") or "naam",
        )
        # The rows carry the municipality's and case manager's ids, not their rows: no join.
        return selectors.caseload_list(
            user=actor_of(self.request), filters=filters, on=timezone.localdate(), with_names=False
        )

    def get_serializer_class(self) -> Any:
        if self.action == "partial_update":
            return ClientUpdateSerializer
        return ClientSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["_derived_cache"] = {}
        context["income_coaches"] = getattr(self, "_coach_map", None)
        user: Actor = actor_of(self.request)
        if not getattr(self, "swagger_fake_view", False) and user.is_authenticated:
            context["derive"] = selectors.DerivedResolver(
                organisation_id=user.organisation_id, on=timezone.localdate()
            )
        return context

    def _client(self) -> Client:
        return get_object_for_user(
            self.request.user, Client.objects.all(), pk=self.kwargs.get("pk")
        )

    def _client_read(self, purpose: str) -> Client:
        """The client in the URL, its read recorded in the audit trail (R-SEC-2)."""
        client = self._client()
        services.client_read_audit(request=self.request, client=client, purpose=purpose)
        return client

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A read, as a page's GET (`permission_required`): the scope and the ladder mapping
        # (read by the scope and by the rows' derived unit and track) once per request.
        with request_memo():
            return self._list(request)

    def _list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        clients = list(page or [])
        # One query for the income coaches of the whole page (no N+1).
        self._coach_map = selectors.current_income_coach_ids(
            [c.pk for c in clients], on=timezone.localdate()
        )
        audit_records_for_request(
            request,
            action=AuditAction.LIST,
            object_type="client",
            items=[(c.pk, c.pk) for c in clients],
            purpose="Klantenlijst via API",
        )
        return self.get_paginated_response(self.get_serializer(clients, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self._client_read("Klant ophalen via API")
        return Response(self.get_serializer(client).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = actor_of(request)
        organisation_id_of(user)  # a user without an organisation gets a 403, not a 500
        assert user.organisation is not None
        municipality: Municipality = data.pop("municipality")
        client = services.client_create(
            actor=user,
            organisation=user.organisation,
            bsn=data.pop("bsn"),
            client_number=data.pop("client_number"),
            first_name=data.pop("first_name"),
            last_name=data.pop("last_name"),
            date_of_birth=data.pop("date_of_birth"),
            municipality=municipality,
            ladder_step=data.pop("ladder_step"),
            ladder_sub_status=data.pop("ladder_sub_status", ""),
            case_manager=data.pop("case_manager", None),
            **data,
        )
        return Response(self.get_serializer(client).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self._client()
        serializer = self.get_serializer(client, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        client = services.client_update(
            actor=actor_of(request), client=client, **serializer.validated_data
        )
        return Response(self.get_serializer(client).data)

    @extend_schema(request=BsnSearchSerializer, responses=ClientSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="_search", pagination_class=None)
    def search(self, request: Request) -> Response:
        """Search by BSN; the BSN travels in the body, never in the URL."""
        bsn = "".join(ch for ch in valid_body(BsnSearchSerializer, request)["bsn"] if ch.isdigit())
        clients = list(selectors.client_search_bsn(user=actor_of(request), bsn=bsn))
        audit_records_for_request(
            request,
            action=AuditAction.SEARCH,
            object_type="client",
            items=[(c.pk, c.pk) for c in clients],
            purpose="Zoeken op BSN via API",
        )
        return Response(self.get_serializer(clients, many=True).data)

    @extend_schema(
        request=BsnSearchSerializer,
        responses={200: BrpPersonSerializer},
        description=(
            "Look a person up in the BRP (Haal Centraal BRP bevragen, R-INT-3) to prefill a "
            "registration; nothing is saved. 404 when the BRP does not know the BSN, 503 "
            "(problem+json, Dutch detail) when the BRP is not configured, too slow or down."
        ),
    )
    @action(detail=False, methods=["post"], url_path="_brp-lookup")
    def brp_lookup(self, request: Request) -> Response:
        """Prefill from the BRP; the BSN travels in the body, never in the URL."""
        bsn = valid_body(BsnSearchSerializer, request)["bsn"]
        try:
            person = services.brp_lookup(actor=actor_of(request), bsn=bsn)
        except brp.BrpError as exc:
            raise BrpUnavailable(exc.message) from exc
        names: list[str] = list(BrpPersonSerializer().fields)
        data: dict[str, Any] = {name: getattr(person, name) for name in names}
        data["municipality_code"] = person.cbs_code
        return Response(BrpPersonSerializer(data).data)

    @extend_schema(responses=LadderStepChangeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="ladder-steps")
    def ladder_steps(self, request: Request, pk: str | None = None) -> Response:
        """The dated ladder history (R-LAD-1)."""
        client = self._client_read("Tredehistorie via API")
        history = selectors.client_ladder_history(client)
        return Response(LadderStepChangeSerializer(history, many=True).data)

    @extend_schema(request=LadderStepChangeSerializer, responses={201: LadderStepChangeSerializer})
    @ladder_steps.mapping.post
    def ladder_step_change(self, request: Request, pk: str | None = None) -> Response:
        """Change the ladder step with a reason (R-LAD-1)."""
        client = self._client()
        data = valid_body(LadderStepChangeSerializer, request)
        change = services.client_change_ladder_step(
            actor=actor_of(request),
            client=client,
            step=data["step"],
            sub_status=data.get("sub_status", ""),
            reason=data["reason"],
            effective_date=data.get("effective_date"),
        )
        return Response(LadderStepChangeSerializer(change).data, status=status.HTTP_201_CREATED)
