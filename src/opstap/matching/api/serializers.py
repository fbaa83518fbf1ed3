"""Shapes of the matching API (no rules here: the services validate)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opstap.matching.models import (
    DEMAND_CHOICES,
    EDUCATION_CHOICES,
    EXIT_CHOICES,
    ContractType,
    Vacancy,
)
from opstap.matching.scoring import MatchResult


class VacancySerializer(serializers.ModelSerializer[Vacancy]):
    """A vacancy (vacature). `occupation` is the ISCO-08 code; `state` is read-only (open,
    filled, withdrawn)."""

    employer = serializers.IntegerField(source="employer_id", help_text="Id van de werkgever.")
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    occupation = serializers.CharField(
        source="occupation.code", max_length=4, help_text="ISCO-08-code (4 cijfers)."
    )
    occupation_title = serializers.CharField(source="occupation.title", read_only=True)
    required_skills = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=30
    )
    desired_skills = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=30
    )
    education = serializers.ChoiceField(choices=EDUCATION_CHOICES, required=False)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False)
    exit = serializers.ChoiceField(choices=EXIT_CHOICES, required=False)
    demands = serializers.ListField(
        child=serializers.ChoiceField(choices=DEMAND_CHOICES), required=False
    )
    hours_min = serializers.IntegerField(min_value=1, max_value=60)
    hours_max = serializers.IntegerField(min_value=1, max_value=60)
    contract_months = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    postcode = serializers.CharField(max_length=10)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer",
            "employer_name",
            "title",
            "occupation",
            "occupation_title",
            "description",
            "required_skills",
            "desired_skills",
            "education",
            "hours_min",
            "hours_max",
            "postcode",
            "contract_type",
            "contract_months",
            "start_date",
            "exit",
            "offers_lks",
            "requires_driving_licence",
            "demands",
            "state",
            "created_at",
        ]
        read_only_fields = ["id", "state", "created_at", "employer_name", "occupation_title"]


class CriterionSerializer(serializers.Serializer[Any]):
    criterion = serializers.CharField(help_text="Code van het criterium.")
    name = serializers.CharField(help_text="Naam van het criterium.")
    weight = serializers.IntegerField(help_text="Gewicht.")
    points = serializers.DecimalField(max_digits=5, decimal_places=1, help_text="Behaald.")
    matched = serializers.BooleanField(help_text="Past (minstens 75% van het gewicht).")
    explanation = serializers.CharField(help_text="Waarom, en met hoeveel.")


class MatchSerializer(serializers.Serializer[Any]):
    """One ranked match: the total and every criterion with its explanation."""

    rank = serializers.IntegerField()
    client = serializers.IntegerField(help_text="Id van de klant.")
    client_name = serializers.CharField(required=False)
    vacancy = serializers.IntegerField(help_text="Id van de vacature.")
    vacancy_title = serializers.CharField(required=False)
    employer_name = serializers.CharField(required=False)
    percentage = serializers.IntegerField(help_text="Score als percentage van het maximum.")
    points = serializers.DecimalField(max_digits=6, decimal_places=1)
    max_points = serializers.IntegerField()
    proposal_state = serializers.CharField(allow_null=True, help_text="Stand van de voordracht.")
    criteria = CriterionSerializer(many=True)


def match_data(
    rank: int, result: MatchResult, *, proposal: Any, extra: dict[str, Any]
) -> dict[str, Any]:
    return {
        "rank": rank,
        "client": result.client_id,
        "vacancy": result.vacancy_id,
        "percentage": result.percentage,
        "points": result.points,
        "max_points": result.max_points,
        "proposal_state": proposal.state if proposal is not None else None,
        "criteria": [
            {
                "criterion": c.criterion.value,
                "name": c.name,
                "weight": c.weight,
                "points": c.points,
                "matched": c.matched,
                "explanation": c.explanation,
            }
            for c in result.criteria
        ],
        **extra,
    }
