"""/api/v1/finance/…: compute a finance model from a posted body (`POST …/_compute`, nothing is
stored — an RPC-style action as the API Design Rules allow for operations that are not a
resource) and CRUD of saved scenarios; /api/v1/outflow-premiums: determine, pay, report."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.core.access import HasOpstapPermission, scoped
from opstap.core.actor import actor_of
from opstap.core.api.audited import AuditedReadMixin
from opstap.core.api.viewsets import CallerQuerysetMixin, valid_body
from opstap.core.roles import Perm
from opstap.finance import selectors, services
from opstap.finance.calculators import CALCULATORS, jsonable
from opstap.finance.models import OutflowPremium, Scenario
from opstap.finance.models_pure.errors import FinanceInputError

from .serializers import (
    ComputeResultSerializer,
    ComputeSerializer,
    OutflowPremiumSerializer,
    PayDueSerializer,
    PremiumReportSerializer,
    ScenarioSerializer,
)

PERMS = {
    "list": (Perm.FINANCE_VIEW,),
    "retrieve": (Perm.FINANCE_VIEW,),
    "compute_action": (Perm.FINANCE_VIEW,),
    "report": (Perm.FINANCE_VIEW,),
    "default": (Perm.FINANCE_VIEW, Perm.FINANCE_EDIT),
}


def _organisation(request: Request) -> Any:
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:
        raise ValidationError({"organisation": ["U hoort bij geen organisatie."]})
    return organisation


def _invalid(exc: FinanceInputError | services.FinanceError) -> ValidationError:
    return ValidationError({exc.field or "inputs": [exc.message]})


class ScenarioViewSetBase(
    CallerQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Scenario],
):
    kind = ""
    serializer_class = ScenarioSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = PERMS
    queryset = Scenario.objects.none()

    def compute(self, inputs: Any) -> Any:
        if not isinstance(inputs, dict):
            raise ValidationError({"inputs": ["Verwacht een object met de invoer van het model."]})
        extra: dict[str, Any] = {}
        if self.kind == "business_case":
            extra["mapping"] = selectors.social_value_mapping()
        try:
            result = CALCULATORS[self.kind].compute(inputs, **extra)
        except FinanceInputError as exc:
            raise _invalid(exc) from exc
        return jsonable(result)

    def caller_queryset(self) -> QuerySet[Scenario]:
        return selectors.scenarios_for(actor_of(self.request), kind=self.kind).order_by(
            "name", "id"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if self.action in ("retrieve", "create", "update", "partial_update"):
            context["compute"] = self.compute
        return context

    def perform_create(self, serializer: Any) -> None:
        try:
            serializer.instance = services.scenario_save(
                actor=actor_of(self.request),
                organisation=_organisation(self.request),
                kind=self.kind,
                name=serializer.validated_data["name"],
                description=serializer.validated_data.get("description", ""),
                inputs=serializer.validated_data["inputs"],
            )
        except services.FinanceError as exc:
            raise _invalid(exc) from exc

    def perform_update(self, serializer: Any) -> None:
        instance: Scenario = serializer.instance
        data = serializer.validated_data
        try:
            serializer.instance = services.scenario_save(
                actor=actor_of(self.request),
                organisation=_organisation(self.request),
                kind=self.kind,
                name=data.get("name", instance.name),
                description=data.get("description", instance.description),
                inputs=data.get("inputs", instance.inputs),
                scenario=instance,
            )
        except services.FinanceError as exc:
            raise _invalid(exc) from exc

    def perform_destroy(self, instance: Scenario) -> None:
        services.scenario_delete(actor=actor_of(self.request), scenario=instance)

    @extend_schema(request=ComputeSerializer, responses=ComputeResultSerializer)
    @action(detail=False, methods=["post"], url_path="_compute")
    def compute_action(self, request: Request) -> Response:
        """Compute the model for the posted inputs; nothing is stored."""
        data = valid_body(ComputeSerializer, request)
        return Response({"result": self.compute(data["inputs"])})


class CostSplitViewSet(ScenarioViewSetBase):
    """Cost-split key (verdeelsleutel, R-FIN-1): saved scenarios and `_compute`."""

    kind = "cost_split"


class BusinessCaseViewSet(ScenarioViewSetBase):
    """Business cases (R-FIN-2, R-INT-5): saved scenarios and `_compute`."""

    kind = "business_case"


class SafetyNetViewSet(ScenarioViewSetBase):
    """BUIG budget and safety net (R-FIN-3, R-FIN-4): saved scenarios and `_compute`."""

    kind = "safety_net"


class ForecastViewSet(ScenarioViewSetBase):
    """Caseload forecasts (R-FIN-5): saved scenarios and `_compute`."""

    kind = "forecast"


class OutflowPremiumViewSet(
    CallerQuerysetMixin,
    AuditedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[OutflowPremium],
):
    """Outflow premiums (uitstroompremie, R-PREM-1). POST determines eligibility from the
    client register and schedules both payments; `_pay-due` pays what is due; `_report`
    counts what was paid. Each premium read is audited (it concerns a client)."""

    serializer_class = OutflowPremiumSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {**PERMS, "pay_due": (Perm.FINANCE_VIEW, Perm.FINANCE_EDIT)}
    queryset = OutflowPremium.objects.none()
    audit_object_type = "outflow_premium"
    audit_list = True

    def caller_queryset(self) -> QuerySet[OutflowPremium]:
        return scoped(self.request.user, OutflowPremium.objects.all()).order_by(
            "-outflow_date", "id"
        )

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.outflow_premium_determine(
                actor=actor_of(self.request),
                organisation=_organisation(self.request),
                client_id=data["client_id"],
                outflow_kind=data["outflow_kind"],
                hours_per_week=data["hours_per_week"],
                outflow_date=data.get("outflow_date"),
                benefit_start=data.get("benefit_start"),
            )
        except services.FinanceError as exc:
            raise _invalid(exc) from exc

    @extend_schema(request=PayDueSerializer, responses=PremiumReportSerializer)
    @action(detail=False, methods=["post"], url_path="_pay-due")
    def pay_due(self, request: Request) -> Response:
        data = valid_body(PayDueSerializer, request)
        returned = dict(data.get("returned_to_benefit") or {})
        services.outflow_premium_pay_due(
            actor=actor_of(request),
            organisation=_organisation(request),
            on=data["on"],
            returned_to_benefit=returned,
        )
        return Response(
            PremiumReportSerializer(selectors.premium_report(actor_of(request))).data,
            status=status.HTTP_200_OK,
        )

    @extend_schema(responses=PremiumReportSerializer)
    @action(detail=False, methods=["get"], url_path="_report")
    def report(self, request: Request) -> Response:
        return Response(PremiumReportSerializer(selectors.premium_report(actor_of(request))).data)
