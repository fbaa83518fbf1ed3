"""Shapes of the finance API (no rules): scenarios with their JSON inputs, compute requests,
outflow premiums."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opstap.finance.models import OutflowPremium, Scenario


class ScenarioSerializer(serializers.ModelSerializer[Scenario]):
    inputs = serializers.JSONField(
        help_text="Invoer van het model (zie docs/finance.md); bedragen als tekst of getal."
    )
    result = serializers.SerializerMethodField(
        help_text="De uitkomst van het model voor deze invoer (alleen-lezen)."
    )

    class Meta:
        model = Scenario
        fields = ["id", "name", "description", "inputs", "result", "created_at", "updated_at"]
        read_only_fields = ["id", "result", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_result(self, obj: Scenario) -> Any:
        compute = self.context.get("compute")
        return compute(obj.inputs) if compute else None


class ComputeSerializer(serializers.Serializer[Any]):
    inputs = serializers.JSONField(help_text="Invoer van het model; wordt niet opgeslagen.")


class ComputeResultSerializer(serializers.Serializer[Any]):
    result = serializers.JSONField(help_text="De uitkomst van het model.")


class OutflowPremiumSerializer(serializers.ModelSerializer[OutflowPremium]):
    class Meta:
        model = OutflowPremium
        fields = [
            "id",
            "client_id",
            "benefit_start",
            "outflow_date",
            "outflow_kind",
            "hours_per_week",
            "status",
            "first_amount",
            "first_due",
            "first_paid_on",
            "second_amount",
            "second_due",
            "second_paid_on",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "first_amount",
            "first_due",
            "first_paid_on",
            "second_amount",
            "second_due",
            "second_paid_on",
            "created_at",
        ]
        extra_kwargs = {
            "benefit_start": {"required": False, "help_text": "Leeg = uit het klantregister."},
            "outflow_date": {
                "required": False,
                "help_text": "Leeg = einde uitkering in het klantregister.",
            },
            "client_id": {"validators": []},
        }


class PayDueSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="Betaal alle termijnen die op of voor deze datum vallen.")
    returned_to_benefit = serializers.DictField(
        child=serializers.DateField(),
        required=False,
        help_text="Klant-id → datum waarop opnieuw een uitkering begon (vervalt 2e termijn).",
    )


class PremiumReportSerializer(serializers.Serializer[Any]):
    awarded = serializers.IntegerField()
    first_paid = serializers.IntegerField()
    second_paid = serializers.IntegerField()
    second_cancelled = serializers.IntegerField()
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
