"""Shapes of the social return API (no rules): the monitor of R-NET-10 and block input."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opstap.social_return.models import BlockStatus

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class YearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="Kalenderjaar.")
    volume = serializers.DecimalField(
        **MONEY, help_text="Goedgekeurd volume excl. btw, na creditnota's."
    )
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Percentage.")
    threshold = serializers.DecimalField(**MONEY, help_text="Drempel.")
    obligation = serializers.DecimalField(**MONEY, help_text="Verplichting (0 onder de drempel).")
    closed = serializers.BooleanField(help_text="Jaar afgesloten: verplichting vastgesteld.")
    planned = serializers.DecimalField(**MONEY, help_text="Gepland in het goedgekeurde plan.")
    realised = serializers.DecimalField(**MONEY, help_text="Gerealiseerd (niet afgekeurd).")
    verified = serializers.DecimalField(**MONEY, help_text="Geverifieerd door de coördinator.")
    norm_to_date = serializers.DecimalField(
        **MONEY, help_text="Verplichting naar rato van het jaar."
    )
    behind = serializers.BooleanField(help_text="Gerealiseerd onder de norm naar rato.")


class OverviewSerializer(serializers.Serializer[Any]):
    provider_id = serializers.IntegerField()
    provider_name = serializers.CharField()
    plan_state = serializers.CharField(help_text="Stand van het laatste plan van aanpak.")
    year = YearSerializer(source="row")


class BlockSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    provider_id = serializers.IntegerField()
    person = serializers.CharField(
        help_text="Externe persoon, of een klant (afgeschermd buiten de eigen klantscope)."
    )
    client_linked = serializers.BooleanField(help_text="Gaat over een klant van de sociale dienst.")
    block_code = serializers.CharField()
    block_name = serializers.CharField()
    start_date = serializers.DateField()
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    contract_months = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(**MONEY)
    validity_months = serializers.IntegerField()
    per_year = serializers.DictField(
        child=serializers.DecimalField(**MONEY), help_text="Waarde per kalenderjaar (geldigheid)."
    )
    status = serializers.ChoiceField(choices=BlockStatus.choices)
    has_evidence = serializers.BooleanField()


class PlanSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    version = serializers.IntegerField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    remarks = serializers.CharField()


class MonitorSerializer(serializers.Serializer[Any]):
    provider_id = serializers.IntegerField()
    provider_name = serializers.CharField()
    awarded_on = serializers.DateField(allow_null=True)
    plan = PlanSerializer(allow_null=True)
    years = YearSerializer(many=True)
    blocks = BlockSerializer(many=True)


class BlockInputSerializer(serializers.Serializer[Any]):
    provider_id = serializers.IntegerField(
        required=False, help_text="Standaard de eigen aanbieder van de aanroeper."
    )
    block_code = serializers.CharField(max_length=40, help_text="Code uit /building-blocks.")
    start_date = serializers.DateField(required=False, help_text="Niet in de toekomst.")
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    contract_months = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    external_person = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Initialen en naam of kenmerk."
    )
    outcome_id = serializers.IntegerField(
        required=False,
        help_text="Een plaatsing van onze klant: start, uren, duur en klant komen daaruit.",
    )


class NormSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    value_6 = serializers.DecimalField(**MONEY, help_text="Normbedrag (bij 6 maanden).")
    validity_6_months = serializers.IntegerField()
    value_12 = serializers.DecimalField(**MONEY, allow_null=True)
    validity_12_months = serializers.IntegerField(allow_null=True)
    pro_rata_hours = serializers.BooleanField()
    must_combine = serializers.BooleanField()
    supports_youth = serializers.BooleanField()
