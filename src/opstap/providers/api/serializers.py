"""Shapes of the provider-network API (no rules here: the services decide)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from opstap.clients.models import LADDER_STEP_LABELS_NL, TARGET_GROUP_LABELS_NL
from opstap.core.money import VAT_CODE_LABELS_NL
from opstap.providers.models import (
    CertificateKind,
    PriceType,
    Product,
    ProductChangeProposal,
    ProductPrice,
    Provider,
    ServiceKind,
    Tile,
)

#: The largest id a client can send: bigger numbers cannot be a row (ids are 64-bit).
MAX_ID = 2**63 - 1


class TileSerializer(serializers.ModelSerializer[Tile]):
    class Meta:
        model = Tile
        fields = ["code", "kind", "number", "name", "purchasable", "valid_from", "valid_until"]


class ProviderSerializer(serializers.ModelSerializer[Provider]):
    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "status",
            "city",
            "kvk_number",
            "email",
            "website",
            "last_activity_on",
        ]


class LocationSerializer(serializers.Serializer[Any]):
    city = serializers.CharField(help_text="Plaats.")
    address = serializers.CharField(help_text="Adres.")
    municipality_id = serializers.IntegerField(allow_null=True, help_text="Gemeente-id.")


class ProductSerializer(serializers.ModelSerializer[Product]):
    provider_id = serializers.IntegerField(read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    product_code = serializers.IntegerField(source="product_code.code", read_only=True)
    tiles = serializers.SerializerMethodField(help_text="EVA/Dennis-codes van de tegels.")
    target_groups = serializers.SerializerMethodField(help_text="Doelgroepcodes.")
    ladder_steps = serializers.SerializerMethodField(help_text="Treden.")
    locations = LocationSerializer(many=True, read_only=True)
    price_today = serializers.DecimalField(
        source="price_on",
        max_digits=10,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Prijs of uurtarief geldig vandaag (excl. btw); leeg bij offerte.",
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "description",
            "provider_id",
            "provider_name",
            "product_code",
            "price_type",
            "service_kind",
            "price_today",
            "nominal_duration_days",
            "capacity",
            "required_certificate",
            "vat_code",
            "status",
            "tiles",
            "target_groups",
            "ladder_steps",
            "locations",
        ]

    def get_tiles(self, obj: Product) -> list[str]:
        return [t.code for t in obj.tiles.all()]

    def get_target_groups(self, obj: Product) -> list[str]:
        return [t.code for t in obj.target_groups.all()]

    def get_ladder_steps(self, obj: Product) -> list[str]:
        return [s.step for s in obj.ladder_steps.all()]


class ProposalSerializer(serializers.ModelSerializer[ProductChangeProposal]):
    product_id = serializers.IntegerField(help_text="Het product van de eigen aanbieder.")
    changes = serializers.DictField(
        help_text="name, description, nominalDurationDays, capacity, price, priceValidFrom."
    )

    class Meta:
        model = ProductChangeProposal
        fields = [
            "id",
            "product_id",
            "changes",
            "motivation",
            "status",
            "proposed_at",
            "decision_reason",
        ]
        read_only_fields = ["id", "status", "proposed_at", "decision_reason"]


class LocationInputSerializer(serializers.Serializer[Any]):
    city = serializers.CharField(max_length=100, help_text="Plaats van uitvoering.")
    address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Straat."
    )


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), **kwargs
    )


class ProductWriteSerializer(serializers.Serializer[Any]):
    """A product as the contract manager enters it (R-NET-4). For PATCH every field is
    optional and only the fields sent are changed; `provider`, `productCode`, `priceType`,
    `serviceKind`, `price` and `priceValidFrom` are fixed once the product exists (a new
    price is a new dated row: POST /products/{id}/prices, R-NET-6)."""

    provider = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id van de aanbieder (binnen uw organisatie)."
    )
    name = serializers.CharField(max_length=200, help_text="Naam van het product.")
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, help_text="Inhoud en doel."
    )
    product_code = serializers.ChoiceField(
        choices=[1, 2, 3, 4, 5], help_text="Productcode 1-5 (betaalregime, R-BILL-1)."
    )
    price_type = serializers.ChoiceField(
        choices=PriceType.choices, help_text="fixed, variable (offerte) of hourly."
    )
    service_kind = serializers.ChoiceField(
        choices=ServiceKind.choices,
        required=False,
        help_text="general, jobcoaching of jobfinding (die laatste twee: maximum uurtarief).",
    )
    price = _money(
        required=False,
        allow_null=True,
        help_text="Prijs of uurtarief excl. btw; leeg alleen bij een variabele prijs.",
    )
    price_valid_from = serializers.DateField(help_text="Ingangsdatum van de prijs.")
    nominal_duration_days = serializers.IntegerField(
        min_value=1, max_value=3650, help_text="Nominale duur in kalenderdagen."
    )
    capacity = serializers.IntegerField(
        min_value=1,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        help_text="Aantal plaatsen; leeg is onbeperkt.",
    )
    required_certificate = serializers.ChoiceField(
        choices=CertificateKind.choices,
        required=False,
        allow_blank=True,
        help_text="Vereiste certificering (R-NET-2); leeg als er geen nodig is.",
    )
    vat_code = serializers.ChoiceField(
        choices=[(code.value, label) for code, label in VAT_CODE_LABELS_NL.items()],
        required=False,
        help_text="Btw-tarief volgens het contract (R-BILL-11): exempt (vrijgesteld), low of "
        "high (standaard). De factuurcontrole verwacht deze btw.",
    )
    tiles = serializers.ListField(
        child=serializers.CharField(max_length=10),
        min_length=1,
        max_length=20,
        help_text="Tegelcodes, bijv. EW04.",
    )
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=list(TARGET_GROUP_LABELS_NL.items())),
        required=False,
        max_length=20,
        help_text="Doelgroepcodes.",
    )
    ladder_steps = serializers.ListField(
        child=serializers.ChoiceField(choices=list(LADDER_STEP_LABELS_NL.items())),
        required=False,
        max_length=10,
        help_text="Treden (1, 2a, 2b, 3, 4, 5, 6).",
    )
    locations = serializers.ListField(
        child=LocationInputSerializer(),
        min_length=1,
        max_length=50,
        help_text="Plaatsen van uitvoering (minstens één).",
    )


#: What PATCH may change; the rest is fixed once the product exists.
PATCHABLE = (
    "name",
    "description",
    "nominal_duration_days",
    "capacity",
    "required_certificate",
    "vat_code",
    "tiles",
    "target_groups",
    "ladder_steps",
    "locations",
)


#: Fields fixed once the product exists, with why (the answer to a PATCH that sends them).
FIXED: dict[str, str] = {
    "provider": "Een product blijft bij zijn aanbieder.",
    "product_code": "De productcode ligt vast (de betaalregels lezen hem); beëindig het "
    "product en leg een nieuw vast.",
    "price_type": "De prijssoort ligt vast; beëindig het product en leg een nieuw vast.",
    "service_kind": "De dienst ligt vast; beëindig het product en leg een nieuw vast.",
    "price": "Een prijs wordt nooit overschreven: voeg een nieuwe prijs met een "
    "ingangsdatum toe via POST /api/v1/products/{id}/prices.",
    "price_valid_from": "Een prijs wordt nooit overschreven: voeg een nieuwe prijs met een "
    "ingangsdatum toe via POST /api/v1/products/{id}/prices.",
}


class ProductPatchSerializer(ProductWriteSerializer):
    """PATCH /products/{id}: the fields of `ProductWriteSerializer` that may change; a fixed
    or unknown field is an error on that field, not silently ignored."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        return {name: field for name, field in fields.items() if name in PATCHABLE}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            errors = {
                key: [FIXED.get(key, "Onbekend veld.")] for key in data if key not in PATCHABLE
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class PriceSerializer(serializers.ModelSerializer[ProductPrice]):
    """A dated price of a product (R-NET-6); rows are never rewritten."""

    class Meta:
        model = ProductPrice
        fields = ["id", "amount", "valid_from", "valid_until", "source"]
        read_only_fields = fields


class PriceCreateSerializer(serializers.Serializer[Any]):
    amount = _money(help_text="Prijs of uurtarief excl. btw (R-NET-7: maximum uurtarief).")
    valid_from = serializers.DateField(
        help_text="Ingangsdatum; moet na de ingangsdatum van de laatste prijs liggen."
    )
