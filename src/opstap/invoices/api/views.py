"""/api/v1/invoices, /api/v1/credit-notes, /api/v1/payment-batches.

Provider systems submit structured invoice data and list/retrieve their own invoices; another
provider's invoice is a 404 (R-SEC-1). Finance staff see the organisation's invoices and
approve/reject; refusals by the payment rules are problem+json 400 with the Dutch reasons
(R-BILL-2). Payment batches are read and exported idempotently (R-BILL-10).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.audit.services import audit_read
from opstap.core.access import HasOpstapPermission, get_object_for_user, scoped
from opstap.core.actor import actor_of
from opstap.core.api.audited import AuditedReadMixin
from opstap.core.api.viewsets import (
    CallerQuerysetMixin,
    int_param,
    valid_body,
    visible_or_invalid,
)
from opstap.core.roles import Perm
from opstap.invoices import selectors, services
from opstap.invoices.models import (
    CreditNote,
    Invoice,
    InvoiceEvent,
    InvoiceSource,
    PaymentBatch,
    PlacementFeeClaim,
    TravelClaim,
)
from opstap.trajectories.models import Trajectory

from .serializers import (
    CreditNoteSerializer,
    DecisionSerializer,
    InvoiceCreateSerializer,
    InvoiceDetailSerializer,
    InvoiceSerializer,
    PaymentBatchSerializer,
    PaymentRulesEvaluateSerializer,
    PaymentRulesResultSerializer,
    PlacementFeeClaimCreateSerializer,
    PlacementFeeClaimSerializer,
    RejectSerializer,
    TravelClaimCreateSerializer,
    TravelClaimSerializer,
)

FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, description="Status (bijv. checked)."),
    OpenApiParameter("provider", OpenApiTypes.INT, description="Id van de aanbieder."),
    OpenApiParameter("verdict", OpenApiTypes.STR, description="green, orange of red."),
    OpenApiParameter("trajectory", OpenApiTypes.INT, description="Id van het traject."),
    OpenApiParameter(
        "bucket",
        OpenApiTypes.STR,
        description="te_controleren, goed_te_keuren of achterstallig (werklijst).",
    ),
]


class InvoiceViewSet(
    CallerQuerysetMixin,
    AuditedReadMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Invoice],
):
    """Invoices (facturen) the caller may see (R-SEC-1, R-BILL-2)."""

    audit_object_type = "invoice"
    audit_list = True
    audit_list_purpose = "Factuurlijst via API"

    serializer_class = InvoiceSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {
        "default": (Perm.INVOICE_VIEW,),
        "approve": (Perm.INVOICE_APPROVE,),
        "reject": (Perm.INVOICE_APPROVE,),
    }
    queryset = Invoice.objects.none()

    def caller_queryset(self) -> QuerySet[Invoice]:
        params = self.request.query_params
        filters = selectors.InvoiceFilters(
            status=params.get("status") or "",
            provider=int_param(params.get("provider")),
            verdict=params.get("verdict") or "",
            trajectory=int_param(params.get("trajectory")),
            bucket=params.get("bucket") or "",
        )
        return selectors.invoice_list(
            user=actor_of(self.request), filters=filters, on=timezone.localdate()
        )

    def _invoice(self) -> Invoice:
        return get_object_for_user(
            self.request.user,
            Invoice.objects.select_related("provider", "client").prefetch_related(
                "lines",
                Prefetch("events", InvoiceEvent.objects.select_related("actor")),
            ),
            pk=self.kwargs.get("pk"),
        )

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=InvoiceDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invoice = self._invoice()
        audit_read(request, invoice, invoice.client_id, "Factuur ophalen via API")
        return Response(InvoiceDetailSerializer(invoice).data)

    @extend_schema(request=InvoiceCreateSerializer, responses={201: InvoiceDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit structured invoice data; it is checked at once (green/orange/red) and a
        duplicate is held (R-BILL-2, R-BILL-10)."""
        # The body's other fields are the invoice's own keywords (number, dates, milestone,
        # amounts, client, period, rate).
        data = valid_body(InvoiceCreateSerializer, request)
        invoice = services.invoice_submit(
            actor=actor_of(request),
            trajectory=_visible_trajectory(request, data.pop("trajectory")),
            logbook=[
                {"date": e["date"].isoformat(), "hours": str(e["hours"])}
                for e in data.pop("logbook", [])
            ],
            lines=[services.LineInput(**line) for line in data.pop("lines", [])],
            source=InvoiceSource.API,
            structured_data={k: str(v) for k, v in request.data.items()}
            if hasattr(request.data, "items")
            else {},
            **data,
        )
        return Response(
            InvoiceDetailSerializer(self._fresh(invoice.pk)).data, status=status.HTTP_201_CREATED
        )

    def _fresh(self, pk: int) -> Invoice:
        self.kwargs["pk"] = pk
        return self._invoice()

    @extend_schema(request=DecisionSerializer, responses=InvoiceDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve for payment: only what the rules allow now; else 400 with the reasons."""
        invoice = self._invoice()
        data = valid_body(DecisionSerializer, request)  # note
        services.invoice_approve(actor=actor_of(request), invoice=invoice, **data)
        return Response(InvoiceDetailSerializer(self._invoice()).data)

    @extend_schema(request=RejectSerializer, responses=InvoiceDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        invoice = self._invoice()
        data = valid_body(RejectSerializer, request)  # reason
        services.invoice_reject(actor=actor_of(request), invoice=invoice, **data)
        return Response(InvoiceDetailSerializer(self._invoice()).data)


class CreditNoteViewSet(
    CallerQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[CreditNote],
):
    """Credit notes linked to the invoice they correct (R-BILL-8)."""

    serializer_class = CreditNoteSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {"default": (Perm.INVOICE_VIEW,), "create": (Perm.INVOICE_APPROVE,)}
    queryset = CreditNote.objects.none()

    def caller_queryset(self) -> QuerySet[CreditNote]:
        return selectors.credit_notes_for(actor_of(self.request)).order_by("-credit_date", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = CreditNoteSerializer(data=request.data)
        # Only invoices the caller may see are valid choices: a forbidden invoice is then
        # indistinguishable from one that does not exist (R-SEC-1).
        invoice_field = body.fields["invoice"]
        assert isinstance(invoice_field, serializers.PrimaryKeyRelatedField)
        # (the DRF stubs type `queryset` as a class-level manager descriptor)
        invoice_field.queryset = scoped(request.user, Invoice.objects.all())  # type: ignore[arg-type]
        body.is_valid(raise_exception=True)
        # The note's own fields (number, date, reason, amounts) and the invoice it corrects.
        data = dict(body.validated_data)
        invoice = get_object_for_user(
            request.user, Invoice.objects.all(), pk=getattr(data.pop("invoice"), "pk", None)
        )
        note = services.credit_note_create(actor=actor_of(request), invoice=invoice, **data)
        return Response(CreditNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class PaymentBatchViewSet(
    CallerQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[PaymentBatch],
):
    """Payment batches: read, compose, export (idempotent, R-BILL-10) and download."""

    serializer_class = PaymentBatchSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {
        "default": (Perm.INVOICE_VIEW,),
        "create": (Perm.INVOICE_APPROVE,),
        "export": (Perm.INVOICE_APPROVE,),
        "sepa_export": (Perm.INVOICE_APPROVE,),
        "download": (Perm.INVOICE_APPROVE,),
    }
    queryset = PaymentBatch.objects.none()

    def caller_queryset(self) -> QuerySet[PaymentBatch]:
        return selectors.payment_batches_for(actor_of(self.request))

    def _batch(self) -> PaymentBatch:
        return get_object_for_user(
            self.request.user, PaymentBatch.objects.all(), pk=self.kwargs.get("pk")
        )

    @extend_schema(request=None, responses={201: PaymentBatchSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put every approved invoice in a new batch (400 when there is nothing to pay)."""
        batch = services.payment_batch_create(actor=actor_of(request))
        return Response(PaymentBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PaymentBatchSerializer)
    @action(detail=True, methods=["post"])
    def export(self, request: Request, pk: str | None = None) -> Response:
        """Export once; a second export returns the same files and checksum."""
        batch = services.payment_batch_export(actor=actor_of(request), batch=self._batch())
        return Response(PaymentBatchSerializer(batch).data)

    @extend_schema(request=None, responses=PaymentBatchSerializer)
    @action(detail=True, methods=["post"], url_path="sepa-export")
    def sepa_export(self, request: Request, pk: str | None = None) -> Response:
        """Make the SEPA credit-transfer file (pain.001) once; a second call returns the same
        file, message id and checksum (R-BILL-10). Refused (409) while a provider paid has
        no bank account confirmed by a second person, or when nothing is left to transfer."""
        batch = services.payment_batch_export_sepa(actor=actor_of(request), batch=self._batch())
        return Response(PaymentBatchSerializer(batch).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=sorted(services.BATCH_FILES),
                description="csv (standaard) of xlsx: de batch als tabel (na export); xml: het "
                "SEPA-betaalbestand pain.001 (na sepa-export).",
            )
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(
                description="Niet gevonden, of u heeft er geen toegang toe; of de batch is "
                "nog niet in dit formaat geëxporteerd."
            ),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """An exported file of the batch (export or sepa-export first), audited per client."""
        fmt = request.query_params.get("format", "csv")
        if fmt not in services.BATCH_FILES:
            raise ValidationError({"format": ["Kies csv, xlsx of xml."]})
        batch = self._batch()
        found = services.payment_batch_download(
            request=request, batch=batch, fmt=fmt, channel="API"
        )
        if found is None:
            raise NotFound("Deze batch is nog niet in dit formaat geëxporteerd.")
        stored, name, content_type = found
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=name, content_type=content_type
        )


def _visible_trajectory(request: Request, pk: int) -> Trajectory:
    """The trajectory of a submission, within the caller's scope (else a field error)."""
    return visible_or_invalid(
        request.user,
        Trajectory.objects.all(),
        pk,
        field="trajectory",
        noun="Dit traject",
        code="not_found",
    )


TRAJECTORY_FILTER = [
    OpenApiParameter("trajectory", OpenApiTypes.INT, description="Id van het traject."),
]

_Claim = TypeVar("_Claim", PlacementFeeClaim, TravelClaim)


def _of_trajectory(request: Request, qs: QuerySet[_Claim]) -> QuerySet[_Claim]:
    """The claims of the trajectory in `?trajectory=`, if given."""
    if trajectory := int_param(request.query_params.get("trajectory")):
        qs = qs.filter(trajectory_id=trajectory)
    return qs


class _ClaimsMixin(AuditedReadMixin):
    """An audited list of claims that `?trajectory=` narrows to one trajectory."""

    audit_list = True

    @extend_schema(parameters=TRAJECTORY_FILTER)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


def _created(view: viewsets.GenericViewSet[_Claim], claim: _Claim) -> Response:
    """201 with the claim just submitted, as the list shows it."""
    fresh = view.get_queryset().get(pk=claim.pk)
    return Response(view.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class PlacementFeeClaimViewSet(
    CallerQuerysetMixin, _ClaimsMixin, viewsets.GenericViewSet[PlacementFeeClaim]
):
    """Bemiddelingsfees (R-BILL-6): lijst, ophalen en declareren door de aanbieder, met het
    arbeidscontract; de fee wordt als factuur ingediend en meteen gecontroleerd."""

    serializer_class = PlacementFeeClaimSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {"default": (Perm.INVOICE_VIEW,)}
    queryset = PlacementFeeClaim.objects.none()
    audit_object_type = "placement_fee_claim"
    audit_purpose = "Bemiddelingsfees via API"

    def caller_queryset(self) -> QuerySet[PlacementFeeClaim]:
        return _of_trajectory(
            self.request,
            selectors.placement_claims_for(actor_of(self.request)).order_by("-submitted_at", "-id"),
        )

    @extend_schema(
        request={
            "application/json": PlacementFeeClaimCreateSerializer,
            "multipart/form-data": PlacementFeeClaimCreateSerializer,
        },
        responses={201: PlacementFeeClaimSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Declare the one-off placement fee (R-BILL-6); one per placement (409-free: a second
        claim for the same placement start is a 400 with the reason). A refused claim is one
        400 listing every problem in invalidParams, as the form page shows them all."""
        # The body's other fields are the claim's own keywords (invoice, employer, placement,
        # contract and PDF).
        data = valid_body(PlacementFeeClaimCreateSerializer, request)
        claim = services.placement_fee_claim_submit(
            actor=actor_of(request),
            trajectory=_visible_trajectory(request, int(data.pop("trajectory"))),
            contract_months=data.pop("contract_months", None),
            source=InvoiceSource.API,
            **data,
        )
        return _created(self, claim)


class TravelClaimViewSet(CallerQuerysetMixin, _ClaimsMixin, viewsets.GenericViewSet[TravelClaim]):
    """Reiskostendeclaraties van kandidaten (R-BILL-9): ingevoerd door de klantmanager of de
    administratie, elke rit getoetst aan de presentielijst."""

    serializer_class = TravelClaimSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = {"default": (Perm.TRAJECTORY_ORDER,)}
    queryset = TravelClaim.objects.none()
    audit_object_type = "travel_claim"
    audit_purpose = "Reiskostendeclaraties via API"

    def caller_queryset(self) -> QuerySet[TravelClaim]:
        return _of_trajectory(
            self.request,
            selectors.travel_claims_for(actor_of(self.request))
            .prefetch_related("trips")
            .order_by("-entered_at", "-id"),
        )

    @extend_schema(request=TravelClaimCreateSerializer, responses={201: TravelClaimSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Enter a travel claim; the answer holds the decision per trip (R-BILL-9)."""
        data = valid_body(TravelClaimCreateSerializer, request)
        claim = services.travel_claim_submit(
            actor=actor_of(request),
            trajectory=_visible_trajectory(request, int(data["trajectory"])),
            trips=[services.TripInput(**t) for t in data["trips"]],
            attended_on=data.get("attended_on", []),
        )
        return _created(self, claim)


class PaymentRulesViewSet(viewsets.ViewSet):
    """The payment rules as a service (R-BILL-1..7): `POST /payment-rules/_evaluate`."""

    permission_classes = [HasOpstapPermission]
    # Providers check before they invoice; case managers, contract managers and the
    # administration use the same check. No personal data goes in or out.
    required_perms = {"default": (Perm.INVOICE_VIEW,)}

    @extend_schema(
        request=PaymentRulesEvaluateSerializer,
        responses={200: PaymentRulesResultSerializer},
        summary="Betalingsregels toepassen op opgegeven feiten (stateless)",
    )
    @action(detail=False, methods=["post"], url_path="_evaluate")
    def evaluate(self, request: Request) -> Response:
        """Per milestone: invoiceable or not on `asOf`, the amounts excl./VAT/incl. and every
        reason (code and Dutch text). Runs the code the invoice check runs; nothing is
        stored."""
        data = valid_body(PaymentRulesEvaluateSerializer, request)
        organisation_id = getattr(request.user, "organisation_id", None)
        if organisation_id is None:
            raise PermissionDenied("Uw account hoort niet bij een organisatie.")
        assessment = services.payment_rules_evaluate(
            organisation_id=int(organisation_id), **evaluate_arguments(data)
        )
        return Response(PaymentRulesResultSerializer(evaluate_result(assessment)).data)


def evaluate_arguments(data: dict[str, Any]) -> dict[str, Any]:
    """Validated `_evaluate` body -> keyword arguments of `services.payment_rules_evaluate`."""
    from opstap.invoices import payment_rules as pr

    raw = data["price_terms"]
    try:
        terms = pr.PriceTerms(
            basis=pr.PriceBasis(raw["basis"]),
            price=raw.get("price"),
            hourly_rate=raw.get("hourly_rate"),
            agreed_hours=raw.get("agreed_hours"),
            budget_cap=raw.get("budget_cap"),
        )
    except pr.PriceTermsInvalidError as exc:
        raise ValidationError(
            {f"priceTerms.{_camel(exc.field or '')}": [ErrorDetail(str(exc), code="invalid")]}
        ) from exc
    adjustment = None
    if data.get("adjustment"):
        try:
            adjustment = pr.Adjustment(
                amount_excl=data["adjustment"]["amount_excl"],
                reason=data["adjustment"]["reason"],
            )
        except pr.PaymentRuleError as exc:
            raise ValidationError({"adjustment": [ErrorDetail(str(exc), code="invalid")]}) from exc
    return {
        "product_code": int(data["product_code"]),
        "terms": terms,
        "events": [
            pr.DatedEvent(
                kind=pr.EventKind(e["kind"]),
                on=e["date"],
                planned_end=e.get("planned_end"),
                termination_reason=pr.TerminationReason(e["termination_reason"])
                if e.get("termination_reason")
                else None,
            )
            for e in data["events"]
        ],
        "as_of": data["as_of"],
        "logbook": [
            pr.HoursEntry(worked_on=h["date"], hours=h["hours"])
            for h in data.get("hours_logbook", [])
        ],
        "already_invoiced": [
            pr.InvoicedAmount(
                kind=pr.MilestoneKind(i["milestone"]),
                amount_excl=i["amount_excl"],
                period_start=i.get("period_start"),
                hours=i.get("hours"),
            )
            for i in data.get("already_invoiced", [])
        ],
        "placements": [
            pr.PlacementFacts(
                start=p["start"],
                contract_months=p.get("contract_months"),
                hours_per_week=p["hours_per_week"],
                probation_end=p.get("probation_end"),
                client_hour_restriction=p.get("client_hour_restriction"),
                contract_received=p.get("contract_received", True),
                ended_during_probation=p.get("ended_during_probation", False),
            )
            for p in data.get("placements", [])
        ],
        "vat_code": data.get("vat_code", "high"),
        "reported_on_time": bool(data.get("reported_on_time")),
        "adjustment": adjustment,
    }


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def evaluate_result(assessment: Any) -> dict[str, Any]:
    """An `Assessment` as the `_evaluate` answer: invoiceable milestones first, then the
    refused ones, each with its reasons."""
    from opstap.invoices.payment_rules import MILESTONE_LABELS_NL

    invoiceable = [
        {
            "milestone": m.kind.value,
            "title": MILESTONE_LABELS_NL[m.kind],
            "period_start": m.period.start if m.period else None,
            "period_end": m.period.end if m.period else None,
            "invoiceable": True,
            "amount_excl": m.amount_excl,
            "vat": m.vat,
            "amount_incl": m.amount_incl,
            "reasons": [{"code": r.code.value, "message": r.message} for r in m.notes],
        }
        for m in assessment.invoiceable
    ]
    refused = [
        {
            "milestone": r.kind.value,
            "title": MILESTONE_LABELS_NL[r.kind],
            "period_start": r.period.start if r.period else None,
            "period_end": r.period.end if r.period else None,
            "invoiceable": False,
            "amount_excl": None,
            "vat": None,
            "amount_incl": None,
            "reasons": [{"code": x.code.value, "message": x.message} for x in r.reasons],
        }
        for r in assessment.refused
    ]
    rows = invoiceable + refused
    return {"as_of": assessment.as_of, "milestones": rows}
