"""/api/v1/social-return/...: the social return monitor (R-NET-10) for providers (their own
only; another provider's id is a 404) and the coordinator, block registration by providers.
Refusals are problem+json naming the field (core.problems)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opstap.audit.models import AuditAction
from opstap.core.access import HasOpstapPermission
from opstap.core.actor import Actor, actor_of
from opstap.core.api.viewsets import valid_body
from opstap.core.errors import NotFoundError
from opstap.core.roles import Perm
from opstap.providers.selectors import provider_for_user, provider_id_of
from opstap.social_return import rules, selectors, services
from opstap.social_return.models import RealisedBlock

from .serializers import (
    BlockInputSerializer,
    BlockSerializer,
    MonitorSerializer,
    NormSerializer,
    OverviewSerializer,
)

YEAR = OpenApiParameter("year", int, description="Kalenderjaar; standaard dit jaar.")


def _year(request: Request, today: dt.date) -> int:
    value = request.query_params.get("year")
    if not value:
        return today.year
    try:
        year = int(value)
    except ValueError as exc:
        raise ValidationError({"year": ["Geef een jaartal."]}) from exc
    refusal = rules.year_refusal(year, today=today)
    if refusal:
        raise ValidationError({"year": [refusal]})
    return year


def _block_rows(
    user: Actor, blocks: list[RealisedBlock], spread: dict[int, dict[int, Any]] | None = None
) -> list[dict[str, Any]]:
    visible = selectors.visible_client_ids(user, [b.client_id for b in blocks if b.client_id])
    return [
        {
            "pk": b.pk,
            "provider_id": b.provider_id,
            "person": selectors.person_label(b, visible),
            "client_linked": b.client_id is not None,
            "block_code": b.block_code,
            "block_name": b.block_name,
            "start_date": b.start_date,
            "hours_per_week": b.hours_per_week,
            "contract_months": b.contract_months,
            "value": b.value,
            "validity_months": b.validity_months,
            "per_year": {str(y): v for y, v in _spread_of(b, spread).items()},
            "status": b.status,
            "has_evidence": bool(b.evidence),
        }
        for b in blocks
    ]


def _spread_of(block: RealisedBlock, spread: dict[int, dict[int, Any]] | None) -> dict[int, Any]:
    if spread is not None and block.pk in spread:
        return spread[block.pk]
    return block.as_rule_block().value.per_year()


class SocialReturnProvidersView(APIView):
    """Obligation, planned, realised and verified value per provider for one year."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.SOCIAL_RETURN_VIEW,)

    @extend_schema(
        parameters=[YEAR],
        responses=OverviewSerializer(many=True),
        operation_id="social_return_providers_list",
    )
    def get(self, request: Request) -> Response:
        user = actor_of(request)
        today = timezone.localdate()
        rows = selectors.overview(user=user, year=_year(request, today), on=today)
        return Response(OverviewSerializer(rows, many=True).data)


class SocialReturnMonitorView(APIView):
    """One provider's monitor: years with the validity spread, the plan, the blocks."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.SOCIAL_RETURN_VIEW,)

    @extend_schema(responses=MonitorSerializer, operation_id="social_return_providers_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        monitor, blocks = services.monitor_shown(
            request=request,
            user=user,
            provider_id=pk,
            on=timezone.localdate(),
            action=AuditAction.READ,
            purpose="social return-API",
        )
        provider = monitor.provider
        plan = monitor.plan
        data = {
            "provider_id": provider.pk,
            "provider_name": provider.name,
            "awarded_on": monitor.awarded_on,
            "plan": plan,
            "years": monitor.years,
            "blocks": _block_rows(user, blocks, monitor.spread),
        }
        return Response(MonitorSerializer(data).data)


class SocialReturnBlocksView(APIView):
    """GET: the realised blocks in scope (optionally of one provider). POST: provider staff
    register a block for their own provider (an external person, or a placement of our
    client by `outcomeId`, whose facts are taken from the record)."""

    permission_classes = [HasOpstapPermission]
    required_perms = {
        "get": (Perm.SOCIAL_RETURN_VIEW,),
        "post": (Perm.SOCIAL_RETURN_REPORT,),
    }

    @extend_schema(
        parameters=[OpenApiParameter("provider", int, description="Alleen deze aanbieder.")],
        responses=BlockSerializer(many=True),
        operation_id="social_return_blocks_list",
    )
    def get(self, request: Request) -> Response:
        user = actor_of(request)
        provider = request.query_params.get("provider")
        try:
            provider_id = int(provider) if provider else None
        except ValueError as exc:
            raise ValidationError({"provider": ["Geef een nummer."]}) from exc
        blocks = list(selectors.block_list(user=user, provider_id=provider_id)[:500])
        services.blocks_shown(request=request, blocks=blocks, purpose="social return-API")
        return Response(BlockSerializer(_block_rows(user, blocks), many=True).data)

    @extend_schema(
        request=BlockInputSerializer,
        responses={
            201: BlockSerializer,
            404: OpenApiResponse(
                description="De plaatsing (outcomeId) of aanbieder (providerId) bestaat niet "
                "of u heeft er geen toegang toe."
            ),
        },
        operation_id="social_return_blocks_create",
    )
    def post(self, request: Request) -> Response:
        user = actor_of(request)
        data = valid_body(BlockInputSerializer, request)
        today = timezone.localdate()
        if data.get("outcome_id"):
            outcome = (
                selectors.offered_placements(user=user, provider_id=provider_id_of(user) or 0)
                .filter(pk=data["outcome_id"])
                .first()
            )
            if outcome is None:
                raise NotFoundError("Deze plaatsing is niet gevonden.", field="outcome_id")
            block = services.block_register_from_placement(
                actor=user, outcome=outcome, block_code=data["block_code"], on=today
            )
        else:
            provider_id = data.get("provider_id") or provider_id_of(user)
            if provider_id is None:
                raise NotFoundError("Deze aanbieder is niet gevonden.", field="provider_id")
            provider = provider_for_user(user, provider_id)
            if "start_date" not in data:
                raise ValidationError({"start_date": ["Geef de startdatum."]})
            block = services.block_register(
                actor=user,
                provider=provider,
                block_code=data["block_code"],
                start_date=data["start_date"],
                hours_per_week=data.get("hours_per_week"),
                contract_months=data.get("contract_months"),
                external_person=data.get("external_person") or "",
                on=today,
            )
        return Response(
            BlockSerializer(_block_rows(user, [block])[0]).data, status=status.HTTP_201_CREATED
        )


class SocialReturnBuildingBlocksView(APIView):
    """The building-block table valid on a day (reference data of R-NET-10)."""

    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.SOCIAL_RETURN_VIEW,)

    @extend_schema(
        parameters=[OpenApiParameter("on", dt.date, description="Peildatum; standaard vandaag.")],
        responses=NormSerializer(many=True),
        operation_id="social_return_building_blocks_list",
    )
    def get(self, request: Request) -> Response:
        user = actor_of(request)
        value = request.query_params.get("on")
        try:
            day = dt.date.fromisoformat(value) if value else timezone.localdate()
        except ValueError as exc:
            raise ValidationError({"on": ["Geef een datum (JJJJ-MM-DD)."]}) from exc
        organisation_id = user.organisation_id
        if organisation_id is None:
            return Response([])
        norms = selectors.norms_on(organisation_id=organisation_id, day=day)
        rows = [{**vars(n), "kind": n.kind.value} for n in norms.blocks.values()]
        return Response(NormSerializer(rows, many=True).data)
