"""Shapes of POST /api/v1/deadlines/_compute (camelCase on the wire)."""

from __future__ import annotations

from rest_framework import serializers

from opstap.trajectories import deadlines as dl

KIND_CHOICES = [(rule.kind.value, rule.label_nl) for rule in dl.DEADLINE_RULES]


class DeadlineComputeSerializer(serializers.Serializer[dict[str, object]]):
    kind = serializers.ChoiceField(
        choices=KIND_CHOICES,
        help_text="Soort termijn: " + ", ".join(k for k, _ in KIND_CHOICES) + ".",
        error_messages={"invalid_choice": "'{input}' is geen bekende soort termijn."},
    )
    start_date = serializers.DateField(
        help_text="Datum van de gebeurtenis waarvan de termijn loopt (JJJJ-MM-DD): de "
        "aanmelding, de intake, het akkoord, de geplande einddatum, het einde of de ontvangst "
        "van de factuur.",
        error_messages={"invalid": "Geef een datum als JJJJ-MM-DD."},
    )


class SkippedDaySerializer(serializers.Serializer[dict[str, object]]):
    date = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=[k.value for k in dl.NonWorkingKind],
        help_text="weekend, holiday (Atw art. 3 lid 1-2) of equated (koninklijk besluit).",
    )
    name = serializers.CharField(help_text="Naam van de dag in het Nederlands.")


class EquatedDayUsedSerializer(serializers.Serializer[dict[str, object]]):
    date = serializers.DateField()
    description = serializers.CharField()
    decree = serializers.CharField(help_text="Het koninklijk besluit.")


class DeadlineComputeResultSerializer(serializers.Serializer[dict[str, object]]):
    kind = serializers.CharField()
    title = serializers.CharField(help_text="De termijn in het Nederlands.")
    rule = serializers.CharField(help_text="De regel (R-TRJ-3).")
    start_date = serializers.DateField()
    due_date = serializers.DateField(help_text="Uiterlijk op deze dag (die dag telt nog mee).")
    anchor = serializers.CharField(help_text="De gebeurtenis waarvan de termijn loopt.")
    amount = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=[u.value for u in dl.Unit])
    before = serializers.BooleanField(help_text="Waar als de termijn vóór de gebeurtenis ligt.")
    roll = serializers.ChoiceField(
        choices=[r.value for r in dl.Roll],
        help_text="Doorschuiven bij een niet-werkdag: forward, backward of none.",
    )
    skipped_days = SkippedDaySerializer(
        many=True,
        help_text="De niet-werkdagen tussen de gebeurtenis en de vervaldag (beide ingesloten).",
    )
    equated_days_applied = EquatedDayUsedSerializer(
        many=True, help_text="De gelijkgestelde dagen (koninklijk besluit) die meetelden."
    )
