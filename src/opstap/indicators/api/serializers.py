"""Shapes of the indicators API (no rules): the computed indicators of R-PI-1."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class IndicatorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Vaste code, bijv. plan_signed, within_term, work.")
    name = serializers.CharField(source="label", help_text="Naam van de indicator (Nederlands).")
    kind = serializers.ChoiceField(
        choices=["share", "money", "score"],
        help_text="share = percentage, money = euro, score = rapportcijfer.",
    )
    numerator = serializers.IntegerField(
        allow_null=True, help_text="Teller (leeg: n.v.t. of niet getoond)."
    )
    denominator = serializers.IntegerField(
        allow_null=True, help_text="Noemer (leeg: n.v.t. of niet getoond)."
    )
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Percentage, bedrag of cijfer; leeg = geen gegevens (nooit 0 of 100).",
    )
    target = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="Norm in procenten, of leeg."
    )
    status = serializers.ChoiceField(
        choices=["met", "not_met", "no_target", "no_data", "not_applicable", "suppressed"],
        help_text="Norm gehaald, niet gehaald, geen norm, geen gegevens, alleen per aanbieder, "
        "of niet getoond omdat het om minder dan suppressedBelow klanten gaat.",
    )
    suppressed_below = serializers.IntegerField(
        allow_null=True,
        help_text="Bij status suppressed: de drempel (bijv. 5); teller, noemer en waarde zijn "
        "dan leeg (kleine aantallen, R-SEC-1). Anders leeg.",
    )
    display = serializers.CharField(help_text="De waarde als Nederlandse tekst.")
    explanation = serializers.CharField(help_text="Hoe de indicator wordt berekend.")


class ProductIndicatorsSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    indicators = IndicatorSerializer(many=True, source="results")


class PeriodSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(help_text="Eerste dag van de periode.")
    end = serializers.DateField(help_text="Laatste dag van de periode (inclusief).")


class ProviderIndicatorsSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="Aanbieder-id.")
    name = serializers.CharField(help_text="Naam van de aanbieder.")
    period = PeriodSerializer()
    indicators = IndicatorSerializer(many=True, source="results")
    products = ProductIndicatorsSerializer(many=True, required=False)
