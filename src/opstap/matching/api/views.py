"""/api/v1/vacancies (list, retrieve, create, partial update), /api/v1/vacancies/{id}/matches
(ranked candidates among the clients the caller may see) and /api/v1/clients/{id}/matches
(ranked open vacancies for one client). Match lists are audited as reads of those clients,
as the dossier is (R-SEC-2)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_records_for_request
from opstap.clients.models import Client
from opstap.core.access import HasOpstapPermission, get_object_for_user, scoped
from opstap.core.actor import actor_of
from opstap.core.roles import Perm
from opstap.matching import selectors, services
from opstap.matching.models import Employer, Vacancy

from .serializers import MatchSerializer, VacancySerializer, match_data

LIMIT = OpenApiParameter("limit", OpenApiTypes.INT, description="Aantal (1-50, standaard 20).")


def _limit(request: Request) -> int:
    try:
        return max(1, min(50, int(request.query_params.get("limit", 20))))
    except ValueError:
        return 20


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out.pop("employer_id", None)
    if "occupation" in out:
        out["occupation"] = out["occupation"]["code"]
    return out


class VacancyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Vacancy],
):
    """Vacancies (vacatures) of the organisation."""

    serializer_class = VacancySerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {
        "list": (Perm.VACANCY_VIEW,),
        "retrieve": (Perm.VACANCY_VIEW,),
        "matches": (Perm.VACANCY_VIEW, Perm.MATCH_PROPOSE),
        "create": (Perm.VACANCY_MANAGE,),
        "partial_update": (Perm.VACANCY_MANAGE,),
        "default": (Perm.VACANCY_MANAGE,),
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Vacancy.objects.none()

    def get_queryset(self) -> QuerySet[Vacancy]:
        qs = selectors.vacancies_for(actor_of(self.request)).order_by("-created_at", "-id")
        state = self.request.query_params.get("state", "")
        return qs.filter(state=state) if state else qs

    @extend_schema(
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, description="open, filled, …")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        employer = get_object_for_user(
            actor_of(request), Employer.objects.all(), pk=data.pop("employer_id")
        )
        vacancy = services.vacancy_create(
            actor=actor_of(request), employer=employer, source="api", **_fields(data)
        )
        return Response(self.get_serializer(vacancy).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        vacancy = self.get_object()
        serializer = self.get_serializer(vacancy, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = _fields(dict(serializer.validated_data))
        vacancy = services.vacancy_update(actor=actor_of(request), vacancy=vacancy, **data)
        return Response(self.get_serializer(vacancy).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(parameters=[LIMIT], responses=MatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, pk: str | None = None) -> Response:
        """The best candidates among the clients the caller may see, each explained."""
        vacancy = self.get_object()
        matches = selectors.candidates_for_vacancy(
            user=actor_of(request), vacancy=vacancy, limit=_limit(request)
        )
        if matches:
            audit_records_for_request(
                request._request,
                action=AuditAction.LIST,
                object_type="client",
                items=[(m.client.pk, m.client.pk) for m in matches],
                purpose="Kandidaten voor een vacature (API)",
            )
        data = [
            match_data(
                i,
                m.result,
                proposal=m.proposal,
                extra={"client_name": m.client.full_name},
            )
            for i, m in enumerate(matches, start=1)
        ]
        return Response(MatchSerializer(data, many=True).data)


class ClientMatchesView(GenericAPIView[Client]):
    """The best open vacancies for one client (the client must be in the caller's scope;
    otherwise 404, and the denied read is audited)."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.MATCH_PROPOSE, Perm.VACANCY_VIEW)
    serializer_class = MatchSerializer
    pagination_class = None
    queryset = Client.objects.none()

    @extend_schema(parameters=[LIMIT], responses=MatchSerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = actor_of(request)
        client = get_object_for_user(user, scoped(user, Client.objects.all()), pk=kwargs["id"])
        audit_log(
            action=AuditAction.READ,
            request=request._request,
            object_type="client",
            object_id=client.pk,
            client_id=client.pk,
            purpose="Passend werk bekijken (API)",
        )
        matches = selectors.vacancies_for_client(user=user, client=client, limit=_limit(request))
        data = [
            match_data(
                i,
                m.result,
                proposal=m.proposal,
                extra={"vacancy_title": m.vacancy.title, "employer_name": m.vacancy.employer.name},
            )
            for i, m in enumerate(matches, start=1)
        ]
        return Response(MatchSerializer(data, many=True).data)
