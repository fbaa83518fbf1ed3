from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opstap.providers.models import Product, ProductChangeProposal, Provider, Tile


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
