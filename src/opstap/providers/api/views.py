"""API of the provider network: /api/v1/providers, /products, /tiles, /product-change-proposals.
Provider systems (provider-staff tokens) see and propose only their own (R-SEC-1). Contract
managers (`providers.manage`) create and change products (R-NET-4) and add dated prices
(R-NET-6, R-NET-7) through the same services as the pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.core.access import HasOpstapPermission, get_object_for_user
from opstap.core.actor import Viewer, actor_of
from opstap.core.api.viewsets import CallerQuerysetMixin, valid_body, visible_or_invalid
from opstap.core.money import VatCode
from opstap.core.roles import Perm
from opstap.providers import selectors, services
from opstap.providers.models import Product, ProductChangeProposal, ProductPrice, Provider, Tile

from .serializers import (
    PriceCreateSerializer,
    PriceSerializer,
    ProductPatchSerializer,
    ProductSerializer,
    ProductWriteSerializer,
    ProposalSerializer,
    ProviderSerializer,
    TileSerializer,
)


class TileViewSet(CallerQuerysetMixin, viewsets.ReadOnlyModelViewSet[Tile]):
    """Tiles of the work landscape (EW02-EW09) and employer instruments (DW01-DW10), R-NET-1."""

    serializer_class = TileSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.HOME_VIEW,)
    lookup_field = "code"
    queryset = Tile.objects.none()

    def caller_queryset(self) -> QuerySet[Tile]:
        return selectors.tiles(on=timezone.localdate(), purchasable_only=False)


class ProviderViewSet(CallerQuerysetMixin, viewsets.ReadOnlyModelViewSet[Provider]):
    """Providers of the network (aanbieders); provider systems see only themselves."""

    serializer_class = ProviderSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.PROVIDER_VIEW,)
    queryset = Provider.objects.none()

    def caller_queryset(self) -> QuerySet[Provider]:
        return selectors.providers_for(actor_of(self.request))


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


class PriceConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Er is tegelijk een andere prijs met deze ingangsdatum vastgelegd."
    default_code = "conflict"


#: Service argument names that the API calls differently.
_API_FIELD = {"tile_codes": "tiles"}


def _provider_problem(exc: services.ProviderError) -> ValidationError:
    """A refused write as problem+json, on the field the service named (R-INT-1)."""
    field = _API_FIELD.get(exc.field or "", exc.field) or "nonFieldErrors"
    return ValidationError({field: [ErrorDetail(exc.message, code="invalid")]})


def _product_detail(user: Viewer, pk: int) -> Product:
    """One product the user may see (ended ones too), shaped like a row of the list."""
    return get_object_for_user(
        user,
        Product.objects.annotate(price_on=selectors.price_subquery(timezone.localdate()))
        .select_related("provider", "product_code")
        .prefetch_related(
            Prefetch("tiles", queryset=Tile.objects.order_by("kind", "number")),
            "locations",
            "target_groups",
            "ladder_steps",
        ),
        pk=pk,
    )


def _locations(data: list[dict[str, str]]) -> list[services.LocationInput]:
    return [services.LocationInput(city=loc["city"], address=loc["address"]) for loc in data]


PRODUCT_WRITE = (
    "Alleen voor contractmanagers (`providers.manage`) van de organisatie van de aanbieder; "
    "anderen krijgen 403, een product of aanbieder buiten uw organisatie 404 of een fout op "
    "het veld."
)


@extend_schema_view(list=extend_schema(parameters=GUIDE_PARAMETERS))
class ProductViewSet(
    CallerQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Product],
):
    """Products (the instrument guide, R-NET-5) with the price valid today; contract managers
    create and change them and add dated prices (R-NET-4, R-NET-6, R-NET-7)."""

    serializer_class = ProductSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {
        "default": (Perm.PROVIDER_VIEW,),
        "create": (Perm.PROVIDER_MANAGE,),
        "partial_update": (Perm.PROVIDER_MANAGE,),
        "prices_add": (Perm.PROVIDER_MANAGE,),
    }
    queryset = Product.objects.none()

    def caller_queryset(self) -> QuerySet[Product]:
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
        return selectors.guide_products(actor_of(self.request), query, on=timezone.localdate())

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One product by id, also when it is ended or its provider is not active (the list
        is the guide and shows only orderable ones); the `Location` of a created product."""
        return Response(ProductSerializer(_product_detail(request.user, self.kwargs["pk"])).data)

    @extend_schema(
        request=ProductWriteSerializer,
        responses={201: ProductSerializer},
        description="Leg een product vast voor een aanbieder (R-NET-4) met zijn eerste prijs "
        "(R-NET-6); een uurtarief voor jobcoaching of jobfinding boven het maximum dat op de "
        "ingangsdatum geldt wordt geweigerd (R-NET-7). " + PRODUCT_WRITE,
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A new product through `services.product_create` (R-NET-4, R-NET-7)."""
        data = valid_body(ProductWriteSerializer, request)
        provider = visible_or_invalid(
            request.user,
            Provider.objects.all(),
            data["provider"],
            field="provider",
            noun="Deze aanbieder",
        )
        try:
            product = services.product_create(
                actor=request.user,  # type: ignore[arg-type]
                provider=provider,
                name=data["name"],
                description=data.get("description", ""),
                product_code=data["product_code"],
                price_type=data["price_type"],
                service_kind=data.get("service_kind", "general"),
                price=data.get("price"),
                price_valid_from=data["price_valid_from"],
                nominal_duration_days=data["nominal_duration_days"],
                capacity=data.get("capacity"),
                required_certificate=data.get("required_certificate", ""),
                vat_code=data.get("vat_code", VatCode.HIGH),
                tile_codes=data["tiles"],
                target_groups=data.get("target_groups", []),
                ladder_steps=data.get("ladder_steps", []),
                locations=_locations(data["locations"]),
            )
        except services.ProviderError as exc:
            raise _provider_problem(exc) from exc
        location = request.build_absolute_uri(
            reverse("api:product-detail", kwargs={"pk": product.pk})
        )
        return Response(
            ProductSerializer(_product_detail(request.user, product.pk)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(
        request=ProductPatchSerializer,
        responses=ProductSerializer,
        description="Wijzig alleen de meegestuurde velden. Productcode, prijssoort, dienst en "
        "aanbieder liggen vast; een prijs wordt nooit overschreven maar krijgt een nieuwe "
        "geldigheid via POST /products/{id}/prices (R-NET-6). " + PRODUCT_WRITE,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change only the fields sent (R-NET-4) through `services.product_update`."""
        product = _product_detail(request.user, self.kwargs["pk"])
        body = ProductPatchSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        if "tiles" in changes:
            changes["tile_codes"] = changes.pop("tiles")
        if "locations" in changes:
            changes["locations"] = _locations(changes["locations"])
        if changes:  # an empty PATCH changes nothing and records nothing
            try:
                services.product_update(
                    actor=request.user,  # type: ignore[arg-type]
                    product=product,
                    changes=changes,
                )
            except services.ProviderError as exc:
                raise _provider_problem(exc) from exc
        return Response(ProductSerializer(_product_detail(request.user, product.pk)).data)

    @extend_schema(
        responses=PriceSerializer(many=True),
        description="De prijzen van het product met hun geldigheid, nieuwste eerst (R-NET-6).",
    )
    @action(detail=True, methods=["get"], url_path="prices")
    def prices(self, request: Request, pk: str | None = None) -> Response:
        """The dated prices of a product the caller may see (R-NET-6)."""
        product = _product_detail(request.user, self.kwargs["pk"])
        rows = ProductPrice.objects.filter(product=product).order_by("-valid_from")
        return Response(PriceSerializer(rows, many=True).data)

    @extend_schema(
        request=PriceCreateSerializer,
        responses={201: PriceSerializer},
        description="Voeg een prijs toe vanaf een ingangsdatum na die van de laatste prijs; de "
        "vorige prijs eindigt de dag ervoor en blijft bewaard (R-NET-6). Een uurtarief voor "
        "jobcoaching of jobfinding mag niet boven het maximum liggen dat op de ingangsdatum "
        "geldt (R-NET-7). " + PRODUCT_WRITE,
    )
    @prices.mapping.post
    def prices_add(self, request: Request, pk: str | None = None) -> Response:
        """A new dated price through `services.product_price_set` (R-NET-6, R-NET-7)."""
        product = _product_detail(request.user, self.kwargs["pk"])
        data = valid_body(PriceCreateSerializer, request)
        try:
            price = services.product_price_set(
                actor=request.user,  # type: ignore[arg-type]
                product=product,
                amount=data["amount"],
                valid_from=data["valid_from"],
            )
        except services.ProviderError as exc:
            raise _provider_problem(exc) from exc
        except IntegrityError as exc:  # the same start date written at the same moment
            raise PriceConflict() from exc
        return Response(PriceSerializer(price).data, status=status.HTTP_201_CREATED)


class ProductChangeProposalViewSet(
    CallerQuerysetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ProductChangeProposal],
):
    """Product change proposals: provider systems propose changes to their own products;
    the contract manager decides in the application."""

    serializer_class = ProposalSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {"list": (Perm.PROVIDER_VIEW,), "create": (Perm.PRODUCT_PROPOSE,)}
    queryset = ProductChangeProposal.objects.none()

    def caller_queryset(self) -> QuerySet[ProductChangeProposal]:
        return selectors.proposals_for(actor_of(self.request))

    @extend_schema(
        responses={
            201: ProposalSerializer,
            404: OpenApiResponse(
                description="Het product (productId) bestaat niet of u heeft er geen toegang toe."
            ),
        }
    )
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
