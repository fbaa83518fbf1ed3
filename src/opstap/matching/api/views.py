"""/api/v1/vacancies (list, retrieve, create, partial update), /api/v1/vacancies/{id}/matches
(ranked candidates among the clients the caller may see), /api/v1/clients/{id}/matches
(ranked open vacancies for one client), /api/v1/employers (list, retrieve, create) and
/api/v1/proposals (list, retrieve, create; introduction, its outcome, the placement). Match
lists and proposals are audited as reads of those clients, as the dossier is (R-SEC-2)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_records_for_request
from opstap.clients.models import Client
from opstap.clients.services import client_read_audit
from opstap.core.access import HasOpstapPermission, get_object_for_user, scoped
from opstap.core.actor import actor_of
from opstap.core.api.viewsets import valid_body
from opstap.core.roles import Perm
from opstap.matching import selectors, services
from opstap.matching.models import Employer, Proposal, Vacancy
from opstap.providers.models import Provider

from .serializers import (
    EmployerSerializer,
    IntroductionOutcomeSerializer,
    IntroductionPlanSerializer,
    MatchSerializer,
    PlacementSerializer,
    VacancyProposalSerializer,
    VacancySerializer,
    match_data,
)

MAX_ID = 2**63 - 1
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

    @extend_schema(
        responses={
            201: VacancySerializer,
            404: OpenApiResponse(
                description="De werkgever (employer) bestaat niet of u heeft er geen toegang toe."
            ),
        }
    )
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
        client_read_audit(
            request=request._request, client=client, purpose="Passend werk bekijken (API)"
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


class EmployerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Employer],
):
    """Employers (werkgevers) of the WSP, with their number of open vacancies."""

    serializer_class = EmployerSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {
        "list": (Perm.VACANCY_VIEW,),
        "retrieve": (Perm.VACANCY_VIEW,),
        "create": (Perm.VACANCY_MANAGE,),
        "default": (Perm.VACANCY_MANAGE,),
    }
    http_method_names = ["get", "post", "head", "options"]
    queryset = Employer.objects.none()

    def get_queryset(self) -> QuerySet[Employer]:
        return selectors.employers_for(actor_of(self.request)).order_by("name", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employer = services.employer_create(actor=actor_of(request), **serializer.validated_data)
        employer = self.get_queryset().get(pk=employer.pk)
        return Response(self.get_serializer(employer).data, status=status.HTTP_201_CREATED)


class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Proposal],
):
    """Proposals (voordrachten) of clients the caller may see: proposal → introduction →
    placement (R-MAT), each step through the services (validated, audited, notified).
    Reading a proposal is a read of that client and is audited."""

    serializer_class = VacancyProposalSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {
        "list": (Perm.MATCH_PROPOSE,),
        "retrieve": (Perm.MATCH_PROPOSE,),
        "default": (Perm.MATCH_PROPOSE,),
    }
    http_method_names = ["get", "post", "head", "options"]
    queryset = Proposal.objects.none()

    def get_queryset(self) -> QuerySet[Proposal]:
        qs = (
            scoped(actor_of(self.request), Proposal.objects.all())
            .select_related("vacancy", "client")
            .order_by("-proposed_at", "-id")
        )
        for param in ("vacancy", "client"):
            value = self.request.query_params.get(param, "")
            if not value:
                continue
            if not value.isdigit() or int(value) > MAX_ID:
                return qs.none()  # no such vacancy or client (never a 5xx)
            qs = qs.filter(**{f"{param}_id": int(value)})
        return qs

    def _audit(self, request: Request, proposals: list[Proposal], purpose: str) -> None:
        if proposals:
            audit_records_for_request(
                request._request,
                action=AuditAction.LIST if len(proposals) > 1 else AuditAction.READ,
                object_type="proposal",
                items=[(p.pk, p.client_id) for p in proposals],
                purpose=purpose,
            )

    @extend_schema(
        parameters=[
            OpenApiParameter("vacancy", OpenApiTypes.INT, description="Alleen deze vacature."),
            OpenApiParameter("client", OpenApiTypes.INT, description="Alleen deze klant."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page if page is not None else self.get_queryset())
        self._audit(request, rows, "Voordrachten bekijken (API)")
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        self._audit(request, [proposal], "Voordracht bekijken (API)")
        return Response(self.get_serializer(proposal).data)

    @extend_schema(
        responses={
            201: VacancyProposalSerializer,
            404: OpenApiResponse(
                description="De vacature (vacancy) of klant (client) bestaat niet of u heeft "
                "er geen toegang toe."
            ),
        }
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = actor_of(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        vacancy = get_object_for_user(user, Vacancy.objects.all(), pk=data["vacancy_id"])
        client = get_object_for_user(user, Client.objects.all(), pk=data["client_id"])
        proposal = services.proposal_create(
            actor=user, vacancy=vacancy, client=client, note=data.get("note", "")
        )
        return Response(self.get_serializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IntroductionPlanSerializer, responses=VacancyProposalSerializer)
    @action(detail=True, methods=["post"])
    def introduction(self, request: Request, pk: str | None = None) -> Response:
        """Plan the introduction (kennismaking) with the employer."""
        data = valid_body(IntroductionPlanSerializer, request)
        proposal = services.proposal_introduction_plan(
            actor=actor_of(request), proposal=self.get_object(), on=data["on"]
        )
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=IntroductionOutcomeSerializer, responses=VacancyProposalSerializer)
    @action(detail=True, methods=["post"], url_path="introduction-outcome")
    def introduction_outcome(self, request: Request, pk: str | None = None) -> Response:
        """Record the outcome of the introduction: positive (on to a placement) or not."""
        data = valid_body(IntroductionOutcomeSerializer, request)
        proposal = services.proposal_introduction_record(
            actor=actor_of(request), proposal=self.get_object(), **data
        )
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=PlacementSerializer, responses={201: PlacementSerializer})
    @action(detail=True, methods=["post"])
    def placement(self, request: Request, pk: str | None = None) -> Response:
        """Record the placement (R-MAT → R-TRJ-7): via the WSP, or via a provider (then also
        the outcome of the client's trajectory there)."""
        proposal = self.get_object()
        data = valid_body(PlacementSerializer, request)
        provider_id = data.pop("provider_id", None)
        provider = (
            Provider.objects.filter(
                organisation_id=proposal.organisation_id, pk=provider_id
            ).first()
            if provider_id
            else None
        )
        if provider_id and provider is None:
            raise NotFound()
        placement = services.placement_record(
            actor=actor_of(request), proposal=proposal, provider=provider, **data
        )
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)
