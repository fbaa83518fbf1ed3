"""POST /api/v1/deadlines/_compute: the due date of one deadline kind (R-TRJ-3) for an anchor
date, and the calendar used. Stateless (nothing is stored, nothing personal is read) and the
same code the services use when they store a deadline: `selectors.deadline_compute`, which
reads the decree-equated days once (`selectors.equated_days()`) and calls
`deadlines.due_date`. A test proves the endpoint and a stored deadline agree."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opstap.core.access import HasOpstapPermission
from opstap.core.roles import Perm
from opstap.trajectories import deadlines as dl
from opstap.trajectories import selectors

from .deadline_serializers import DeadlineComputeResultSerializer, DeadlineComputeSerializer


class DeadlineComputeView(APIView):
    """Compute a deadline (R-TRJ-3) the way Opstap stores it: calendar days with Atw
    roll-over, or working days for the payment term; weekends, Atw holidays and days equated
    by royal decree are skipped. Nothing is stored."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.HOME_VIEW,)

    @extend_schema(
        operation_id="deadlines_compute",
        request=DeadlineComputeSerializer,
        responses=DeadlineComputeResultSerializer,
        examples=[
            OpenApiExample(
                "Intake na een aanmelding op 21 april 2026",
                value={"kind": "intake", "startDate": "2026-04-21"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = DeadlineComputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kind = dl.DeadlineKind(body.validated_data["kind"])
        try:
            result = selectors.deadline_compute(kind, body.validated_data["start_date"])
        except (ValueError, OverflowError) as exc:
            raise ValidationError({"startDate": [str(exc)]}) from exc
        return Response(DeadlineComputeResultSerializer(_shape(result)).data)


def _shape(result: selectors.DeadlineComputation) -> dict[str, Any]:
    rule = result.rule
    descriptions = {e.day: e for e in result.equated_applied}
    return {
        "kind": rule.kind.value,
        "title": rule.label_nl,
        "rule": rule.rule,
        "start_date": result.start,
        "due_date": result.due,
        "anchor": rule.anchor.value,
        "amount": rule.amount,
        "unit": rule.unit.value,
        "before": rule.before,
        "roll": rule.roll.value,
        "skipped_days": [
            {"date": d.day, "kind": d.kind.value, "name": d.name_nl} for d in result.skipped
        ],
        "equated_days_applied": [
            {
                "date": day,
                "description": descriptions[day].description,
                "decree": descriptions[day].decree,
            }
            for day in sorted(descriptions)
        ],
    }
