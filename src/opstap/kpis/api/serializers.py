"""Shapes of the KPI API (no rules): aggregates only, never personal data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from opstap.clients.models import TargetGroupCode, UnitCode
from opstap.kpis.forms import FIRST_YEAR


class KpiQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(
        required=False,
        help_text="Jaar (standaard: dit jaar), van 2021 tot en met volgend jaar.",
        error_messages={"invalid": "Geef een jaartal, bijvoorbeeld 2026."},
    )
    municipality = serializers.IntegerField(
        required=False, min_value=1, help_text="Id van een gemeente van de organisatie."
    )
    target_group = serializers.ChoiceField(
        required=False,
        choices=[g.value for g in TargetGroupCode],
        help_text="Alleen klanten van deze doelgroep.",
    )
    unit = serializers.ChoiceField(
        required=False, choices=[u.value for u in UnitCode], help_text="Alleen deze unit."
    )

    def validate_year(self, value: int) -> int:
        # The years the dashboard offers: 2099 answered zeros for every KPI, as if measured.
        last = timezone.localdate().year + 1
        if not FIRST_YEAR <= value <= last:
            raise serializers.ValidationError(f"Kies een jaar van {FIRST_YEAR} tot en met {last}.")
        return value


class KpiSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Vaste code van de KPI.")
    rule = serializers.CharField(help_text="Regel in de specificatie, bijv. R-KPI-1.")
    title = serializers.CharField(help_text="Naam van de KPI (Nederlands).")
    kind = serializers.ChoiceField(
        choices=["share", "count", "score", "growth"],
        help_text="share = percentage, count = aantal, score = rapportcijfer, growth = groei %.",
    )
    target = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="Doel in het jaar."
    )
    realised = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="Realisatie op de peildatum."
    )
    expected = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text="Voor aantallen en groei: het deel van het doel dat nu gehaald moet zijn.",
    )
    status = serializers.ChoiceField(
        choices=["met", "on_track", "behind", "no_data", "no_target"], help_text="Status."
    )
    status_label = serializers.CharField(help_text="Status in woorden (Nederlands).")
    numerator = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Teller (aantal klanten of respondenten); null als het aantal is afgeschermd "
            "(zie suppressedBelow)."
        ),
    )
    denominator = serializers.IntegerField(
        allow_null=True, help_text="Noemer (populatie), of eind vorig jaar bij groei."
    )
    suppressed_below = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Gezet (bijv. 5) als teller, noemer en realisatie zijn afgeschermd omdat een aantal "
            "van 1 tot deze drempel naar een persoon kan wijzen en de aanroeper geen toegang "
            "heeft tot alle klanten erachter; de pagina's tonen dan '< 5'. Anders null."
        ),
    )


class KpiReportSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="Jaar.")
    measured_on = serializers.DateField(help_text="Peildatum: vandaag of 31 december.")
    elapsed_fraction = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="Verstreken deel van het jaar (0-1)."
    )
    municipality = serializers.IntegerField(allow_null=True, help_text="Gefilterde gemeente.")
    target_group = serializers.CharField(allow_blank=True, help_text="Gefilterde doelgroep.")
    unit = serializers.CharField(allow_blank=True, help_text="Gefilterde unit.")
    kpis = KpiSerializer(many=True, help_text="Elke KPI met doel, realisatie en status.")
