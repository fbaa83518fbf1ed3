"""Shapes of the finance API (no rules): scenarios with their JSON inputs, compute requests,
outflow premiums."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opstap.finance.models import (
    OUTFLOW_PREMIUM_DETERMINED,
    OUTFLOW_PREMIUM_FACTS,
    OutflowPremium,
    Scenario,
)


@extend_schema_field({"type": "object", "additionalProperties": True})
class JSONObjectField(serializers.JSONField):
    """The input of a finance model: a JSON object (anything else is a 400 naming the field,
    never a 500 in the model)."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError(
                "Verwacht een object met de invoer van het model.", code="invalid"
            )
        return value


#: Client ids in `returnedToBenefit` are database ids: digits within a bigint.
_CLIENT_ID = re.compile(r"[0-9]{1,18}")


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "format": "date"}}
)
class ClientDateMapField(serializers.DictField):
    """Client id → date; a key that is not a client id is a 400 naming the field."""

    child = serializers.DateField()

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        bad = [key for key in value if not _CLIENT_ID.fullmatch(str(key))]
        if bad:
            raise serializers.ValidationError(
                "Gebruik klant-id's (gehele getallen) als sleutel.", code="invalid"
            )
        return {int(key): day for key, day in value.items()}


class ScenarioSerializer(serializers.ModelSerializer[Scenario]):
    inputs = JSONObjectField(
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
    inputs = JSONObjectField(help_text="Invoer van het model; wordt niet opgeslagen.")


class ComputeResultSerializer(serializers.Serializer[Any]):
    result = serializers.JSONField(help_text="De uitkomst van het model.")


class OutflowPremiumSerializer(serializers.ModelSerializer[OutflowPremium]):
    class Meta:
        model = OutflowPremium
        fields = ["id", "client_id", *OUTFLOW_PREMIUM_FACTS, *OUTFLOW_PREMIUM_DETERMINED]
        read_only_fields = ["id", *OUTFLOW_PREMIUM_DETERMINED]
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
    returned_to_benefit = ClientDateMapField(
        required=False,
        help_text="Klant-id → datum waarop opnieuw een uitkering begon (vervalt 2e termijn).",
    )


class PremiumReportSerializer(serializers.Serializer[Any]):
    awarded = serializers.IntegerField()
    first_paid = serializers.IntegerField()
    second_paid = serializers.IntegerField()
    second_cancelled = serializers.IntegerField()
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
