"""API of the provider network: /api/v1/providers, /products, /tiles, /product-change-proposals.
Provider systems (provider-staff tokens) see and propose only their own (R-SEC-1)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.core.access import HasOpstapPermission, get_object_for_user
from opstap.core.roles import Perm
from opstap.providers import selectors, services
from opstap.providers.models import Product, ProductChangeProposal, Provider, Tile

from .serializers import ProductSerializer, ProposalSerializer, ProviderSerializer, TileSerializer


class TileViewSet(viewsets.ReadOnlyModelViewSet[Tile]):
    """Tiles of the work landscape (EW02-EW09) and employer instruments (DW01-DW10), R-NET-1."""

    serializer_class = TileSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.HOME_VIEW,)
    lookup_field = "code"
    queryset = Tile.objects.none()

    def get_queryset(self) -> QuerySet[Tile]:
        if getattr(self, "swagger_fake_view", False):
            return Tile.objects.none()
        return selectors.tiles(on=timezone.localdate(), purchasable_only=False)


class ProviderViewSet(viewsets.ReadOnlyModelViewSet[Provider]):
    """Providers of the network (aanbieders); provider systems see only themselves."""

    serializer_class = ProviderSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.PROVIDER_VIEW,)
    queryset = Provider.objects.none()

    def get_queryset(self) -> QuerySet[Provider]:
        if getattr(self, "swagger_fake_view", False):
            return Provider.objects.none()
        return selectors.providers_for(self.request.user)


GUIDE_PARAMETERS = [
    OpenApiParameter("q", str, description="Vrije tekst."),
    OpenApiParameter("tile", str, description="Tegelcode, bijv. EW07."),
    OpenApiParameter("targetGroup", str, description="Doelgroepcode."),
    OpenApiParameter("ladderStep", str, description="Trede (1, 2a, 2b, 3, 4, 5, 6)."),
    OpenApiParameter("municipality", int, description="Gemeente-id van een locatie."),
    OpenApiParameter("provider", int, description="Aanbieder-id."),
    OpenApiParameter("maxPrice", str, description="Maximale prijs vandaag (EUR)."),
    OpenApiParameter("maxDurationDays", int, description="Maximale nominale duur in dagen."),
]


def _int(params: Any, name: str) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ValidationError({name: f"'{value}' is geen geheel getal."}) from exc


@extend_schema_view(list=extend_schema(parameters=GUIDE_PARAMETERS))
class ProductViewSet(viewsets.ReadOnlyModelViewSet[Product]):
    """Products (the instrument guide, R-NET-5) with the price valid today."""

    serializer_class = ProductSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.PROVIDER_VIEW,)
    queryset = Product.objects.none()

    def get_queryset(self) -> QuerySet[Product]:
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        params = self.request.query_params
        max_price = params.get("maxPrice")
        try:
            price = Decimal(max_price) if max_price else None
        except InvalidOperation as exc:
            raise ValidationError({"maxPrice": f"'{max_price}' is geen bedrag."}) from exc
        query = selectors.GuideQuery(
            text=params.get("q", ""),
            tile=params.get("tile", ""),
            target_group=params.get("targetGroup", ""),
            ladder_step=params.get("ladderStep", ""),
            municipality_id=_int(params, "municipality"),
            provider_id=_int(params, "provider"),
            max_price=price,
            max_duration_days=_int(params, "maxDurationDays"),
        )
        return selectors.guide_products(self.request.user, query, on=timezone.localdate())


class ProductChangeProposalViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[ProductChangeProposal]
):
    """Product change proposals: provider systems propose changes to their own products;
    the contract manager decides in the application."""

    serializer_class = ProposalSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {"list": (Perm.PROVIDER_VIEW,), "create": (Perm.PRODUCT_PROPOSE,)}
    queryset = ProductChangeProposal.objects.none()

    def get_queryset(self) -> QuerySet[ProductChangeProposal]:
        if getattr(self, "swagger_fake_view", False):
            return ProductChangeProposal.objects.none()
        return selectors.proposals_for(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = get_object_for_user(
            request.user,
            Product.objects.select_related("provider"),
            pk=serializer.validated_data["product_id"],
        )
        try:
            proposal = services.product_change_propose(
                actor=request.user,  # type: ignore[arg-type]
                product=product,
                changes=serializer.validated_data["changes"],
                motivation=serializer.validated_data.get("motivation", ""),
            )
        except services.ProviderError as exc:
            raise ValidationError({"changes": str(exc)}) from exc
        return Response(self.get_serializer(proposal).data, status=status.HTTP_201_CREATED)
