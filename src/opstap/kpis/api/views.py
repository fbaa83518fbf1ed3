"""GET /api/v1/kpis: every KPI of the councils' assignment with target, realisation and
status (R-KPI), aggregates only (no personal data), for STEERING_VIEW."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opstap.core.access import HasOpstapPermission
from opstap.core.db_routing import ReportingAPIMixin
from opstap.core.roles import Perm
from opstap.kpis import report as kpi_report
from opstap.kpis import selectors
from opstap.kpis.db import without_jit
from opstap.kpis.formulas import DEFINITIONS, KpiKind, Status, status_of
from opstap.organisations.selectors import municipalities_for

from .serializers import KpiQuerySerializer, KpiReportSerializer


class KpiView(ReportingAPIMixin, APIView):
    """The steering KPIs of one year, optionally for one municipality, target group or unit."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.STEERING_VIEW,)

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Jaar (standaard: dit jaar)."),
            OpenApiParameter("municipality", int, description="Id van een gemeente."),
            OpenApiParameter(
                "targetGroup", str, description="Doelgroep, bijv. youth of disability."
            ),
            OpenApiParameter("unit", str, description="Unit: care of work."),
        ],
        responses=KpiReportSerializer,
        operation_id="kpis_retrieve",
    )
    def get(self, request: Request) -> Response:
        with without_jit():
            return self._get(request)

    def _get(self, request: Request) -> Response:
        org_id = getattr(request.user, "organisation_id", None)
        if org_id is None:
            raise ValidationError({"organisation": ["U hoort bij geen organisatie."]})
        params = request.query_params
        query = KpiQuerySerializer(
            data={
                k: v
                for k, v in {
                    "year": params.get("year"),
                    "municipality": params.get("municipality"),
                    "target_group": params.get("targetGroup"),
                    "unit": params.get("unit"),
                }.items()
                if v not in (None, "")
            }
        )
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = query.validated_data
        municipality = data.get("municipality")
        if (
            municipality is not None
            and not municipalities_for(org_id).filter(pk=municipality).exists()
        ):
            raise ValidationError({"municipality": ["Onbekende gemeente."]})
        filters = selectors.KpiFilters(
            year=data.get("year") or timezone.localdate().year,
            municipality=municipality,
            target_group=data.get("target_group", ""),
            unit=data.get("unit", ""),
        )
        ctx = selectors.kpi_context(organisation_id=org_id, filters=filters)
        if not ctx.begun:
            return Response(KpiReportSerializer(_not_begun_body(ctx)).data)
        threshold = selectors.small_number_threshold(request.user, ctx)

        def hidden(r: Any) -> bool:
            return kpi_report.result_is_hidden(r, threshold)

        body = {
            "year": filters.year,
            "measured_on": ctx.on,
            "elapsed_fraction": ctx.elapsed.quantize(Decimal("0.0001")),
            "municipality": filters.municipality,
            "target_group": filters.target_group,
            "unit": filters.unit,
            "kpis": [
                {
                    "code": r.code.value,
                    "rule": r.definition.rule,
                    "title": r.definition.title,
                    "kind": r.definition.kind.value,
                    "target": r.target,
                    "realised": None if hidden(r) else r.realised,
                    "expected": r.expected,
                    "status": r.status.value,
                    "status_label": r.status.label,
                    "numerator": None if hidden(r) else r.counts.numerator,
                    "denominator": None if hidden(r) else r.counts.denominator,
                    "suppressed_below": threshold if hidden(r) else None,
                }
                for r in selectors.kpi_results(ctx)
            ],
        }
        return Response(KpiReportSerializer(body).data)


def _not_begun_body(ctx: selectors.KpiContext) -> dict[str, Any]:
    """A year that has not begun (its targets are set ahead): every KPI with its target and
    no figures, as a period without data answers (realisation null: status no_data, or
    no_target for a KPI without a target, `formulas.status_of`). The
    reference day is today, before the year: 1 January would date a measurement in the
    future."""
    targets = selectors.targets_for(ctx.organisation_id, ctx.filters.year)
    return {
        "year": ctx.filters.year,
        "measured_on": ctx.today,
        "elapsed_fraction": Decimal("0.0000"),
        "municipality": ctx.filters.municipality,
        "target_group": ctx.filters.target_group,
        "unit": ctx.filters.unit,
        "kpis": [
            {
                "code": d.code.value,
                "rule": d.rule,
                "title": d.title,
                "kind": d.kind.value,
                "target": targets[d.code],
                "realised": None,
                "expected": None,
                "status": _status(d.kind, targets[d.code]).value,
                "status_label": _status(d.kind, targets[d.code]).label,
                "numerator": None,
                "denominator": None,
                "suppressed_below": None,
            }
            for d in DEFINITIONS
        ],
    }


def _status(kind: KpiKind, target: Decimal | None) -> Status:
    return status_of(kind, realised=None, target=target, elapsed=Decimal(0))
