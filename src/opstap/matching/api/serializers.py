"""Shapes of the matching API (no rules here: the services validate)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opstap.matching.models import (
    DEMAND_CHOICES,
    EDUCATION_CHOICES,
    EXIT_CHOICES,
    ContractType,
    Employer,
    PlacementVia,
    Proposal,
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


class EmployerSerializer(serializers.ModelSerializer[Employer]):
    """An employer (werkgever) of the WSP: KvK number (8 digits, validated by the service),
    name and whether it offers garantiebanen or beschut werk."""

    kvk_number = serializers.CharField(max_length=20, help_text="KvK-nummer (8 cijfers).")
    open_vacancies = serializers.IntegerField(read_only=True, help_text="Open vacatures.")

    class Meta:
        model = Employer
        fields = [
            "id",
            "kvk_number",
            "name",
            "offers_garantiebanen",
            "offers_beschut_werk",
            "open_vacancies",
            "created_at",
        ]
        read_only_fields = ["id", "open_vacancies", "created_at"]


class VacancyProposalSerializer(serializers.ModelSerializer[Proposal]):
    """A proposal (voordracht) of a client for a vacancy: proposed → introduction planned →
    positive → placed (or not suitable / withdrawn). The score and explanation are those at
    the moment of proposing."""

    vacancy = serializers.IntegerField(source="vacancy_id", help_text="Id van de vacature.")
    client = serializers.IntegerField(source="client_id", help_text="Id van de klant.")
    state = serializers.CharField(read_only=True, help_text="Stand van de voordracht.")
    state_label = serializers.CharField(read_only=True)
    score = serializers.IntegerField(read_only=True, help_text="Matchscore (%) bij voordragen.")
    explanation = serializers.JSONField(read_only=True, help_text="De criteria bij voordragen.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    introduction_on = serializers.DateField(read_only=True, allow_null=True)
    introduction_outcome = serializers.CharField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "vacancy",
            "client",
            "state",
            "state_label",
            "score",
            "explanation",
            "note",
            "proposed_at",
            "introduction_on",
            "introduction_outcome",
        ]
        read_only_fields = ["id", "proposed_at"]


class IntroductionPlanSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="Datum van de kennismaking.")


class IntroductionOutcomeSerializer(serializers.Serializer[Any]):
    positive = serializers.BooleanField(help_text="Positief (door naar plaatsing) of niet.")
    outcome = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PlacementSerializer(serializers.Serializer[Any]):
    """The placement from a positive proposal (R-MAT → R-TRJ-7)."""

    id = serializers.IntegerField(read_only=True)
    start_date = serializers.DateField(help_text="Eerste werkdag.")
    hours_per_week = serializers.IntegerField(min_value=1, max_value=60)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    contract_months = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True
    )
    lks = serializers.BooleanField(required=False, default=False)
    via = serializers.ChoiceField(choices=PlacementVia.choices, required=False, default="wsp")
    provider = serializers.IntegerField(
        source="provider_id", required=False, allow_null=True, help_text="Id van de aanbieder."
    )
    garantiebaan = serializers.BooleanField(read_only=True)
    beschut_werk = serializers.BooleanField(read_only=True)
