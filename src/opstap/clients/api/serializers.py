"""Shapes of the clients API (no rules here: services validate)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from opstap.accounts.models import User
from opstap.clients.models import (
    LADDER_STEP_CHOICES,
    SITUATION_FIELDS,
    SUB_STATUS_CHOICES,
    BenefitType,
    Client,
    LadderStepChange,
    LksStatus,
    Obstacle,
)
from opstap.core.api.serializers import CachedFieldsMixin, CallerRelatedField, PlannedRowsMixin
from opstap.organisations.models import Municipality

_CASE_MANAGER_REQUIRED = "Geef de klantmanager van de klant op: elke klant heeft een klantmanager."


class CaseManagerField(CallerRelatedField):
    """The client's current case manager by id (R-CLI-3). Required and never null on
    registration; a client registered before the rule may still have none, so a response
    can carry null (`CaseManagerFieldSchema` documents it that way per direction)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Klantmanager")
        kwargs.setdefault(
            "help_text",
            "Id van de huidige klantmanager: een actieve klantmanager van de eigen organisatie. "
            "Verplicht bij inschrijven; wijzigen gaat via een overdracht in het dossier. Null "
            "alleen bij klanten die zonder klantmanager zijn ingeschreven vóór deze regel.",
        )
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", User.objects.all())
            kwargs.setdefault(
                "error_messages",
                {"required": _CASE_MANAGER_REQUIRED, "null": _CASE_MANAGER_REQUIRED},
            )
        super().__init__(**kwargs)

    def caller_queryset(self, user: Any) -> Any:
        """The users of the caller's own organisation (its id from the signed-in user, never
        from the request body): the id of a user of another organisation then reads as one
        that does not exist ("Onbekend id …", `core.problems`), the same answer, so the API
        does not tell which user ids exist elsewhere (R-SEC-1), and it is recorded as a
        denied read (`CallerRelatedField`, R-SEC-2). Whether the user may be a case manager
        (role, active) is the service's check (R-CLI-3)."""
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None:
            return User.objects.none()
        return User.objects.filter(organisation_id=organisation_id)


class CaseManagerFieldSchema(OpenApiSerializerFieldExtension):
    """Request: an integer id (never null). Response: an integer id or null (legacy rows)."""

    target_class = CaseManagerField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema["nullable"] = True
        return schema


# Its rows are read by a plan made once per list (`PlannedRowsMixin`: a column its attribute,
# a key field its `_id` column; issue 18). The docstring is the schema's description.
class ClientSerializer(PlannedRowsMixin, CachedFieldsMixin, serializers.ModelSerializer[Client]):
    """A client. Age, unit, track, growth potential and target groups are derived (R-CLI-2,
    R-LAD-2/3), never stored."""

    age = serializers.SerializerMethodField(help_text="Leeftijd op vandaag (afgeleid).")
    unit = serializers.SerializerMethodField(
        help_text="Unit (afgeleid van de trede): care of work."
    )
    track = serializers.SerializerMethodField(help_text="Spoor 1-3 (afgeleid van de trede).")
    growth_potential = serializers.SerializerMethodField(help_text="Groeipotentie (afgeleid).")
    target_groups = serializers.SerializerMethodField(help_text="Doelgroepen (afgeleid).")
    obstacles = serializers.ListField(
        child=serializers.ChoiceField(choices=Obstacle.choices),
        required=False,
        help_text="Belemmeringen (codes).",
    )
    ladder_step = serializers.ChoiceField(choices=LADDER_STEP_CHOICES, help_text="Trede.")
    ladder_sub_status = serializers.ChoiceField(
        choices=SUB_STATUS_CHOICES,
        required=False,
        allow_blank=True,
        help_text="Substatus (trede 6).",
    )
    benefit_type = serializers.ChoiceField(choices=BenefitType.choices, required=False)
    lks_status = serializers.ChoiceField(choices=LksStatus.choices, required=False)
    # A municipality of the caller's own organisation (`scoped`): one of another
    # organisation reads as an unknown id and is recorded as a denied read (R-SEC-1/2).
    municipality = CallerRelatedField(
        queryset=Municipality.objects.all(),
        label="Gemeente",
        help_text="Gemeente van de klant (van dezelfde organisatie).",
    )
    case_manager = CaseManagerField()
    income_coaches = serializers.SerializerMethodField(
        help_text=(
            "Ids van de inkomenscoaches die vandaag aan de klant zijn toegewezen (alleen-lezen; "
            "toewijzen gaat in het dossier)."
        )
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "client_number",
            "bsn",
            "first_name",
            "last_name_prefix",
            "last_name",
            "date_of_birth",
            "age",
            "street_address",
            "postcode",
            "city",
            "municipality",
            *SITUATION_FIELDS,
            "ladder_step",
            "ladder_sub_status",
            "ladder_step_since",
            "unit",
            "track",
            "growth_potential",
            "target_groups",
            "case_manager",
            "income_coaches",
        ]
        read_only_fields = ["id", "ladder_step_since"]

    def _derived(self, obj: Client) -> Any:
        resolver = self.context["derive"]
        cache: dict[int, Any] = self.context["_derived_cache"]
        if obj.pk not in cache:
            cache[obj.pk] = resolver(obj)
        return cache[obj.pk]

    def get_age(self, obj: Client) -> int:
        return int(self._derived(obj).age)

    def get_unit(self, obj: Client) -> str | None:
        return self._derived(obj).unit

    def get_track(self, obj: Client) -> str | None:
        return self._derived(obj).track

    def get_growth_potential(self, obj: Client) -> bool:
        return bool(self._derived(obj).growth_potential)

    def get_target_groups(self, obj: Client) -> list[str]:
        return sorted(str(g) for g in self._derived(obj).target_groups)

    def get_income_coaches(self, obj: Client) -> list[int]:
        from django.utils import timezone

        from opstap.clients.selectors import current_income_coach_ids

        known: dict[int, list[int]] | None = self.context.get("income_coaches")
        if known is None or obj.pk not in known:
            known = current_income_coach_ids([obj.pk], on=timezone.localdate())
        return known.get(obj.pk, [])


class ClientUpdateSerializer(ClientSerializer):
    """Partial update: BSN, client number, ladder step and case manager change through their
    own endpoints (ladder-steps) or services (handover), not here."""

    case_manager = CaseManagerField(read_only=True)

    class Meta(ClientSerializer.Meta):
        read_only_fields = [
            "id",
            "bsn",
            "client_number",
            "ladder_step",
            "ladder_sub_status",
            "ladder_step_since",
            "case_manager",
        ]


class BsnSearchSerializer(serializers.Serializer[Any]):
    bsn = serializers.CharField(max_length=11, help_text="BSN (9 cijfers); alleen in de body.")


class BrpPersonSerializer(serializers.Serializer[Any]):
    """What the BRP says about a person (R-INT-3): only the fields Opstap uses."""

    bsn = serializers.CharField(help_text="BSN.")
    first_names = serializers.CharField(help_text="Voornamen volgens de BRP.")
    first_name = serializers.CharField(help_text="Eerste voornaam (zoals Opstap die bewaart).")
    last_name_prefix = serializers.CharField(help_text="Voorvoegsel, bijv. 'van der'.")
    last_name = serializers.CharField(help_text="Geslachtsnaam.")
    date_of_birth = serializers.DateField(allow_null=True, help_text="Geboortedatum (volledig).")
    street_address = serializers.CharField(help_text="Straat en huisnummer.")
    postcode = serializers.CharField(help_text="Postcode.")
    city = serializers.CharField(help_text="Woonplaats.")
    municipality_code = serializers.CharField(help_text="Gemeentecode (CBS, GM + 4 cijfers).")
    municipality_name = serializers.CharField(help_text="Naam van de gemeente van inschrijving.")
    date_of_death = serializers.DateField(allow_null=True, help_text="Overlijdensdatum, of leeg.")


class LadderStepChangeSerializer(serializers.ModelSerializer[LadderStepChange]):
    changed_by = serializers.SerializerMethodField(help_text="Naam van wie de trede wijzigde.")
    # Plain strings (the service validates them with Dutch messages); the enums are
    # documented once, on the client resource (ladderStep / ladderSubStatus).
    step = serializers.CharField(max_length=2, help_text="Nieuwe trede: 1, 2a, 2b, 3, 4, 5 of 6.")
    sub_status = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Substatus bij trede 6: with_growth, without_growth of not_work_ready.",
    )
    effective_date = serializers.DateField(
        required=False, help_text="Ingangsdatum (leeg = vandaag)."
    )

    class Meta:
        model = LadderStepChange
        fields = [
            "id",
            "step",
            "sub_status",
            "previous_step",
            "previous_sub_status",
            "effective_date",
            "changed_at",
            "changed_by",
            "reason",
        ]
        read_only_fields = [
            "id",
            "previous_step",
            "previous_sub_status",
            "changed_at",
            "changed_by",
        ]

    def get_changed_by(self, obj: LadderStepChange) -> str | None:
        return obj.changed_by.display_name if obj.changed_by else None
