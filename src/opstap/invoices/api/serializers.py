"""Shapes of the invoices API (no rules here)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from opstap.invoices.models import (
    MILESTONE_CHOICES,
    VAT_CODE_CHOICES,
    CreditNote,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    PaymentBatch,
    PlacementFeeClaim,
    TravelClaim,
    TravelTrip,
)
from opstap.invoices.money import VatCode
from opstap.invoices.payment_rules import EventKind, TerminationReason
from opstap.trajectories.models import PRICE_BASIS_CHOICES


def _optional_amount(help_text: str, *, max_digits: int = 12) -> serializers.DecimalField:
    """An optional amount (or number of hours) of at least 0, two decimals; null when not
    given."""
    return serializers.DecimalField(
        max_digits=max_digits,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        default=None,
        help_text=help_text,
    )


class ReasonSerializer(serializers.Serializer[dict[str, str]]):
    code = serializers.CharField()
    message = serializers.CharField()


class InvoiceLineSerializer(serializers.ModelSerializer[InvoiceLine]):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "description",
            "vat_code",
            "vat_percentage",
            "amount_excl",
            "vat",
            "amount_incl",
        ]


class InvoiceEventSerializer(serializers.ModelSerializer[InvoiceEvent]):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = InvoiceEvent
        fields = ["occurred_at", "actor", "action", "from_status", "to_status", "reason"]


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    client_number = serializers.CharField(source="client.client_number", read_only=True)
    status = serializers.CharField(read_only=True, help_text="Status in de workflow.")
    status_label = serializers.CharField(read_only=True)
    reasons = ReasonSerializer(many=True, read_only=True)
    has_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "provider",
            "provider_name",
            "trajectory",
            "client",
            "client_number",
            "invoice_number",
            "invoice_date",
            "received_at",
            "due_on",
            "milestone",
            "period_start",
            "period_end",
            "amount_excl",
            "vat",
            "amount_incl",
            "status",
            "status_label",
            "verdict",
            "reasons",
            "allowed_excl",
            "needs_substance",
            "duplicate_of",
            "payment_batch",
            "paid_on",
            "has_pdf",
        ]
        read_only_fields = fields

    def get_has_pdf(self, obj: Invoice) -> bool:
        return bool(obj.pdf)


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    events = InvoiceEventSerializer(many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "lines", "events", "decision_note"]
        read_only_fields = fields


class LogbookEntrySerializer(serializers.Serializer[dict[str, object]]):
    date = serializers.DateField(help_text="Datum waarop de uren zijn gewerkt.")
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)


class LineInputSerializer(serializers.Serializer[dict[str, object]]):
    description = serializers.CharField(max_length=255)
    vat_code = serializers.ChoiceField(choices=VAT_CODE_CHOICES)
    amount_excl = serializers.DecimalField(max_digits=12, decimal_places=2)
    vat = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)


class InvoiceCreateSerializer(serializers.Serializer[dict[str, object]]):
    """Structured invoice data from a provider's system (R-BILL-2)."""

    trajectory = serializers.IntegerField(help_text="Id van het traject.")
    invoice_number = serializers.CharField(max_length=60)
    invoice_date = serializers.DateField()
    milestone = serializers.ChoiceField(choices=MILESTONE_CHOICES)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    client_number = serializers.CharField(max_length=30, allow_blank=True)
    client_surname = serializers.CharField(max_length=150, allow_blank=True)
    amount_excl = serializers.DecimalField(max_digits=12, decimal_places=2)
    vat = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_incl = serializers.DecimalField(max_digits=12, decimal_places=2)
    hourly_rate = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True
    )
    logbook = LogbookEntrySerializer(many=True, required=False)
    lines = LineInputSerializer(many=True, required=False)


class DecisionSerializer(serializers.Serializer[dict[str, str]]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer[dict[str, str]]):
    reason = serializers.CharField()


class CreditNoteSerializer(serializers.ModelSerializer[CreditNote]):
    invoice_number = serializers.CharField(source="invoice.invoice_number", read_only=True)

    class Meta:
        model = CreditNote
        fields = [
            "id",
            "invoice",
            "invoice_number",
            "provider",
            "number",
            "credit_date",
            "reason",
            "amount_excl",
            "vat",
            "amount_incl",
            "payment_batch",
        ]
        read_only_fields = ["id", "provider", "invoice_number", "payment_batch"]


class PaymentBatchSerializer(serializers.ModelSerializer[PaymentBatch]):
    status = serializers.CharField(read_only=True, help_text="open, exported of paid.")

    class Meta:
        model = PaymentBatch
        fields = [
            "id",
            "reference",
            "status",
            "created_at",
            "invoice_count",
            "total_incl",
            "exported_at",
            "export_sha256",
            "pain001_message_id",
            "pain001_schema",
            "pain001_sha256",
            "paid_on",
        ]
        read_only_fields = fields


class PlacementFeeClaimSerializer(serializers.ModelSerializer[PlacementFeeClaim]):
    """Een bemiddelingsfee met de factuur die ermee werd ingediend (R-BILL-6)."""

    provider_name = serializers.CharField(source="provider.name", read_only=True)
    invoice_status = serializers.CharField(source="invoice.status", read_only=True, default=None)
    invoice_verdict = serializers.CharField(source="invoice.verdict", read_only=True, default=None)
    has_contract = serializers.SerializerMethodField()

    class Meta:
        model = PlacementFeeClaim
        fields = [
            "id",
            "trajectory",
            "provider",
            "provider_name",
            "client",
            "invoice",
            "invoice_status",
            "invoice_verdict",
            "employer",
            "placement_start",
            "contract_months",
            "hours_per_week",
            "probation_end",
            "client_hour_restriction",
            "has_contract",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_has_contract(self, obj: PlacementFeeClaim) -> bool:
        return bool(obj.contract)


class PlacementFeeClaimCreateSerializer(serializers.Serializer[dict[str, object]]):
    """Een bemiddelingsfee declareren: JSON, of multipart met het arbeidscontract (`contract`)
    en de factuur (`pdf`) als pdf."""

    trajectory = serializers.IntegerField()
    invoice_number = serializers.CharField(max_length=60)
    invoice_date = serializers.DateField()
    employer = serializers.CharField(max_length=200)
    placement_start = serializers.DateField()
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=2)
    contract_months = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    probation_end = serializers.DateField(required=False, allow_null=True)
    client_hour_restriction = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Ter informatie; de regels lezen de urenbeperking uit het klantdossier op "
        "de datum van de plaatsing (R-BILL-6).",
    )
    contract = serializers.FileField(required=False, allow_null=True)
    pdf = serializers.FileField(required=False, allow_null=True)


class TravelTripSerializer(serializers.ModelSerializer[TravelTrip]):
    class Meta:
        model = TravelTrip
        fields = ["trip_date", "single_trip_km", "amount", "decision", "reason"]
        read_only_fields = fields


class TravelClaimSerializer(serializers.ModelSerializer[TravelClaim]):
    """Een reiskostendeclaratie van een kandidaat met het besluit per rit (R-BILL-9)."""

    client_number = serializers.CharField(source="client.client_number", read_only=True)
    trips = TravelTripSerializer(many=True, read_only=True)

    class Meta:
        model = TravelClaim
        fields = [
            "id",
            "trajectory",
            "client",
            "client_number",
            "entered_at",
            "attendance_source",
            "organisation_pays",
            "provider_pays",
            "refused",
            "trips",
        ]
        read_only_fields = fields


class TripInputSerializer(serializers.Serializer[dict[str, object]]):
    trip_date = serializers.DateField()
    single_trip_km = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class TravelClaimCreateSerializer(serializers.Serializer[dict[str, object]]):
    """Een reiskostendeclaratie invoeren: de ritten en, alleen als het traject nog geen
    presentielijst heeft, de dagen waarop de kandidaat aanwezig was."""

    trajectory = serializers.IntegerField()
    trips = TripInputSerializer(many=True)
    attended_on = serializers.ListField(child=serializers.DateField(), required=False)


# --- POST /api/v1/payment-rules/_evaluate (stateless) ----------------------------------------


class EvaluatePriceTermsSerializer(serializers.Serializer[Any]):
    basis = serializers.ChoiceField(
        choices=PRICE_BASIS_CHOICES,
        help_text="fixed (vaste prijs) of hourly (uurtarief).",
    )
    price = _optional_amount("Vaste prijs excl. btw (bij fixed).")
    hourly_rate = _optional_amount("Afgesproken uurtarief excl. btw (bij hourly).")
    agreed_hours = _optional_amount(
        "Afgesproken aantal uren (bij hourly, optioneel).", max_digits=9
    )
    budget_cap = _optional_amount("Budgetplafond excl. btw (bij hourly, optioneel).")


class EvaluateEventSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=[(k.value, k.value) for k in EventKind],
        help_text="ordered, intake, plan_approved, started, extended, completed, "
        "terminated_early, not_started_after_klikgesprek, not_started_after_intake, "
        "final_report, handed_over.",
    )
    date = serializers.DateField()
    planned_end = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Geplande einddatum (bij started en extended).",
    )
    termination_reason = serializers.ChoiceField(
        choices=[(r.value, r.value) for r in TerminationReason],
        required=False,
        allow_null=True,
        default=None,
        help_text="Bij terminated_early: move, drop_out, accepted_job of outside_provider_control.",
    )


class EvaluateHoursSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal(0))


class EvaluateInvoicedSerializer(serializers.Serializer[Any]):
    milestone = serializers.ChoiceField(choices=MILESTONE_CHOICES)
    amount_excl = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Netto gefactureerd (na creditnota's), excl. btw.",
    )
    period_start = serializers.DateField(required=False, allow_null=True, default=None)
    hours = _optional_amount(
        "Betaalde jobcoachinguren (telt mee voor de afgesproken uren).", max_digits=9
    )


class EvaluatePlacementSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    contract_months = serializers.IntegerField(
        min_value=1,
        max_value=1200,
        required=False,
        allow_null=True,
        default=None,
        help_text="Leeg bij onbepaalde tijd.",
    )
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal(0))
    probation_end = serializers.DateField(required=False, allow_null=True, default=None)
    client_hour_restriction = _optional_amount(
        "Urenbeperking volgens het klantdossier op de startdatum.", max_digits=5
    )
    contract_received = serializers.BooleanField(required=False, default=True)
    ended_during_probation = serializers.BooleanField(required=False, default=False)


class EvaluateAdjustmentSerializer(serializers.Serializer[Any]):
    amount_excl = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))
    reason = serializers.CharField(max_length=1000)


class PaymentRulesEvaluateSerializer(serializers.Serializer[Any]):
    """The facts of one trajectory; nothing is stored or looked up but reference data."""

    product_code = serializers.ChoiceField(choices=[(c, str(c)) for c in (1, 2, 3, 4, 5)])
    price_terms = EvaluatePriceTermsSerializer()
    events = serializers.ListField(child=EvaluateEventSerializer(), max_length=200)
    as_of = serializers.DateField(help_text="De dag waarop beoordeeld wordt (factuurdatum).")
    hours_logbook = serializers.ListField(
        child=EvaluateHoursSerializer(), required=False, max_length=2000
    )
    already_invoiced = serializers.ListField(
        child=EvaluateInvoicedSerializer(), required=False, max_length=500
    )
    placements = serializers.ListField(
        child=EvaluatePlacementSerializer(), required=False, max_length=50
    )
    vat_code = serializers.ChoiceField(
        choices=VAT_CODE_CHOICES, required=False, default=VatCode.HIGH
    )
    reported_on_time = serializers.BooleanField(required=False, default=False)
    adjustment = EvaluateAdjustmentSerializer(required=False, allow_null=True, default=None)


class EvaluateReasonSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Stabiele redencode (zie docs/payment-rules.md).")
    message = serializers.CharField(help_text="Nederlandse toelichting.")


class EvaluateMilestoneSerializer(serializers.Serializer[Any]):
    milestone = serializers.CharField()
    title = serializers.CharField(help_text="Naam van de mijlpaal (Nederlands).")
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    invoiceable = serializers.BooleanField()
    amount_excl = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    vat = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    amount_incl = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    reasons = EvaluateReasonSerializer(many=True)


class PaymentRulesResultSerializer(serializers.Serializer[Any]):
    as_of = serializers.DateField()
    milestones = EvaluateMilestoneSerializer(many=True)
