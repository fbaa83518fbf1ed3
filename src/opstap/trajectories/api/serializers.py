"""Shapes of the trajectories API (no rules here)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from opstap.core.api.serializers import CachedFieldsMixin, PlannedRowsMixin
from opstap.trajectories.models import (
    ABSENCE_FIELDS,
    DOCUMENT_CONTENT_FIELDS,
    OUTCOME_FACT_FIELDS,
    ROTONDE_CHOICES,
    TRAJECTORY_COURSE_FIELDS,
    Absence,
    AbsenceRisk,
    Appointment,
    Deadline,
    Outcome,
    Quote,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)
from opstap.trajectories.outcomes import Durability
from opstap.trajectories.workflow import Action


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    class Meta:
        model = Deadline
        fields = ["kind", "label", "due_on", "met_on", "cancelled_on", "responsible_role", "rule"]


class EventSerializer(serializers.ModelSerializer[TrajectoryEvent]):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = TrajectoryEvent
        fields = ["occurred_at", "actor", "action", "from_state", "to_state", "reason", "payload"]


class TrajectorySerializer(
    PlannedRowsMixin, CachedFieldsMixin, serializers.ModelSerializer[Trajectory]
):
    """Een traject: klant, product, aanbieder, status en data (R-TRJ-1, R-TRJ-2)."""

    client_number = serializers.CharField(source="client.client_number", read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    #: Set on each row of a list by `selectors.mark_overdue` (a bool); a detail has none and
    #: answers the default.
    row_attributes = frozenset({"is_overdue"})

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "client",
            "client_number",
            "client_name",
            "product",
            "product_name",
            "provider",
            "provider_name",
            "product_code",
            "case_manager",
            "state",
            "state_label",
            "is_overdue",
            "next_due_on",
            "aim_tiles",
            "aim_description",
            "rotonde_exit",
            "rotonde_skip_reason",
            "wished_start",
            "absence_risk",
            "budget",
            "price",
            *TRAJECTORY_COURSE_FIELDS,
        ]
        read_only_fields = fields


class TrajectoryDetailSerializer(TrajectorySerializer):
    """Een traject met zijn prijsafspraak, termijnen en tijdlijn (R-BILL-1, R-TRJ-2, R-TRJ-3).

    De prijsafspraak: `priceBasis` vast (`fixed`, bedrag in `price`) of per uur (`hourly`,
    `hourlyRate` met `agreedHours` en/of `budgetCap`), uit de productprijs of de goedgekeurde
    offerte. Dit zijn de afspraken die de factuurcontrole leest."""

    deadlines = DeadlineSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(TrajectorySerializer.Meta):
        fields = [
            *TrajectorySerializer.Meta.fields,
            "price_basis",
            "hourly_rate",
            "agreed_hours",
            "budget_cap",
            "deadlines",
            "events",
        ]
        read_only_fields = fields


class QuoteSerializer(serializers.ModelSerializer[Quote]):
    """Een versie van de offerte (R-TRJ-1): ingediend, goedgekeurd, afgewezen of vervangen
    door een herziening. Elke versie blijft bewaard."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id",
            "version",
            "status",
            "status_label",
            "amount",
            "hourly_rate",
            "hours",
            "text",
            "has_document",
            "submitted_on",
            "decided_on",
            "decision_reason",
        ]
        read_only_fields = fields

    def get_has_document(self, obj: Quote) -> bool:
        return obj.document_id is not None


class QuoteReviseSerializer(serializers.Serializer[None]):
    """Een herziene offerte van de aanbieder: bedrag (excl. btw), bij een uurtarief ook
    uurtarief en uren, en een toelichting of een document."""

    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    hourly_rate = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    hours = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=Decimal("0.01"), required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    file = serializers.FileField(required=False, allow_null=True, default=None)


class QuoteDecisionSerializer(serializers.Serializer[None]):
    """Het besluit van de klantmanager over de herziene offerte; bij afwijzen een reden."""

    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


#: The largest id a client can send: bigger numbers cannot be a row (ids are 64-bit).
MAX_ID = 2**63 - 1


class TrajectoryOrderSerializer(serializers.Serializer[None]):
    """An order (opdrachtformulier, R-TRJ-1) as a case manager's system sends it. Only the
    shape is checked here; whether the client and product may be ordered is the service's
    decision, the same as on the order page."""

    client = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id van de klant (binnen uw caseload)."
    )
    product = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id van het product (instrumentengids)."
    )
    rotonde_exit = serializers.ChoiceField(
        choices=ROTONDE_CHOICES,
        help_text="Afslag van de participatierotonde waarop het traject is gericht (R-LAD-4).",
    )
    rotonde_skip_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Verplicht als een eerdere, nog niet geprobeerde afslag wordt overgeslagen.",
    )
    aim_tiles = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        default=list,
        max_length=40,
        help_text="Tegelcodes van het doel, bijv. EW04.",
    )
    aim_description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, help_text="Doel."
    )
    wished_start = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Gewenste startdatum."
    )
    absence_risk = serializers.ChoiceField(
        choices=AbsenceRisk.choices,
        help_text="Verzuimrisico (R-ABS-1): none, elevated, problematic.",
    )
    budget = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        default=None,
        help_text="Budget voor dit traject in euro, excl. btw.",
    )


class TransitionSerializer(serializers.Serializer[None]):
    action = serializers.ChoiceField(choices=[a.value for a in Action])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    payload = serializers.DictField(required=False, default=dict)


class DocumentSerializer(serializers.ModelSerializer[TrajectoryDocument]):
    kind = serializers.CharField(read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = TrajectoryDocument
        fields = [
            "id",
            *DOCUMENT_CONTENT_FIELDS,
            "content_type",
            "size",
            "submitted_at",
            "has_file",
        ]
        read_only_fields = [
            "id",
            "kind",
            "file_name",
            "content_type",
            "size",
            "submitted_at",
            "has_file",
        ]

    def get_has_file(self, obj: TrajectoryDocument) -> bool:
        return bool(obj.file)


class DocumentCreateSerializer(serializers.Serializer[None]):
    kind = serializers.CharField(
        max_length=30,
        help_text="quote, plan, progress_report, extension_request, return_request, "
        "final_report of handover_note.",
    )
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    goals = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    result_agreements = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    signed_by_candidate = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    payload = serializers.DictField(required=False, default=dict)
    file = serializers.FileField(required=False, allow_null=True, default=None)


class AbsenceSerializer(serializers.ModelSerializer[Absence]):
    risk_at_report = serializers.CharField(read_only=True)

    class Meta:
        model = Absence
        fields = [
            "id",
            *ABSENCE_FIELDS,
        ]
        read_only_fields = ["id", "reported_at", "risk_at_report", "late"]


class OutcomeSerializer(serializers.ModelSerializer[Outcome]):
    """The structured result of a trajectory (R-TRJ-7) with the durability check of a
    placement (6 months after its start, R-KPI-4). PATCH records or corrects it: only the
    fields sent change."""

    durability = serializers.ChoiceField(
        choices=[(d.value, d.label) for d in Durability],
        read_only=True,
        allow_blank=True,
        help_text="Uitkomst van de controle; leeg zolang die niet gedaan is.",
    )

    class Meta:
        model = Outcome
        fields = [
            *OUTCOME_FACT_FIELDS,
            "contract_type_note",
            "durability_check_on",
            "durability",
            "recorded_at",
        ]
        read_only_fields = [
            "contract_type_note",
            "durability_check_on",
            "durability",
            "recorded_at",
        ]


class AppointmentSerializer(serializers.ModelSerializer[Appointment]):
    """An appointment of the candidate with its attendance (R-ABS-1)."""

    class Meta:
        model = Appointment
        fields = ["id", "starts_at", "description", "attendance", "recorded_at"]
        read_only_fields = ["id", "attendance", "recorded_at"]


class AttendanceSerializer(serializers.Serializer[Any]):
    """Record attendance (R-ABS-1); `absent` needs a reason and is reported as absence."""

    status = serializers.ChoiceField(
        choices=[
            ("attended", "aanwezig"),
            ("absent", "afwezig"),
            ("cancelled", "afgezegd"),
            ("rescheduled", "verplaatst"),
        ]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    problematic = serializers.BooleanField(required=False, default=False)
