"""/api/v1/trajectories: list (filters), retrieve, order (POST, R-TRJ-1), POST transitions,
GET/POST reports and absences. Provider tokens see only their own provider's trajectories
(R-SEC-1); illegal transitions are problem+json 409 with the workflow's Dutch message
(R-TRJ-2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.audit.services import audit_read
from opstap.clients.models import Client
from opstap.core.access import HasOpstapPermission, get_object_for_user, scoped
from opstap.core.actor import actor_of
from opstap.core.api.audited import AuditedReadMixin
from opstap.core.api.pagination import CachedCountPagination
from opstap.core.api.viewsets import (
    CallerQuerysetMixin,
    int_param,
    valid_body,
    visible_or_invalid,
)
from opstap.core.request_memo import request_memo
from opstap.core.roles import Perm
from opstap.providers.models import Product
from opstap.trajectories import selectors, services
from opstap.trajectories.models import Appointment, Deadline, Trajectory, TrajectoryEvent
from opstap.trajectories.selectors import TRAJECTORY_COUNTS

from .serializers import (
    AbsenceSerializer,
    AppointmentSerializer,
    AttendanceSerializer,
    DocumentCreateSerializer,
    DocumentSerializer,
    OutcomeSerializer,
    QuoteDecisionSerializer,
    QuoteReviseSerializer,
    QuoteSerializer,
    TrajectoryDetailSerializer,
    TrajectoryOrderSerializer,
    TrajectorySerializer,
    TransitionSerializer,
)

if TYPE_CHECKING:
    from rest_framework.decorators import ViewSetAction

_View = TypeVar("_View", bound=Callable[..., Response])

FILTERS = [
    OpenApiParameter("state", OpenApiTypes.STR, description="Status (bijv. running)."),
    OpenApiParameter("provider", OpenApiTypes.INT, description="Id van de aanbieder."),
    OpenApiParameter("product", OpenApiTypes.INT, description="Id van het product."),
    OpenApiParameter("client", OpenApiTypes.INT, description="Id van de klant."),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Alleen met verlopen termijn."),
]


def _audit_read(request: Request, trajectory: Trajectory, purpose: str) -> None:
    """R-SEC-2: one `read` record about the trajectory's client for each API read."""
    audit_read(request, trajectory, trajectory.client_id, purpose)


def _list_and_add(
    url_path: str, shown: type[serializers.BaseSerializer[Any]], *, request: Any = None
) -> Callable[[_View], ViewSetAction[_View]]:
    """A trajectory's sub-collection `url_path`: GET lists its rows as `shown`, POST adds one
    from `request` (by default `shown` too) and answers it as `shown`; the action and both
    operations of the schema."""

    def wrap(view: _View) -> ViewSetAction[_View]:
        routed = action(detail=True, methods=["get", "post"], url_path=url_path)(view)
        added = extend_schema(methods=["POST"], request=request or shown, responses=shown)
        return extend_schema(methods=["GET"], responses=shown(many=True))(added(routed))

    return wrap


# The columns the list shape shows (the audit reads the id and the client's id, and
# `mark_overdue` the next due date, all among them) plus the related ones it reads; the
# trajectory's other columns (the price terms of the detail, the time stamps) are not read.
_COLUMNS = {f.name for f in Trajectory._meta.concrete_fields}
LIST_COLUMNS = (
    *(name for name in TrajectorySerializer.Meta.fields if name in _COLUMNS),
    "client__client_number",
    "client__first_name",
    "client__last_name_prefix",
    "client__last_name",
    "product__name",
    "provider__name",
)


class TrajectoryPagination(CachedCountPagination):
    """The total is counted once per filter set and day, not on every page (issue 6)."""

    counts_cache = TRAJECTORY_COUNTS


class TrajectoryViewSet(
    CallerQuerysetMixin,
    AuditedReadMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Trajectory],
):
    """Trajectories (trajecten) the caller may see (R-SEC-1)."""

    audit_object_type = "trajectory"
    audit_list = True
    audit_list_purpose = "Trajectenlijst via API"

    serializer_class = TrajectorySerializer
    pagination_class = TrajectoryPagination
    permission_classes = [HasOpstapPermission]
    required_perms = {"default": (Perm.TRAJECTORY_VIEW,), "create": (Perm.TRAJECTORY_ORDER,)}
    queryset = Trajectory.objects.none()

    def _filters(self) -> selectors.TrajectoryFilters:
        params = self.request.query_params
        return selectors.TrajectoryFilters(
            provider=int_param(params.get("provider")),
            product=int_param(params.get("product")),
            client=int_param(params.get("client")),
            state=params.get("state") or "",
            overdue=(params.get("overdue") or "").lower() in {"1", "true", "ja"},
        )

    def list_total(self) -> int | None:
        """The list's total from the clients' trajectory counters where that is exact (the
        case manager's unfiltered list), for `TrajectoryPagination`."""
        return selectors.trajectory_total(user=actor_of(self.request), filters=self._filters())

    def caller_queryset(self) -> QuerySet[Trajectory]:
        qs = selectors.trajectory_list(
            user=actor_of(self.request), filters=self._filters(), on=timezone.localdate()
        )
        if self.action == "list":
            # A page of 100 rows: load only the related columns the list shape shows.
            qs = qs.select_related(None).select_related("client", "product", "provider")
            qs = qs.only(*LIST_COLUMNS)
        return qs

    def _trajectory(self) -> Trajectory:
        return get_object_for_user(
            self.request.user,
            Trajectory.objects.select_related("client", "product", "provider").prefetch_related(
                # Child rows as the caller may see them (issue 19: finance and contract
                # management read only part of what lies below a trajectory).
                Prefetch(
                    "deadlines",
                    scoped(self.request.user, Deadline.objects.all()).order_by("due_on", "id"),
                ),
                Prefetch(
                    "events",
                    scoped(self.request.user, TrajectoryEvent.objects.all())
                    .select_related("actor")
                    .order_by("occurred_at", "id"),
                ),
            ),
            pk=self.kwargs.get("pk"),
        )

    def list_rows(self, rows: list[Trajectory]) -> list[Trajectory]:
        return selectors.mark_overdue(rows, on=timezone.localdate())

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A read, as a page's GET (`permission_required`) and the client list: the scope of a
        # case manager (her unit, the ladder mapping) is worked out once for the total and
        # the rows, not once each (issue 18).
        with request_memo():
            return super().list(request, *args, **kwargs)

    @extend_schema(responses=TrajectoryDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        trajectory = self._trajectory()
        _audit_read(request, trajectory, "Traject ophalen via API")
        return Response(TrajectoryDetailSerializer(trajectory).data)

    @extend_schema(
        request=TrajectoryOrderSerializer,
        responses={201: TrajectoryDetailSerializer},
        description="Bestel een traject voor een klant (opdrachtformulier, R-TRJ-1). Dezelfde "
        "controles als de bestelpagina: alleen klanten binnen uw scope (anders een fout op "
        "`client`, ook als de klant niet bestaat), alleen bestelbare producten (R-NET-2, "
        "R-NET-3), de afslag van de participatierotonde met een reden als een eerdere afslag "
        "wordt overgeslagen (R-LAD-4). Antwoord 201 met `Location`.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Order a trajectory through `services.trajectory_order` (R-TRJ-1, R-LAD-4)."""
        # The body's other fields are the order's own keywords (rotonde exit, aim, start,
        # absence risk, budget).
        data = valid_body(TrajectoryOrderSerializer, request)
        client = visible_or_invalid(
            request.user,
            Client.objects.all(),
            data.pop("client"),
            field="client",
            noun="Deze klant",
        )
        product = visible_or_invalid(
            request.user,
            Product.objects.select_related("provider", "product_code"),
            data.pop("product"),
            field="product",
            noun="Dit product",
        )
        created = services.trajectory_order(
            actor=actor_of(request), client=client, product=product, **data
        )
        self.kwargs["pk"] = created.pk
        location = request.build_absolute_uri(
            reverse("api:trajectory-detail", kwargs={"pk": created.pk})
        )
        return Response(
            TrajectoryDetailSerializer(self._trajectory()).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(request=TransitionSerializer, responses=TrajectoryDetailSerializer)
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        """Perform one transition of the workflow with its payload (R-TRJ-2)."""
        trajectory = self._trajectory()
        data = valid_body(TransitionSerializer, request)  # action, reason, payload
        services.trajectory_transition(actor=actor_of(request), trajectory=trajectory, **data)
        return Response(TrajectoryDetailSerializer(self._trajectory()).data)

    @_list_and_add("quotes", QuoteSerializer, request=QuoteReviseSerializer)
    def quotes(self, request: Request, pk: str | None = None) -> Response:
        """Every version of the quote (GET). POST: the provider replaces a wrong quote by a
        revised one; the case manager approves it again (R-TRJ-1). Until then the approved
        price terms stay."""
        trajectory = self._trajectory()
        if request.method == "GET":
            _audit_read(request, trajectory, "Offertes ophalen via API")
            return Response(
                QuoteSerializer(selectors.trajectory_quotes(trajectory), many=True).data
            )
        data = valid_body(QuoteReviseSerializer, request)  # amount, rate, hours, text, file
        quote = services.quote_revise(
            actor=actor_of(request), trajectory=trajectory, upload=data.pop("file"), **data
        )
        return Response(QuoteSerializer(quote).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuoteDecisionSerializer, responses=QuoteSerializer)
    @action(detail=True, methods=["post"], url_path="quotes/_approve")
    def quote_approve(self, request: Request, pk: str | None = None) -> Response:
        """The case manager approves the revised quote: the trajectory's price terms follow
        it, and its open invoices are checked again on them (R-TRJ-1, R-BILL-1)."""
        data = valid_body(QuoteDecisionSerializer, request)  # reason
        quote = services.quote_revision_approve(
            actor=actor_of(request), trajectory=self._trajectory(), **data
        )
        return Response(QuoteSerializer(quote).data)

    @extend_schema(request=QuoteDecisionSerializer, responses=QuoteSerializer)
    @action(detail=True, methods=["post"], url_path="quotes/_reject")
    def quote_reject(self, request: Request, pk: str | None = None) -> Response:
        """The case manager rejects the revised quote, with a reason; the approved price
        terms stay (R-TRJ-1)."""
        data = valid_body(QuoteDecisionSerializer, request)  # reason
        quote = services.quote_revision_reject(
            actor=actor_of(request), trajectory=self._trajectory(), **data
        )
        return Response(QuoteSerializer(quote).data)

    @_list_and_add("reports", DocumentSerializer, request=DocumentCreateSerializer)
    def reports(self, request: Request, pk: str | None = None) -> Response:
        """Documents: quote, plan, progress/final report, requests, handover note."""
        trajectory = self._trajectory()
        if request.method == "GET":
            documents = selectors.trajectory_documents(trajectory, user=actor_of(request))
            _audit_read(request, trajectory, "Trajectdocumenten ophalen via API")
            return Response(DocumentSerializer(documents, many=True).data)
        # The document's own fields, its file as the upload.
        data = valid_body(DocumentCreateSerializer, request)
        document = services.trajectory_document_submit(
            actor=actor_of(request), trajectory=trajectory, upload=data.pop("file", None), **data
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={
            200: OutcomeSerializer,
            404: OpenApiResponse(
                description="Niet gevonden, of u heeft er geen toegang toe; of er is nog "
                "geen resultaat vastgelegd."
            ),
        },
    )
    @extend_schema(methods=["PATCH"], request=OutcomeSerializer, responses=OutcomeSerializer)
    @action(detail=True, methods=["get", "patch"], url_path="outcome")
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        """The result of the trajectory (R-TRJ-7): werkfit, placement (employer, start,
        hours, contract, LKS, garantiebaan, beschut werk), education, participation, care
        referral, and the placement's durability check. PATCH records or corrects it, by
        the provider or the case manager, once the trajectory runs; only the fields sent
        change. The dates are checked against the trajectory (R-SEC-6)."""
        trajectory = self._trajectory()
        if request.method == "GET":
            outcome = selectors.trajectory_outcome(trajectory, user=actor_of(request))
            if outcome is None:
                raise NotFound("Voor dit traject is nog geen resultaat vastgelegd.")
            _audit_read(request, trajectory, "Resultaat ophalen via API")
            return Response(OutcomeSerializer(outcome).data)
        body = OutcomeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        outcome = services.outcome_record(
            actor=actor_of(request), trajectory=trajectory, **body.validated_data
        )
        return Response(OutcomeSerializer(outcome).data)

    @_list_and_add("absences", AbsenceSerializer)
    def absences(self, request: Request, pk: str | None = None) -> Response:
        """The absence history, and reporting an absence (R-ABS-1)."""
        trajectory = self._trajectory()
        if request.method == "GET":
            _audit_read(request, trajectory, "Verzuimhistorie ophalen via API")
            return Response(
                AbsenceSerializer(
                    selectors.trajectory_absences(trajectory, user=actor_of(request)), many=True
                ).data
            )
        data = valid_body(AbsenceSerializer, request)  # occurred_at, reason, problematic
        absence = services.absence_report(actor=actor_of(request), trajectory=trajectory, **data)
        return Response(AbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)

    @_list_and_add("appointments", AppointmentSerializer)
    def appointments(self, request: Request, pk: str | None = None) -> Response:
        """The appointments of a trajectory with their attendance (R-ABS-1); POST plans one.
        Provider tokens reach only their own provider's trajectories (R-SEC-1)."""
        trajectory = self._trajectory()
        if request.method == "GET":
            _audit_read(request, trajectory, "Afspraken en aanwezigheid ophalen via API")
            return Response(
                AppointmentSerializer(
                    trajectory.appointments.order_by("starts_at", "id"), many=True
                ).data
            )
        data = valid_body(AppointmentSerializer, request)  # starts_at, description
        appointment = services.appointment_create(
            actor=actor_of(request), trajectory=trajectory, **data
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceSerializer, responses=AppointmentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"appointments/(?P<appointment_id>[0-9]+)/attendance",
    )
    def attendance(
        self, request: Request, pk: str | None = None, appointment_id: str | None = None
    ) -> Response:
        """Record attendance of one appointment (R-ABS-1); `absent` with a reason is also
        reported as absence. Travel claims are checked against this register (R-BILL-9)."""
        trajectory = self._trajectory()
        appointment = get_object_for_user(
            request.user, Appointment.objects.filter(trajectory=trajectory), pk=appointment_id
        )
        data = valid_body(AttendanceSerializer, request)  # status, reason, problematic
        appointment = services.attendance_record(
            actor=actor_of(request), appointment=appointment, **data
        )
        return Response(AppointmentSerializer(appointment).data)
