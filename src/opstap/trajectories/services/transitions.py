"""`trajectory_transition`, the ONE way a trajectory changes state (R-TRJ-2): it locks the row,
asks the workflow table, enforces the reason, updates dates and due dates (R-TRJ-3, R-TRJ-4) and
records the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from opstap.core.actor import Actor
from opstap.trajectories import date_rules
from opstap.trajectories import deadlines as dl
from opstap.trajectories.models import (
    PROGRESS_REPORT_KIND,
    Deadline,
    Quote,
    QuoteStatus,
    Trajectory,
)
from opstap.trajectories.workflow import (
    ENDED_STATES,
    Action,
    State,
    check_transition,
)

from ._common import (
    TrajectoryError,
    _as_date,
    _check_visible,
    _date_facts,
    _deadline_from_rule,
    _deadlines_cancel,
    _deadlines_meet,
    _next_due_refresh,
    _record,
    _refuse_date,
    _schedule_running_deadlines,
    _stated_deadline_met,
    _today,
    _workflow_roles,
    price_terms_changed,
)
from .handoff_notices import event_handoff_notify
from .quotes import _quote_approve, _quote_create


def _apply_effects(
    trajectory: Trajectory,
    action: Action,
    payload: dict[str, Any],
    reason: str,
    on: dt.date,
    *,
    has_document: bool = False,
    actor: Actor,
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
        _stated_deadline_met(trajectory, dl.DeadlineKind.INTAKE, held, on)
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
        _stated_deadline_met(trajectory, dl.DeadlineKind.START, start, on)
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
        # A report that was due before today and not delivered stays open and overdue (R-TRJ-4,
        # R-PI-1): an extension moves what lies ahead, it does not forgive what is late.
        late_reports = Deadline.objects.filter(
            trajectory=trajectory,
            kind=PROGRESS_REPORT_KIND,
            due_on__lt=on,
            met_on__isnull=True,
            cancelled_on__isnull=True,
        )
        kept = list(late_reports.values_list("pk", flat=True))
        # Open progress reports and the extension deadline move with the new end date.
        Deadline.objects.filter(
            trajectory=trajectory,
            kind__in=[PROGRESS_REPORT_KIND, dl.DeadlineKind.EXTENSION_REQUEST.value],
            met_on__isnull=True,
            cancelled_on__isnull=True,
        ).exclude(pk__in=kept).update(cancelled_on=on)
        _schedule_running_deadlines(trajectory)
        # The rescheduled periodic reports before today were delivered or are kept above (the
        # query runs again: it now finds the rows the schedule just wrote).
        late_reports.exclude(pk__in=kept).update(cancelled_on=on)
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
    if action is Action.APPROVE_QUOTE:
        price_terms_changed.send(sender=Trajectory, trajectory=locked)
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
    event_handoff_notify(action.value, actor=actor, trajectory=locked, event=event, reason=reason)
    # Keep the caller's instance in step with the stored row.
    trajectory.refresh_from_db()
    return trajectory
