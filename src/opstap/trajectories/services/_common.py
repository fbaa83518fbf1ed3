"""What the trajectory services share: the error type, upload limits, access and date checks,
scheduling of due dates (R-TRJ-3, R-TRJ-4) and the record of every change on the trajectory's
history, the client's timeline and the audit trail (R-TRJ-2, R-SEC-2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Min
from django.dispatch import Signal
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.services import client_event_record
from opstap.core.access import can_see
from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.core.roles import RoleCode
from opstap.core.signals import trajectories_changed
from opstap.documents import services as uploads
from opstap.notifications.models import Notification
from opstap.notifications.services import notification_send
from opstap.providers.services import provider_record_activity
from opstap.trajectories import date_rules
from opstap.trajectories import deadlines as dl
from opstap.trajectories.models import (
    PROGRESS_REPORT_KIND,
    Deadline,
    Trajectory,
    TrajectoryEvent,
)
from opstap.trajectories.selectors import TRAJECTORY_COUNTS, registration_grace_working_days

#: Sent inside the transaction when a trajectory's price terms change after the order (a
#: quote approved, a revised quote approved), with `trajectory`. The invoices app listens and
#: checks the trajectory's open invoices again, so no invoice keeps a verdict that was reached
#: on terms that no longer hold (R-BILL-1). A signal, because invoices sit above trajectories.
price_terms_changed = Signal()

#: Uploads: PDF, Word (DOCX), OpenDocument text and images, at most 10 MB (one shared rule).
MAX_UPLOAD_BYTES = uploads.MAX_UPLOAD_BYTES
ALLOWED_UPLOAD_TYPES = uploads.DOCUMENTS


class TrajectoryError(InvalidInputError):
    """A refused trajectory change; `message` is Dutch and meant for the user."""


def _today() -> dt.date:
    return timezone.localdate()


def _workflow_roles(actor: Actor, trajectory: Trajectory) -> frozenset[RoleCode]:
    """Provider staff act only for their own provider; case managers for clients they see."""
    from opstap.trajectories.selectors import user_workflow_roles

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
        from opstap.trajectories.selectors import equated_days

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


def _stated_deadline_met(
    trajectory: Trajectory, kind: dl.DeadlineKind, stated: dt.date, registered: dt.date
) -> None:
    """Meet a deadline on a day the provider states (intake held, provision started): it counts
    only as far back as the registration grace allows (`deadlines.deadline_met_on`, R-TRJ-3)."""
    met_on = dl.deadline_met_on(
        stated,
        registered,
        grace_working_days=registration_grace_working_days(),
        equated_days=_equated_days(trajectory),
    )
    _deadlines_meet(trajectory, [kind], met_on)


def _deadlines_cancel(trajectory: Trajectory, kinds: Iterable[str] | None, on: dt.date) -> None:
    qs = Deadline.objects.filter(
        trajectory=trajectory, met_on__isnull=True, cancelled_on__isnull=True
    )
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    qs.update(cancelled_on=on)


def _next_due_refresh(trajectory: Trajectory) -> None:
    """Store the earliest open deadline on the trajectory (`next_due_on`), so overdue lists
    filter on one indexed column, and send `core.signals.trajectories_changed`. Every service
    that adds, meets or cancels a deadline calls this inside its transaction; a test walks the
    workflow and compares it with the deadlines."""
    # The due dates were written (some with `.update()`): apps that derive facts from them
    # (the indicator facts) queue the trajectory in this transaction.
    trajectories_changed.send(
        sender=Trajectory,
        organisation_id=trajectory.organisation_id,
        trajectory_ids=[trajectory.pk],
    )
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


def check_upload(upload: UploadedFile[Any]) -> str:
    """Type (by extension AND content) and size (≤ 10 MB) of an upload; its MIME type."""
    try:
        return uploads.check_upload(upload, allowed=ALLOWED_UPLOAD_TYPES)
    except uploads.UploadRefusedError as exc:
        raise TrajectoryError(str(exc), field="file") from exc


def _require_provider_or_cm(actor: Actor, trajectory: Trajectory) -> None:
    _check_visible(actor, trajectory)
    if not _workflow_roles(actor, trajectory):
        raise TrajectoryError("Alleen de aanbieder of de klantmanager kan dit vastleggen.")


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
