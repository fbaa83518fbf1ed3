"""/api/v1/providers/{id}/indicators and /api/v1/provider-indicators: the performance
indicators of providers (R-PI-1) for a period, with the same access as the pages: whoever may
see the provider; provider systems only their own (another provider's id is a 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opstap.core.access import HasOpstapPermission
from opstap.core.actor import actor_of
from opstap.core.db_routing import ReportingAPIMixin
from opstap.core.roles import Perm
from opstap.indicators import selectors
from opstap.indicators.computation import Period, PeriodError
from opstap.providers.selectors import provider_for_user

from .serializers import ProviderIndicatorsSerializer

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "from", dt.date, description="Eerste dag (JJJJ-MM-DD); standaard 12 maanden terug."
    ),
    OpenApiParameter("to", dt.date, description="Laatste dag (inclusief); standaard vandaag."),
]


def _date(params: Any, name: str) -> dt.date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({name: [f"'{value}' is geen datum (JJJJ-MM-DD)."]}) from exc


def _period(request: Request, today: dt.date) -> Period:
    default = Period.last_twelve_months(today)
    start = _date(request.query_params, "from") or default.start
    end = _date(request.query_params, "to") or default.end
    try:
        return Period(start, end)
    except PeriodError as exc:
        raise ValidationError({exc.field or "from": [exc.message]}) from exc


def _shape(row: selectors.Row, period: Period, products: list[selectors.Row] | None) -> Any:
    data: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "period": {"start": period.start, "end": period.end},
        "results": row.results,
    }
    if products is not None:
        data["products"] = [
            {
                "id": p.id,
                "name": p.name,
                "results": [r for r in p.results if r.status != "not_applicable"],
            }
            for p in products
        ]
    return data


class ProviderIndicatorsView(ReportingAPIMixin, APIView):
    """The indicators of one provider and of each of its products for a period."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.PROVIDER_VIEW,)

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=ProviderIndicatorsSerializer,
        operation_id="providers_indicators_retrieve",
    )
    def get(self, request: Request, pk: int) -> Response:
        provider = provider_for_user(actor_of(request), pk)
        today = timezone.localdate()
        period = _period(request, today)
        row = selectors.provider_indicators(actor_of(request), provider, period=period, today=today)
        products = selectors.product_rows(actor_of(request), provider, period=period, today=today)
        return Response(ProviderIndicatorsSerializer(_shape(row, period, products)).data)


class ProviderIndicatorsListView(ReportingAPIMixin, APIView):
    """The indicators of every provider the caller may see, for a period (no products)."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.PROVIDER_VIEW,)

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=ProviderIndicatorsSerializer(many=True),
        operation_id="provider_indicators_list",
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        period = _period(request, today)
        comparison = selectors.provider_comparison(actor_of(request), period=period, today=today)
        data = [_shape(row, period, None) for row in comparison.rows]
        return Response(ProviderIndicatorsSerializer(data, many=True).data)
