"""Every state change of a trajectory (R-TRJ-1..7, R-ABS-1).

- `trajectory_order` places an order (R-TRJ-1): refuses what `product_orderability` refuses,
  fixes the price valid on the order date (R-NET-6), checks the participatierotonde (R-LAD-4).
- `trajectory_transition` is the ONE way a trajectory changes state: it locks the row, asks
  the workflow table (`workflow.check_transition`), enforces the reason, updates dates and due
  dates (R-TRJ-3, R-TRJ-4), and records the event on the trajectory's history, the client's
  timeline and the audit trail (R-TRJ-2, R-SEC-2).
- documents, appointments/absence (R-ABS-1) and outcomes (R-TRJ-7) each have one service.
Every service runs in one transaction: a failure leaves nothing half-written (R-SEC-6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import ROTONDE_ORDER, Client, RotondeExit
from opstap.clients.services import client_event_record
from opstap.core.access import can_see
from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.core.roles import Perm, RoleCode
from opstap.documents import services as uploads
from opstap.notifications.models import Notification
from opstap.notifications.services import notification_send
from opstap.providers.models import Product, Tile
from opstap.providers.selectors import product_price_on
from opstap.providers.services import product_orderability, provider_record_activity

from . import date_rules, handoffs
from . import deadlines as dl
from . import price_terms as pt
from .models import (
    PROGRESS_REPORT_KIND,
    Absence,
    AbsenceRisk,
    Appointment,
    AttendanceStatus,
    Deadline,
    DeadlineNotification,
    DocumentKind,
    EquatedDay,
    Outcome,
    Quote,
    QuoteStatus,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)
from .outcomes import Durability, durability, durability_check_due
from .selectors import TRAJECTORY_COUNTS
from .workflow import (
    ENDED_STATES,
    REPORTING_STATES,
    Action,
    IllegalTransition,
    State,
    check_transition,
    starts_with_quote,
)

__all__ = [
    "ALLOWED_UPLOAD_TYPES",
    "MAX_UPLOAD_BYTES",
    "TrajectoryError",
    "absence_report",
    "appointment_create",
    "attendance_record",
    "deadlines_send_notifications",
    "equated_day_delete",
    "equated_day_save",
    "handoff_notify",
    "outcome_record",
    "outcomes_check_durability",
    "quote_revise",
    "quote_revision_approve",
    "quote_revision_reject",
    "trajectory_document_share",
    "trajectory_document_submit",
    "trajectory_order",
    "trajectory_transition",
]

#: Uploads: PDF, Word (DOCX), OpenDocument text and images, at most 10 MB (one shared rule).
MAX_UPLOAD_BYTES = uploads.MAX_UPLOAD_BYTES
ALLOWED_UPLOAD_TYPES = uploads.DOCUMENTS


class TrajectoryError(InvalidInputError):
    """A refused trajectory change; `message` is Dutch and meant for the user."""


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _workflow_roles(actor: Actor, trajectory: Trajectory) -> frozenset[RoleCode]:
    """Provider staff act only for their own provider; case managers for clients they see."""
    from .selectors import user_workflow_roles

    return user_workflow_roles(actor, trajectory)


def _check_visible(actor: Actor, trajectory: Trajectory) -> None:
    if actor is None or not can_see(actor, trajectory):
        # The same words as a missing trajectory: its existence is no secret worth leaking.
        raise TrajectoryError("Dit traject bestaat niet of u heeft er geen toegang toe.")


def _as_date(value: Any, *, field: str, label: str, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise TrajectoryError(f"Vul de {label} in.", field=field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise TrajectoryError(
            f"De {label} '{value}' is geen geldige datum (jjjj-mm-dd).", field=field
        ) from exc


def _date_facts(trajectory: Trajectory) -> date_rules.Facts:
    """The trajectory's own dates, as stored (R-SEC-6: facts, not the claimant's input)."""
    return date_rules.Facts(
        order_date=trajectory.order_date,
        intake_held_on=trajectory.intake_held_on,
        start_date=trajectory.start_date,
        planned_end_date=trajectory.planned_end_date,
        actual_end_date=trajectory.actual_end_date,
    )


def _refuse_date(problem: date_rules.DateProblem | None) -> None:
    """Raise the Dutch refusal of a date check (R-SEC-1, R-SEC-6), if any."""
    if problem is not None:
        raise TrajectoryError(problem.message, field=problem.field, code="invalid_date")


def _deadline_add(
    trajectory: Trajectory,
    kind: dl.DeadlineKind | str,
    due_on: dt.date,
    *,
    label: str,
    responsible: RoleCode,
    rule: str,
) -> Deadline:
    return Deadline.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        kind=str(kind),
        label=label,
        due_on=due_on,
        responsible_role=responsible.value,
        rule=rule,
    )


def _equated_days(trajectory: Trajectory) -> frozenset[dt.date]:
    """The decree-equated days (Atw art. 3(3)) for this operation: loaded once through
    `selectors.equated_days()` and kept on the (locked) trajectory instance of the order or
    transition, so an operation that stores several deadlines runs one query."""
    cached: frozenset[dt.date] | None = getattr(trajectory, "_equated_days_cache", None)
    if cached is None:
        from .selectors import equated_days

        cached = equated_days()
        trajectory._equated_days_cache = cached  # type: ignore[attr-defined]
    return cached


def _deadline_from_rule(trajectory: Trajectory, kind: dl.DeadlineKind, anchor: dt.date) -> None:
    rule = dl.RULES_BY_KIND[kind]
    _deadline_add(
        trajectory,
        kind,
        dl.due_date(rule, anchor, equated_days=_equated_days(trajectory)),
        label=rule.label_nl,
        responsible=rule.responsible,
        rule=rule.rule,
    )


def _deadlines_meet(trajectory: Trajectory, kinds: Iterable[str], on: dt.date) -> int:
    return Deadline.objects.filter(
        trajectory=trajectory, kind__in=list(kinds), met_on__isnull=True, cancelled_on__isnull=True
    ).update(met_on=on)


def _deadlines_cancel(trajectory: Trajectory, kinds: Iterable[str] | None, on: dt.date) -> None:
    qs = Deadline.objects.filter(
        trajectory=trajectory, met_on__isnull=True, cancelled_on__isnull=True
    )
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    qs.update(cancelled_on=on)


def _next_due_refresh(trajectory: Trajectory) -> None:
    """Store the earliest open deadline on the trajectory (`next_due_on`), so overdue lists
    filter on one indexed column. Every service that adds, meets or cancels a deadline calls
    this inside its transaction; a test walks the workflow and compares it with the deadlines."""
    earliest = Deadline.objects.filter(
        trajectory_id=trajectory.pk, met_on__isnull=True, cancelled_on__isnull=True
    ).aggregate(first=Min("due_on"))["first"]
    if earliest != trajectory.next_due_on:
        trajectory.next_due_on = earliest
        Trajectory.objects.filter(pk=trajectory.pk).update(next_due_on=earliest)
        TRAJECTORY_COUNTS.changed_now_and_on_commit(trajectory.organisation_id)


def _schedule_running_deadlines(trajectory: Trajectory) -> None:
    """Progress reports (R-TRJ-4) and the last day to ask an extension (R-TRJ-3)."""
    assert trajectory.start_date is not None and trajectory.planned_end_date is not None
    equated = _equated_days(trajectory)
    for report in dl.progress_report_due_dates(
        trajectory.product_code,
        start=trajectory.start_date,
        planned_end=trajectory.planned_end_date,
        equated_days=equated,
    ):
        _deadline_add(
            trajectory,
            PROGRESS_REPORT_KIND,
            report.due,
            label=report.label_nl,
            responsible=RoleCode.PROVIDER_STAFF,
            rule="R-TRJ-4",
        )
    extension_due = dl.due_date(
        dl.DeadlineKind.EXTENSION_REQUEST, trajectory.planned_end_date, equated_days=equated
    )
    if extension_due >= trajectory.start_date:
        _deadline_from_rule(
            trajectory, dl.DeadlineKind.EXTENSION_REQUEST, trajectory.planned_end_date
        )


def _record(
    *,
    actor: Actor,
    trajectory: Trajectory,
    action: str,
    from_state: str,
    reason: str,
    payload: Mapping[str, Any],
    summary: str,
    changes: Mapping[str, Any] | None = None,
) -> TrajectoryEvent:
    """The trajectory event, the client's timeline entry and the audit record."""
    now = timezone.now()
    event = TrajectoryEvent.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        occurred_at=now,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=trajectory.state,
        reason=reason,
        payload=dict(payload),
    )
    client_event_record(
        client=trajectory.client,
        kind="trajectory",
        summary=summary,
        actor=actor,
        note=reason,
        data={"trajectory": trajectory.pk, "action": action, "state": trajectory.state},
        source="trajectories",
        occurred_at=now,
    )
    audit_log(
        action=AuditAction.CREATE if action == "order" else AuditAction.UPDATE,
        actor=actor,
        object_type="trajectory",
        object_id=trajectory.pk,
        client_id=trajectory.client_id,
        purpose=summary[:200],
        changes={"state": [from_state, trajectory.state], **(changes or {})},
        organisation_id=trajectory.organisation_id,
    )
    if actor is not None and actor.has_role(RoleCode.PROVIDER_STAFF):
        provider_record_activity(provider=trajectory.provider, on=now.date())
    return event


# --------------------------------------------------------------------------------------------
# Ordering (R-TRJ-1)
# --------------------------------------------------------------------------------------------


def _parse_money(value: Decimal | str | int | None, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise TrajectoryError("Vul een geldig bedrag in.", field=field) from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise TrajectoryError("Vul een positief bedrag in euro's en centen in.", field=field)
    return amount


def _check_rotonde(
    client: Client, aimed: str, skip_reason: str, exclude_pk: int | None = None
) -> None:
    """R-LAD-4: an earlier exit not tried before (by an earlier order) needs a reason."""
    try:
        exit_ = RotondeExit(aimed)
    except ValueError as exc:
        raise TrajectoryError(
            "Kies de afslag van de participatierotonde.", field="rotonde_exit"
        ) from exc
    earlier = Trajectory.objects.filter(client=client)
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    tried = set(earlier.values_list("rotonde_exit", flat=True))
    skipped = [e for e in ROTONDE_ORDER[: ROTONDE_ORDER.index(exit_)] if e.value not in tried]
    if skipped and not skip_reason.strip():
        from opstap.clients.models import ROTONDE_LABELS_NL

        names = ", ".join(ROTONDE_LABELS_NL[e] for e in skipped)
        raise TrajectoryError(
            f"U slaat een eerdere afslag van de participatierotonde over ({names}); "
            "geef aan waarom (R-LAD-4).",
            field="rotonde_skip_reason",
        )


@transaction.atomic
def trajectory_order(
    *,
    actor: Actor,
    client: Client,
    product: Product,
    rotonde_exit: str,
    aim_tiles: Sequence[str] = (),
    aim_description: str = "",
    rotonde_skip_reason: str = "",
    wished_start: dt.date | None = None,
    absence_risk: str = AbsenceRisk.NONE,
    budget: Decimal | str | int | None = None,
    on: dt.date | None = None,
) -> Trajectory:
    """Order `product` for `client` (R-TRJ-1). Refused with the reason when the product
    cannot be ordered (provider suspended, contract ended, certificate lapsed...); the price
    is the one valid on the order date (R-NET-6); codes 2, 4 and 5 start with a quote."""
    on = on or _today()
    if actor is None or not actor.has_opstap_perm(Perm.TRAJECTORY_ORDER):
        raise TrajectoryError("Alleen een klantmanager kan een traject bestellen.")
    if client.organisation_id != actor.organisation_id or (
        product.organisation_id != actor.organisation_id
    ):
        raise TrajectoryError("Klant of product hoort niet bij uw organisatie.")
    if not can_see(actor, client):
        raise TrajectoryError("Deze klant bestaat niet of u heeft er geen toegang toe.")
    orderable, why = product_orderability(product=product, on=on)
    if not orderable:
        raise TrajectoryError(why, field="product", code="not_orderable")
    if absence_risk not in AbsenceRisk.values:
        raise TrajectoryError("Kies een verzuimrisico.", field="absence_risk")
    _check_rotonde(client, rotonde_exit, rotonde_skip_reason)
    tiles = [str(t).strip() for t in aim_tiles if str(t).strip()]
    known = set(Tile.objects.filter(code__in=tiles).values_list("code", flat=True))
    if unknown := [t for t in tiles if t not in known]:
        raise TrajectoryError(f"Onbekende tegel(s): {', '.join(unknown)}.", field="aim_tiles")
    budget_amount = _parse_money(budget, field="budget")
    code = product.product_code.code
    trajectory = Trajectory.objects.create(
        organisation_id=actor.organisation_id,
        client=client,
        product=product,
        provider_id=product.provider_id,
        product_code=code,
        case_manager=actor,
        state=State.ORDERED.value,
        aim_tiles=tiles,
        aim_description=aim_description.strip(),
        rotonde_exit=rotonde_exit,
        rotonde_skip_reason=rotonde_skip_reason.strip(),
        wished_start=wished_start,
        absence_risk=absence_risk,
        budget=budget_amount,
        order_date=on,
        **_terms_fields(pt.terms_from_product(code, product_price_on(product, on))),
    )
    # Intake within 14 days of the order (R-TRJ-3), for every product code: a quote product
    # (codes 2, 4, 5) does not restart the period when its quote is approved.
    _deadline_from_rule(trajectory, dl.DeadlineKind.INTAKE, on)
    _next_due_refresh(trajectory)
    event = _record(
        actor=actor,
        trajectory=trajectory,
        action="order",
        from_state="",
        reason="",
        payload={"product": product.pk, "price": str(trajectory.price or ""), "code": code},
        summary=f"Traject besteld: {product.name} bij {product.provider.name}",
        changes={"product": [None, product.pk], "price": [None, str(trajectory.price or "")]},
    )
    handoff_notify(
        event=handoffs.ORDER,
        actor=actor,
        trajectory=trajectory,
        dedupe_key=f"trajectory-event:{event.pk}",
    )
    return trajectory


# --------------------------------------------------------------------------------------------
# The one transition service (R-TRJ-2)
# --------------------------------------------------------------------------------------------


def _apply_effects(
    trajectory: Trajectory,
    action: Action,
    payload: dict[str, Any],
    reason: str,
    on: dt.date,
    *,
    has_document: bool = False,
    actor: Any = None,
) -> None:
    """Dates and due dates that follow from a transition (R-TRJ-3, R-TRJ-4)."""
    if action is Action.SUBMIT_QUOTE:
        _quote_create(
            trajectory, payload, text=reason, has_document=has_document, on=on, actor=actor
        )
    elif action is Action.APPROVE_QUOTE:
        # The approved quote fixes the price terms of a variable (or hourly) product.
        _quote_approve(trajectory, payload, on=on, actor=actor)
    elif action is Action.REJECT_QUOTE:
        Quote.objects.filter(trajectory=trajectory, status=QuoteStatus.SUBMITTED).update(
            status=QuoteStatus.REJECTED, decided_by=actor, decided_on=on, decision_reason=reason
        )
    elif action is Action.PLAN_INTAKE:
        trajectory.intake_date = _as_date(
            payload.get("intake_date"), field="intake_date", label="intakedatum", required=True
        )
        assert trajectory.intake_date is not None
        _refuse_date(
            date_rules.intake_date_problem(trajectory.intake_date, _date_facts(trajectory), on)
        )
        payload["intake_date"] = (
            trajectory.intake_date.isoformat() if trajectory.intake_date else ""
        )
    elif action is Action.HOLD_INTAKE:
        held = _as_date(payload.get("held_on"), field="held_on", label="intakedatum") or on
        _refuse_date(date_rules.held_on_problem(held, _date_facts(trajectory), on))
        trajectory.intake_held_on = held
        payload["held_on"] = held.isoformat()
        _deadlines_meet(trajectory, [dl.DeadlineKind.INTAKE], held)
        _deadline_from_rule(trajectory, dl.DeadlineKind.PLAN, held)
    elif action is Action.SUBMIT_PLAN:
        _deadlines_meet(trajectory, [dl.DeadlineKind.PLAN], on)
    elif action is Action.APPROVE_PLAN:
        trajectory.plan_approved_on = on
        _deadline_from_rule(trajectory, dl.DeadlineKind.START, on)
    elif action is Action.START:
        start = _as_date(payload.get("start_date"), field="start_date", label="startdatum") or on
        planned_end = _as_date(
            payload.get("planned_end_date"), field="planned_end_date", label="geplande einddatum"
        ) or start + dt.timedelta(days=trajectory.product.nominal_duration_days)
        _refuse_date(
            date_rules.start_problem(
                start,
                planned_end,
                _date_facts(trajectory),
                on,
                trajectory.product.nominal_duration_days,
            )
        )
        trajectory.start_date, trajectory.planned_end_date = start, planned_end
        payload.update(start_date=start.isoformat(), planned_end_date=planned_end.isoformat())
        _deadlines_meet(trajectory, [dl.DeadlineKind.START], start)
        _schedule_running_deadlines(trajectory)
    elif action is Action.REQUEST_EXTENSION:
        _deadlines_meet(trajectory, [dl.DeadlineKind.EXTENSION_REQUEST], on)
    elif action is Action.APPROVE_EXTENSION:
        new_end = _as_date(
            payload.get("new_planned_end_date"),
            field="new_planned_end_date",
            label="nieuwe einddatum",
            required=True,
        )
        assert new_end is not None
        _refuse_date(date_rules.extension_problem(new_end, _date_facts(trajectory)))
        payload.update(
            previous_planned_end_date=(
                trajectory.planned_end_date.isoformat() if trajectory.planned_end_date else ""
            ),
            new_planned_end_date=new_end.isoformat(),
        )
        trajectory.planned_end_date = new_end
        # Open progress reports and the extension deadline move with the new end date.
        _deadlines_cancel(trajectory, [PROGRESS_REPORT_KIND, dl.DeadlineKind.EXTENSION_REQUEST], on)
        _schedule_running_deadlines(trajectory)
        # Periodic reports already delivered before today stay delivered.
        Deadline.objects.filter(
            trajectory=trajectory,
            kind=PROGRESS_REPORT_KIND,
            due_on__lt=on,
            met_on__isnull=True,
            cancelled_on__isnull=True,
        ).update(cancelled_on=on)
    elif action is Action.RECEIVE_FINAL_REPORT:
        trajectory.final_report_on = on
        _deadlines_meet(trajectory, [dl.DeadlineKind.FINAL_REPORT], on)
    elif action is Action.HAND_OVER:
        trajectory.handed_over_on = on
    if State(trajectory.state) in ENDED_STATES or trajectory.state == State.QUOTE_REJECTED.value:
        end = _as_date(payload.get("end_date"), field="end_date", label="einddatum") or on
        _refuse_date(date_rules.end_problem(end, _date_facts(trajectory), on))
        trajectory.actual_end_date = end
        trajectory.end_reason = reason
        payload["end_date"] = end.isoformat()
        _deadlines_cancel(trajectory, None, on)
        if trajectory.state != State.QUOTE_REJECTED.value:
            _deadline_from_rule(trajectory, dl.DeadlineKind.FINAL_REPORT, end)


@transaction.atomic
def trajectory_transition(
    *,
    actor: Actor,
    trajectory: Trajectory,
    action: Action | str,
    reason: str = "",
    payload: Mapping[str, Any] | None = None,
    on: dt.date | None = None,
    has_document: bool = False,
) -> Trajectory:
    """Take one step of the workflow (R-TRJ-2). Illegal steps raise `IllegalTransition`
    (a Dutch message naming the step and why); other refusals raise `TrajectoryError`.
    `has_document` is set by `trajectory_document_submit` when a quote comes with a file (a
    quote needs a text or a document)."""
    on = on or _today()
    try:
        action = Action(action)
    except ValueError as exc:
        raise TrajectoryError(f"Onbekende handeling '{action}'.", field="action") from exc
    _check_visible(actor, trajectory)
    # Lock the row: a provider and a case manager acting at once take turns.
    locked = (
        Trajectory.objects.select_for_update(of=("self",))
        .select_related("client", "product", "provider")
        .get(pk=trajectory.pk)
    )
    transition = check_transition(
        state=State(locked.state),
        action=action,
        role_codes=_workflow_roles(actor, locked),
        product_code=locked.product_code,
    )
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise TrajectoryError(
            f"Geef een reden op voor '{action.label}'.", field="reason", code="reason_required"
        )
    data: dict[str, Any] = dict(payload or {})
    from_state = locked.state
    locked.state = transition.to_state.value
    _apply_effects(locked, action, data, reason, on, has_document=has_document, actor=actor)
    locked.save()
    _next_due_refresh(locked)
    event = _record(
        actor=actor,
        trajectory=locked,
        action=action.value,
        from_state=from_state,
        reason=reason,
        payload=data,
        summary=f"Traject {locked.product.name}: {action.label} ({transition.to_state.label})",
    )
    # The hand-off: the other side hears about the work this step gives it (handoffs.py).
    handoff_notify(
        event=action.value,
        actor=actor,
        trajectory=locked,
        dedupe_key=f"trajectory-event:{event.pk}",
        reason=reason,
    )
    # Keep the caller's instance in step with the stored row.
    trajectory.refresh_from_db()
    return trajectory


# --------------------------------------------------------------------------------------------
# Documents (quote, plan, reports, requests, final report, handover note)
# --------------------------------------------------------------------------------------------


def check_upload(upload: UploadedFile[Any]) -> str:
    """Type (by extension AND content) and size (≤ 10 MB) of an upload; its MIME type."""
    try:
        return uploads.check_upload(upload, allowed=ALLOWED_UPLOAD_TYPES)
    except uploads.UploadRefusedError as exc:
        raise TrajectoryError(str(exc), field="file") from exc


def _clean_list(values: Iterable[Any] | None) -> list[str]:
    return [str(v).strip() for v in (values or []) if str(v).strip()]


@transaction.atomic
def trajectory_document_submit(
    *,
    actor: Actor,
    trajectory: Trajectory,
    kind: str,
    title: str,
    text: str = "",
    goals: Iterable[str] | None = None,
    result_agreements: Iterable[str] | None = None,
    signed_by_candidate: bool = False,
    upload: UploadedFile[Any] | None = None,
    reason: str = "",
    payload: Mapping[str, Any] | None = None,
    on: dt.date | None = None,
) -> TrajectoryDocument:
    """Submit a document; a quote, plan, extension or return request, final report or
    handover note also performs its transition (one transaction: both or neither). A
    progress report meets the earliest open progress-report due date (R-TRJ-4)."""
    from .selectors import document_action

    on = on or _today()
    if kind not in DocumentKind.values:
        raise TrajectoryError("Kies het soort document.", field="kind")
    if not title.strip():
        raise TrajectoryError("Geef het document een titel.", field="title")
    _check_visible(actor, trajectory)
    goal_list = _clean_list(goals)
    if kind == DocumentKind.PLAN and not goal_list:
        raise TrajectoryError("Een plan van aanpak bevat ten minste één doel.", field="goals")
    content_type = check_upload(upload) if upload is not None else ""
    action = document_action(kind)
    if action is not None:
        # A request or report carries its reason in the document text when none is given.
        trajectory = trajectory_transition(
            actor=actor,
            trajectory=trajectory,
            action=action,
            reason=reason or text,
            payload={**(payload or {}), "document_kind": kind},
            on=on,
            has_document=upload is not None,
        )
    elif kind == DocumentKind.PROGRESS_REPORT:
        if trajectory.state not in REPORTING_STATES:
            raise TrajectoryError(
                "Een voortgangsrapportage kan alleen bij een lopend traject.", field="kind"
            )
        if not _workflow_roles(actor, trajectory):
            raise TrajectoryError("Alleen de aanbieder of de klantmanager kan rapporteren.")
        first_open = (
            Deadline.objects.filter(
                trajectory=trajectory,
                kind=PROGRESS_REPORT_KIND,
                met_on__isnull=True,
                cancelled_on__isnull=True,
            )
            .order_by("due_on")
            .first()
        )
        if first_open is not None:
            first_open.met_on = on
            first_open.save(update_fields=["met_on"])
            _next_due_refresh(trajectory)
    document = TrajectoryDocument(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        kind=kind,
        title=title.strip()[:200],
        text=text.strip(),
        goals=goal_list,
        result_agreements=_clean_list(result_agreements),
        signed_by_candidate=bool(signed_by_candidate),
        submitted_by=actor,
        submitted_at=timezone.now(),
        content_type=content_type,
    )
    if upload is not None:
        document.file_name = (upload.name or "")[:255]
        document.size = upload.size or 0
        document.file.save(upload.name or "document", upload, save=False)
    document.save()
    if kind == DocumentKind.QUOTE:
        Quote.objects.filter(trajectory=trajectory, status=QuoteStatus.SUBMITTED).update(
            document=document
        )
    if action is None:
        _record(
            actor=actor,
            trajectory=trajectory,
            action="document",
            from_state=trajectory.state,
            reason="",
            payload={"document": document.pk, "kind": kind},
            summary=f"Traject {trajectory.product.name}: {DocumentKind(kind).label} ingediend",
        )
    return document


# --------------------------------------------------------------------------------------------
# Quotes and price terms (R-TRJ-1, R-BILL-1)
# --------------------------------------------------------------------------------------------


def _terms_fields(terms: pt.PriceTerms) -> dict[str, Any]:
    return {
        "price_basis": terms.basis.value,
        "price": terms.price,
        "hourly_rate": terms.hourly_rate,
        "agreed_hours": terms.agreed_hours,
        "budget_cap": terms.budget_cap,
        "price_source": terms.source.value,
    }


def price_terms_of(trajectory: Trajectory) -> pt.PriceTerms:
    """The explicit price terms a trajectory holds (what the payment rules read)."""
    try:
        return pt.PriceTerms(
            basis=pt.PriceBasis(trajectory.price_basis),
            price=trajectory.price,
            hourly_rate=trajectory.hourly_rate,
            agreed_hours=trajectory.agreed_hours,
            budget_cap=trajectory.budget_cap,
            source=pt.PriceSource(trajectory.price_source),
        )
    except (pt.PriceTermsError, ValueError) as exc:
        raise TrajectoryError(str(exc), field="price_terms") from exc


def _decimal(value: Any, *, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise TrajectoryError(f"{label} is geen geldig getal.", field=field) from exc
    if not amount.is_finite():
        raise TrajectoryError(f"{label} is geen geldig getal.", field=field)
    return amount


def _quote_content(payload: Mapping[str, Any], *, text: str, has_document: bool) -> pt.QuoteContent:
    return pt.QuoteContent(
        amount=_decimal(payload.get("amount"), field="amount", label="Het offertebedrag"),
        hourly_rate=_decimal(
            payload.get("hourly_rate"), field="hourly_rate", label="Het uurtarief"
        ),
        hours=_decimal(payload.get("hours"), field="hours", label="Het aantal uren"),
        text=text,
        has_document=has_document,
    )


def _quote_create(
    trajectory: Trajectory,
    payload: dict[str, Any],
    *,
    text: str,
    has_document: bool,
    on: dt.date,
    actor: Any = None,
) -> Quote:
    """Validate and store a quote (version n+1); its figures also go into the event payload
    so the history shows them (R-TRJ-2)."""
    content = _quote_content(payload, text=text, has_document=has_document)
    try:
        pt.validate_quote(trajectory.product_code, content)
    except pt.PriceTermsError as exc:
        raise TrajectoryError(exc.message, field=exc.field) from exc
    assert content.amount is not None
    last = Quote.objects.filter(trajectory=trajectory).order_by("-version").first()
    quote = Quote.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        version=(last.version + 1) if last is not None else 1,
        amount=content.amount,
        hourly_rate=content.hourly_rate,
        hours=content.hours,
        text=text.strip(),
        submitted_by=actor,
        submitted_on=on,
    )
    payload.update(
        quote=quote.pk,
        version=quote.version,
        amount=str(content.amount),
        hourly_rate=str(content.hourly_rate) if content.hourly_rate is not None else "",
        hours=str(content.hours) if content.hours is not None else "",
    )
    return quote


def _quote_approve(
    trajectory: Trajectory, payload: dict[str, Any], *, on: dt.date, actor: Any, reason: str = ""
) -> Quote:
    """The open quote becomes the approved one; the earlier approved one is superseded and the
    trajectory's price terms follow the latest approved quote (R-BILL-1)."""
    quote = (
        Quote.objects.select_for_update()
        .filter(trajectory=trajectory, status=QuoteStatus.SUBMITTED)
        .first()
    )
    if quote is None:
        raise TrajectoryError(
            "Er is geen ingediende offerte met een bedrag om goed te keuren; de aanbieder "
            "dient eerst een (herziene) offerte in.",
            field="quote",
        )
    content = pt.QuoteContent(
        amount=quote.amount,
        hourly_rate=quote.hourly_rate,
        hours=quote.hours,
        text=quote.text,
        # Text or document was checked when the quote was submitted.
        has_document=True,
    )
    try:
        terms = pt.terms_from_quote(trajectory.product_code, content)
    except pt.PriceTermsError as exc:
        raise TrajectoryError(exc.message, field=exc.field) from exc
    Quote.objects.filter(trajectory=trajectory, status=QuoteStatus.APPROVED).update(
        status=QuoteStatus.SUPERSEDED
    )
    quote.status = QuoteStatus.APPROVED
    quote.decided_by, quote.decided_on, quote.decision_reason = actor, on, reason.strip()
    quote.save(update_fields=["status", "decided_by", "decided_on", "decision_reason"])
    previous = price_terms_of(trajectory)
    for name, value in _terms_fields(terms).items():
        setattr(trajectory, name, value)
    payload.update(
        quote=quote.pk,
        version=quote.version,
        price_terms=terms.label_nl(),
        previous_price_terms=previous.label_nl(),
    )
    return quote


#: States in which a revised quote can replace the open or approved one: after the first
#: quote and before the trajectory was refused.
_NO_REVISION_STATES = frozenset({State.ORDERED.value, State.QUOTE_REJECTED.value})


def _lock_for_quote(actor: Any, trajectory: Trajectory, role: RoleCode) -> Trajectory:
    _check_visible(actor, trajectory)
    locked = (
        Trajectory.objects.select_for_update(of=("self",))
        .select_related("client", "product", "provider")
        .get(pk=trajectory.pk)
    )
    if role not in _workflow_roles(actor, locked):
        who = "de aanbieder" if role is RoleCode.PROVIDER_STAFF else "de klantmanager"
        raise TrajectoryError(f"Alleen {who} van dit traject kan dit doen.", code="forbidden")
    if not starts_with_quote(locked.product_code):
        raise TrajectoryError("Voor dit product is geen offerte nodig.", field="quote")
    return locked


@transaction.atomic
def quote_revise(
    *,
    actor: Any,
    trajectory: Trajectory,
    amount: Decimal | str | None,
    hourly_rate: Decimal | str | None = None,
    hours: Decimal | str | None = None,
    text: str = "",
    upload: UploadedFile[Any] | None = None,
    on: dt.date | None = None,
) -> Quote:
    """The provider replaces a wrong quote by a revised one (R-TRJ-1). While the first quote
    waits for the case manager, the revision takes its place; after approval the case manager
    approves the revision again (`quote_revision_approve`). Every version stays."""
    on = on or _today()
    locked = _lock_for_quote(actor, trajectory, RoleCode.PROVIDER_STAFF)
    if locked.state in _NO_REVISION_STATES:
        raise TrajectoryError(
            "Een herziene offerte kan pas na de eerste offerte en niet na een afwijzing.",
            field="quote",
            code="illegal_transition",
        )
    content_type = check_upload(upload) if upload is not None else ""
    # A revision replaces a quote that still waits for a decision.
    Quote.objects.filter(trajectory=locked, status=QuoteStatus.SUBMITTED).update(
        status=QuoteStatus.SUPERSEDED
    )
    payload: dict[str, Any] = {"amount": amount, "hourly_rate": hourly_rate, "hours": hours}
    quote = _quote_create(
        locked, payload, text=text, has_document=upload is not None, on=on, actor=actor
    )
    if upload is not None:
        document = TrajectoryDocument(
            organisation_id=locked.organisation_id,
            trajectory=locked,
            kind=DocumentKind.QUOTE,
            title=f"Herziene offerte (versie {quote.version})",
            text=text.strip(),
            submitted_by=actor,
            submitted_at=timezone.now(),
            content_type=content_type,
            file_name=(upload.name or "")[:255],
            size=upload.size or 0,
        )
        document.file.save(upload.name or "offerte", upload, save=False)
        document.save()
        quote.document = document
        quote.save(update_fields=["document"])
    _record(
        actor=actor,
        trajectory=locked,
        action="submit_revised_quote",
        from_state=locked.state,
        reason=text.strip(),
        payload=payload,
        summary=f"Traject {locked.product.name}: herziene offerte ingediend (€ {quote.amount})",
    )
    trajectory.refresh_from_db()
    return quote


def _open_revision(locked: Trajectory) -> Quote:
    quote = (
        Quote.objects.select_for_update()
        .filter(trajectory=locked, status=QuoteStatus.SUBMITTED)
        .first()
    )
    if quote is None or locked.state == State.QUOTE_SUBMITTED.value:
        raise TrajectoryError(
            "Er is geen herziene offerte die op uw besluit wacht.",
            field="quote",
            code="illegal_transition",
        )
    return quote


@transaction.atomic
def quote_revision_approve(
    *, actor: Any, trajectory: Trajectory, reason: str = "", on: dt.date | None = None
) -> Quote:
    """The case manager approves a revised quote: the price terms follow it, the earlier
    approved quote is kept as superseded (R-TRJ-1, R-BILL-1)."""
    on = on or _today()
    locked = _lock_for_quote(actor, trajectory, RoleCode.CASE_MANAGER)
    _open_revision(locked)
    payload: dict[str, Any] = {}
    quote = _quote_approve(locked, payload, on=on, actor=actor, reason=reason)
    locked.save()
    _record(
        actor=actor,
        trajectory=locked,
        action="approve_revised_quote",
        from_state=locked.state,
        reason=reason.strip(),
        payload=payload,
        summary=f"Traject {locked.product.name}: herziene offerte goedgekeurd "
        f"({payload['price_terms']})",
        changes={"price_terms": [payload["previous_price_terms"], payload["price_terms"]]},
    )
    trajectory.refresh_from_db()
    return quote


@transaction.atomic
def quote_revision_reject(
    *, actor: Any, trajectory: Trajectory, reason: str, on: dt.date | None = None
) -> Quote:
    """The case manager rejects a revised quote (with a reason); the approved terms stay."""
    on = on or _today()
    if not (reason or "").strip():
        raise TrajectoryError("Geef een reden op voor de afwijzing.", field="reason")
    locked = _lock_for_quote(actor, trajectory, RoleCode.CASE_MANAGER)
    quote = _open_revision(locked)
    quote.status = QuoteStatus.REJECTED
    quote.decided_by, quote.decided_on = actor, on
    quote.decision_reason = reason.strip()
    quote.save(update_fields=["status", "decided_by", "decided_on", "decision_reason"])
    _record(
        actor=actor,
        trajectory=locked,
        action="reject_revised_quote",
        from_state=locked.state,
        reason=reason.strip(),
        payload={"quote": quote.pk, "version": quote.version},
        summary=f"Traject {locked.product.name}: herziene offerte afgewezen",
    )
    trajectory.refresh_from_db()
    return quote


# --------------------------------------------------------------------------------------------
# Appointments, attendance and absence (R-ABS-1)
# --------------------------------------------------------------------------------------------


def _require_provider_or_cm(actor: Actor, trajectory: Trajectory) -> None:
    _check_visible(actor, trajectory)
    if not _workflow_roles(actor, trajectory):
        raise TrajectoryError("Alleen de aanbieder of de klantmanager kan dit vastleggen.")


@transaction.atomic
def appointment_create(
    *, actor: Actor, trajectory: Trajectory, starts_at: dt.datetime, description: str = ""
) -> Appointment:
    _require_provider_or_cm(actor, trajectory)
    if timezone.is_naive(starts_at):
        raise TrajectoryError("Het tijdstip heeft een tijdzone nodig.", field="starts_at")
    _refuse_date(
        date_rules.appointment_problem(
            timezone.localtime(starts_at).date(), _date_facts(trajectory), _today()
        )
    )
    appointment = Appointment.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        starts_at=starts_at,
        description=description.strip()[:200],
    )
    _record(
        actor=actor,
        trajectory=trajectory,
        action="appointment",
        from_state=trajectory.state,
        reason="",
        payload={"appointment": appointment.pk},
        summary=f"Afspraak gepland op {timezone.localtime(starts_at):%d-%m-%Y %H:%M}",
    )
    return appointment


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    appointment: Appointment,
    status: str,
    reason: str = "",
    problematic: bool = False,
) -> Appointment:
    """Register attendance in the register (R-ABS-1) that travel claims are checked against
    (R-BILL-9). An absence also goes through `absence_report` (with its reason) so it is
    reported and judged. Attended or absent can only be recorded once the appointment began."""
    _require_provider_or_cm(actor, appointment.trajectory)
    if status not in AttendanceStatus.values or status == AttendanceStatus.PLANNED:
        raise TrajectoryError("Kies aanwezig, afwezig, afgezegd of verplaatst.", field="status")
    if status == AttendanceStatus.ABSENT and not reason.strip():
        raise TrajectoryError("Geef de reden van het verzuim op.", field="reason")
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    now = timezone.now()
    if status in (AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT) and (
        appointment.starts_at > now
    ):
        raise TrajectoryError(
            "Deze afspraak is nog niet begonnen: aanwezigheid kunt u daarna vastleggen.",
            field="status",
        )
    before = appointment.attendance
    appointment.attendance = status
    appointment.recorded_at = now
    appointment.save(update_fields=["attendance", "recorded_at"])
    trajectory = appointment.trajectory
    _record(
        actor=actor,
        trajectory=trajectory,
        action="attendance",
        from_state=trajectory.state,
        reason="",
        payload={"appointment": appointment.pk, "attendance": status},
        summary=(
            f"Aanwezigheid {timezone.localtime(appointment.starts_at):%d-%m-%Y}: "
            f"{AttendanceStatus(status).label}"
        ),
        changes={"attendance": [before, status]},
    )
    if status == AttendanceStatus.ABSENT and before != AttendanceStatus.ABSENT:
        absence_report(
            actor=actor,
            trajectory=trajectory,
            occurred_at=appointment.starts_at,
            reason=reason,
            problematic=problematic,
            appointment=appointment,
            reported_at=now,
        )
    return appointment


@transaction.atomic
def trajectory_document_share(
    *, actor: Any, document: TrajectoryDocument, shared: bool
) -> TrajectoryDocument:
    """The case manager shares a plan or report with the client in Mijn Opstap (R-POR), or
    stops sharing it. Nothing is shared unless staff choose to (default: not shared)."""
    trajectory = document.trajectory
    _check_visible(actor, trajectory)
    if RoleCode.CASE_MANAGER not in _workflow_roles(actor, trajectory):
        raise TrajectoryError("Alleen de klantmanager kan documenten met de klant delen.")
    if document.kind not in SHAREABLE_KINDS:
        raise TrajectoryError("Alleen een plan of een rapportage kan worden gedeeld.", field="kind")
    document = TrajectoryDocument.objects.select_for_update().get(pk=document.pk)
    if document.shared_with_client == shared:
        return document
    document.shared_with_client = shared
    document.save(update_fields=["shared_with_client"])
    _record(
        actor=actor,
        trajectory=trajectory,
        action="document_share" if shared else "document_unshare",
        from_state=trajectory.state,
        reason="",
        payload={"document": document.pk},
        summary=(
            f"'{document.title}' gedeeld met de klant"
            if shared
            else f"'{document.title}' niet meer gedeeld met de klant"
        ),
        changes={"shared_with_client": [not shared, shared]},
    )
    return document


#: What a case manager may share with the client (R-POR: "plan, reports").
SHAREABLE_KINDS = frozenset(
    {DocumentKind.PLAN, DocumentKind.PROGRESS_REPORT, DocumentKind.FINAL_REPORT}
)


def _current_case_manager(trajectory: Trajectory) -> Any:
    """The client's current case manager (after a handover, R-CLI-3), else the orderer."""
    return trajectory.client.case_manager or trajectory.case_manager


def _alert_case_manager(trajectory: Trajectory, *, title: str, body: str) -> Notification:
    """In-app notification ("Meldingen", the notifications app) plus e-mail."""
    return notification_send(
        recipient=_current_case_manager(trajectory),
        title=title,
        body=body,
        url=f"/trajecten/{trajectory.pk}/",
    )


@transaction.atomic
def absence_report(
    *,
    actor: Actor,
    trajectory: Trajectory,
    occurred_at: dt.datetime,
    reason: str,
    problematic: bool = False,
    appointment: Appointment | None = None,
    reported_at: dt.datetime | None = None,
) -> Absence:
    """Report an absence (R-ABS-1). With an elevated risk a report later than 24 hours is
    flagged late and the case manager is notified; a (threatening) refusal to cooperate —
    or an order with a problematic risk level — alerts the case manager at once (in-app and
    e-mail), whatever the risk level."""
    _require_provider_or_cm(actor, trajectory)
    if not reason.strip():
        raise TrajectoryError("Geef de reden van het verzuim op.", field="reason")
    reported_at = reported_at or timezone.now()
    if timezone.is_naive(occurred_at):
        raise TrajectoryError("Het tijdstip heeft een tijdzone nodig.", field="occurred_at")
    if occurred_at > reported_at:
        raise TrajectoryError("Verzuim kan niet in de toekomst liggen.", field="occurred_at")
    # Facts from the record (R-SEC-6): an absence lies within the trajectory, not in year 55.
    if timezone.localtime(occurred_at).date() < trajectory.order_date:
        raise TrajectoryError(
            f"Het verzuim ligt vóór de aanmelding van het traject "
            f"({trajectory.order_date:%d-%m-%Y}).",
            field="occurred_at",
        )
    _refuse_date(
        date_rules.absence_problem(
            timezone.localtime(occurred_at).date(),
            _date_facts(trajectory),
            timezone.localtime(reported_at).date(),
        )
    )
    if appointment is not None:
        if appointment.trajectory_id != trajectory.pk:
            raise TrajectoryError("Deze afspraak hoort niet bij dit traject.", field="appointment")
        if appointment.attendance == AttendanceStatus.PLANNED:
            appointment.attendance = AttendanceStatus.ABSENT
            appointment.recorded_at = reported_at
            appointment.save(update_fields=["attendance", "recorded_at"])
    risk = trajectory.absence_risk
    late = risk == AbsenceRisk.ELEVATED and dl.absence_report_late(occurred_at, reported_at)
    absence = Absence.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        appointment=appointment,
        occurred_at=occurred_at,
        reason=reason.strip(),
        reported_at=reported_at,
        reported_by=actor,
        risk_at_report=risk,
        late=late,
        problematic=problematic,
    )
    local = timezone.localtime(occurred_at)
    who = trajectory.client.full_name
    if problematic or risk == AbsenceRisk.PROBLEMATIC:
        _alert_case_manager(
            trajectory,
            title=f"Direct actie: (dreigend) problematisch verzuim van {who}",
            body=(
                f"Verzuim op {local:%d-%m-%Y %H:%M}: {reason.strip()}. De deelnemer werkt "
                "(dreigend) niet mee (art. 9 lid 1 Participatiewet)."
            ),
        )
    elif risk == AbsenceRisk.ELEVATED:
        _alert_case_manager(
            trajectory,
            title=f"Verzuim van {who}" + (" (te laat gemeld)" if late else ""),
            body=f"Verzuim op {local:%d-%m-%Y %H:%M}: {reason.strip()}.",
        )
    _record(
        actor=actor,
        trajectory=trajectory,
        action="absence",
        from_state=trajectory.state,
        reason=reason.strip(),
        payload={
            "absence": absence.pk,
            "occurred_at": occurred_at.isoformat(),
            "late": late,
            "problematic": problematic,
        },
        summary=f"Verzuim gemeld ({trajectory.product.name})"
        + (" — te laat" if late else "")
        + (" — problematisch" if problematic else ""),
    )
    return absence


# --------------------------------------------------------------------------------------------
# Outcome (R-TRJ-7)
# --------------------------------------------------------------------------------------------

_OUTCOME_FIELDS = frozenset(
    {
        "werkfit",
        "employer",
        "placement_start",
        "contract_type",
        "hours_per_week",
        "contract_months",
        "lks",
        "garantiebaan",
        "beschut_werk",
        "education_result",
        "participation",
        "care_referral",
        "last_day_of_employment",
    }
)


@transaction.atomic
def outcome_record(*, actor: Actor, trajectory: Trajectory, **facts: Any) -> Outcome:
    """Record (or correct) the structured result (R-TRJ-7). A placement gets its
    durability check 6 months after its start (`outcomes_check_durability`)."""
    unknown = set(facts) - _OUTCOME_FIELDS
    if unknown:
        raise TrajectoryError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    _require_provider_or_cm(actor, trajectory)
    if trajectory.state not in {s.value for s in ENDED_STATES} | {
        State.RUNNING.value,
        State.EXTENSION_REQUESTED.value,
        State.FINAL_REPORT_RECEIVED.value,
        State.HANDED_OVER.value,
    }:
        raise TrajectoryError("Een resultaat kan pas vastgelegd worden als het traject loopt.")
    placement_start = _as_date(
        facts.get("placement_start"), field="placement_start", label="start van de plaatsing"
    )
    if placement_start is not None and not str(facts.get("employer", "")).strip():
        raise TrajectoryError("Vul de werkgever van de plaatsing in.", field="employer")
    if placement_start is not None:
        _refuse_date(
            date_rules.placement_start_problem(placement_start, _date_facts(trajectory), _today())
        )
    last_day = _as_date(
        facts.get("last_day_of_employment"), field="last_day_of_employment", label="laatste werkdag"
    )
    if last_day is not None:
        known_start = placement_start or getattr(
            Outcome.objects.filter(trajectory=trajectory).first(), "placement_start", None
        )
        _refuse_date(date_rules.last_day_problem(last_day, known_start, _today()))
    hours = facts.get("hours_per_week")
    if hours not in (None, ""):
        try:
            hours = Decimal(str(hours))
        except InvalidOperation as exc:
            raise TrajectoryError("Vul een geldig aantal uren in.", field="hours_per_week") from exc
        if hours < 0 or hours > 60:
            raise TrajectoryError("Uren per week liggen tussen 0 en 60.", field="hours_per_week")
    else:
        hours = None
    outcome, _created = Outcome.objects.select_for_update().get_or_create(
        trajectory=trajectory,
        defaults={
            "organisation_id": trajectory.organisation_id,
            "recorded_at": timezone.now(),
            "recorded_by": actor,
        },
    )
    for name in _OUTCOME_FIELDS:
        if name in facts:
            value = facts[name]
            if name == "hours_per_week":
                value = hours
            elif name in {"placement_start", "last_day_of_employment"}:
                value = _as_date(value, field=name, label="datum")
            elif name in {"lks", "garantiebaan", "beschut_werk"}:
                value = bool(value)
            elif name == "contract_months":
                value = int(value) if value not in (None, "") else None
            elif name != "werkfit":
                value = str(value or "").strip()
            setattr(outcome, name, value)
    outcome.durability_check_on = (
        durability_check_due(outcome.placement_start) if outcome.placement_start else None
    )
    outcome.recorded_by = actor
    outcome.recorded_at = timezone.now()
    outcome.save()
    _record(
        actor=actor,
        trajectory=trajectory,
        action="outcome",
        from_state=trajectory.state,
        reason="",
        payload={"outcome": outcome.pk, "placement": bool(outcome.placement_start)},
        summary=f"Resultaat vastgelegd ({trajectory.product.name})"
        + (f": plaatsing bij {outcome.employer}" if outcome.placement_start else ""),
    )
    return outcome


@transaction.atomic
def outcomes_check_durability(*, on: dt.date | None = None) -> int:
    """R-TRJ-7: when 6 months have passed since a placement's start, decide durability from
    the known last working day, or ask the case manager to confirm (once). Idempotent."""
    on = on or _today()
    count = 0
    due = Outcome.objects.select_related("trajectory", "trajectory__client").filter(
        durability_check_on__lte=on, durability=""
    )
    for outcome in due.select_for_update(of=("self",)):
        assert outcome.placement_start is not None
        verdict = durability(
            outcome.placement_start, last_day=outcome.last_day_of_employment, on=on
        )
        if outcome.last_day_of_employment is not None and verdict is not Durability.PENDING:
            outcome.durability = verdict.value
            outcome.save(update_fields=["durability"])
            count += 1
        elif outcome.durability_asked_on is None:
            _alert_case_manager(
                outcome.trajectory,
                title=f"Is de plaatsing van {outcome.trajectory.client.full_name} duurzaam?",
                body=(
                    f"De plaatsing bij {outcome.employer} begon op "
                    f"{outcome.placement_start:%d-%m-%Y}; 6 maanden zijn verstreken. Bevestig "
                    "of de klant nog werkt (R-TRJ-7)."
                ),
            )
            outcome.durability_asked_on = on
            outcome.save(update_fields=["durability_asked_on"])
            count += 1
    return count


# --------------------------------------------------------------------------------------------
# Hand-offs: the other side hears about work handed to it (table: `handoffs.py`)
# --------------------------------------------------------------------------------------------


def _provider_staff(trajectory: Trajectory) -> list[Any]:
    return [
        m.user for m in trajectory.provider.memberships.select_related("user") if m.user.is_active
    ]


def handoff_notify(
    *,
    event: str,
    actor: Any,
    trajectory: Trajectory,
    dedupe_key: str,
    url: str = "",
    reason: str = "",
    invoice: str = "",
) -> int:
    """Notify the party that `event` hands work to, as `handoffs.HANDOFFS` says: the
    provider's active staff or the client's current case manager, never the actor. One
    notification per user, once only (`dedupe_key`, unique per recipient in the database).
    Called by `trajectory_order`, `trajectory_transition` and the invoice decisions, inside
    their transaction. Returns how many users were notified."""
    row = handoffs.handoff_for(event)
    if row is None:
        return 0
    actor_is_provider = (
        row.notify is handoffs.Party.OTHER
        and actor is not None
        and RoleCode.PROVIDER_STAFF in _workflow_roles(actor, trajectory)
    )
    users: list[Any] = []
    for party in handoffs.parties_to_notify(event, actor_is_provider=actor_is_provider):
        if party is handoffs.Party.PROVIDER:
            users.extend(_provider_staff(trajectory))
        else:
            users.append(_current_case_manager(trajectory))
    context = {
        "product": trajectory.product.name,
        "provider": trajectory.provider.name,
        "client": trajectory.client.full_name,
        "trajectory": trajectory.pk,
        "reason": reason or "-",
        "invoice": invoice,
        "state": trajectory.get_state_display(),
    }
    notified = 0
    for user in {u.pk: u for u in users}.values():
        if not user.is_active or user.organisation_id is None:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        notification_send(
            recipient=user,
            title=row.title_nl.format(**context),
            body=row.body_nl.format(**context),
            url=url or f"/trajecten/{trajectory.pk}/",
            dedupe_key=dedupe_key,
        )
        notified += 1
    return notified


# --------------------------------------------------------------------------------------------
# Days equated with a holiday by royal decree (Atw art. 3(3), R-TRJ-3): reference data
# --------------------------------------------------------------------------------------------


def _require_configure(actor: Any) -> None:
    if actor is None or not (
        getattr(actor, "is_superuser", False) or actor.has_opstap_perm(Perm.ADMIN_CONFIGURE)
    ):
        raise TrajectoryError("Alleen de functioneel beheerder beheert gelijkgestelde dagen.")


@transaction.atomic
def equated_day_validate(
    *, day: Any, description: str, decree: str, equated_day: EquatedDay | None = None
) -> tuple[dt.date, str, str]:
    """The checks of `equated_day_save`, also run by the admin form so that a refusal is shown
    on the field and nothing is reported as saved. Returns the cleaned values."""
    day_value = _as_date(day, field="day", label="datum", required=True)
    assert day_value is not None
    if not dl.FIRST_SUPPORTED_YEAR <= day_value.year <= dl.LAST_SUPPORTED_YEAR:
        raise TrajectoryError(
            f"Kies een datum in {dl.FIRST_SUPPORTED_YEAR} tot en met {dl.LAST_SUPPORTED_YEAR}.",
            field="day",
        )
    if day_value.weekday() >= 5:
        raise TrajectoryError(
            "Een zaterdag of zondag is al geen werkdag; gelijkstellen is niet nodig.", field="day"
        )
    if day_value in dl.atw_holidays(day_value.year):
        raise TrajectoryError("Deze dag is al een algemeen erkende feestdag.", field="day")
    description, decree = description.strip(), decree.strip()
    if not description:
        raise TrajectoryError("Geef een omschrijving.", field="description")
    if not decree:
        raise TrajectoryError("Noem het koninklijk besluit.", field="decree")
    clash = EquatedDay.objects.filter(day=day_value)
    if equated_day is not None:
        clash = clash.exclude(pk=equated_day.pk)
    if clash.exists():
        raise TrajectoryError("Deze dag is al gelijkgesteld.", field="day")
    return day_value, description, decree


def equated_day_save(
    *,
    actor: Any,
    day: dt.date,
    description: str,
    decree: str,
    equated_day: EquatedDay | None = None,
) -> EquatedDay:
    """Add or change a day equated with a holiday by royal decree (Atw art. 3(3)). Every
    deadline computed after this uses it; deadlines already stored keep their date (they
    were right by the calendar known then). Validated and audited."""
    _require_configure(actor)
    day_value, description, decree = equated_day_validate(
        day=day, description=description, decree=decree, equated_day=equated_day
    )
    before: dict[str, Any] = {}
    if equated_day is None:
        equated_day = EquatedDay(day=day_value, description=description, decree=decree)
    else:
        equated_day = EquatedDay.objects.select_for_update().get(pk=equated_day.pk)
        before = {
            "day": equated_day.day.isoformat(),
            "description": equated_day.description,
            "decree": equated_day.decree,
        }
        equated_day.day, equated_day.description = day_value, description
        equated_day.decree = decree
    equated_day.save()
    after = {"day": day_value.isoformat(), "description": description, "decree": decree}
    audit_log(
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        object_type="equated_day",
        object_id=equated_day.pk,
        purpose="Gelijkgestelde dag (Atw) beheerd",
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )
    return equated_day


@transaction.atomic
def equated_day_delete(*, actor: Any, equated_day: EquatedDay) -> None:
    """Remove a day that was entered by mistake (audited)."""
    _require_configure(actor)
    day = equated_day.day
    pk = equated_day.pk
    EquatedDay.objects.filter(pk=pk).delete()
    audit_log(
        action=AuditAction.DELETE,
        actor=actor,
        object_type="equated_day",
        object_id=pk,
        purpose="Gelijkgestelde dag (Atw) verwijderd",
        changes={"day": [day.isoformat(), None]},
    )


# --------------------------------------------------------------------------------------------
# Deadline notifications (R-TRJ-3: notify before and when a deadline passes)
# --------------------------------------------------------------------------------------------

STAGE_BEFORE = "before"
STAGE_OVERDUE = "overdue"


def _recipients(deadline: Deadline) -> list[Any]:
    trajectory = deadline.trajectory
    if deadline.responsible_role == RoleCode.PROVIDER_STAFF.value:
        return [
            m.user
            for m in trajectory.provider.memberships.select_related("user")
            if m.user.is_active
        ]
    case_manager = _current_case_manager(trajectory)
    return [case_manager] if case_manager.is_active else []


def deadlines_send_notifications(*, on: dt.date | None = None, before_days: int = 3) -> int:
    """Notify the responsible users `before_days` before a deadline and once it has passed
    (in-app and e-mail). Never twice for the same deadline, stage and user (a unique row per
    notification), so running the job again is harmless. Returns how many were sent."""
    on = on or _today()
    if before_days < 0:
        raise TrajectoryError("Het aantal dagen vooraf kan niet negatief zijn.")
    sent = 0
    candidates = (
        Deadline.objects.filter(met_on__isnull=True, cancelled_on__isnull=True)
        .filter(due_on__lte=on + dt.timedelta(days=before_days))
        .select_related(
            "trajectory",
            "trajectory__client__case_manager",
            "trajectory__provider",
            "trajectory__case_manager",
        )
    )
    for deadline in candidates.iterator(chunk_size=500):
        stage = STAGE_OVERDUE if deadline.due_on < on else STAGE_BEFORE
        for user in _recipients(deadline):
            with transaction.atomic():
                _, created = DeadlineNotification.objects.get_or_create(
                    deadline=deadline,
                    stage=stage,
                    recipient=user,
                    defaults={"organisation_id": deadline.organisation_id},
                )
                if not created:
                    continue
                client = deadline.trajectory.client
                title = (
                    f"Termijn verlopen: {deadline.label}"
                    if stage == STAGE_OVERDUE
                    else f"Termijn nadert: {deadline.label}"
                )
                notification_send(
                    recipient=user,
                    title=title[:200],
                    body=(
                        f"Traject {deadline.trajectory_id} "
                        f"voor {client.full_name}: uiterlijk {deadline.due_on:%d-%m-%Y}."
                    ),
                    url=f"/trajecten/{deadline.trajectory_id}/",
                    dedupe_key=f"deadline:{deadline.pk}:{stage}",
                )
                sent += 1
    return sent


__all__ += ["IllegalTransition", "check_upload"]
