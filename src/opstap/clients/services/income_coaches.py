"""Income-coach assignment (R-SEC-1): dated, audited, by the case manager or team lead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients import assignments
from opstap.clients.models import (
    Client,
    ClientEventKind,
    IncomeCoachAssignment,
)
from opstap.core.actor import Actor
from opstap.core.roles import Perm, RoleCode
from opstap.notifications.services import notification_send

from .clients import client_event_record
from .validation import ClientError

# --- Income-coach assignment (R-SEC-1) --------------------------------------------------------


def may_assign_income_coach(actor: Actor, client: Client) -> bool:
    """The client's own case manager, or a team lead (a case manager who also holds the
    management role) with the client in their scope, may assign an income coach."""
    from opstap.clients.access import is_team_lead
    from opstap.core.access import can_see

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.organisation_id != client.organisation_id:
        return False
    if not actor.has_opstap_perm(Perm.CLIENT_CHANGE) or not actor.has_role(RoleCode.CASE_MANAGER):
        return False
    if client.case_manager_id == actor.pk:
        return True
    return is_team_lead(actor) and can_see(actor, client)


def _check_coach(organisation_id: int, coach: Any) -> None:
    if (
        coach is None
        or coach.organisation_id != organisation_id
        or not coach.is_active
        or not coach.has_role(RoleCode.INCOME_COACH)
    ):
        raise ClientError("Kies een inkomenscoach van deze organisatie.", field="coach")


def _record(
    *,
    actor: Actor,
    assignment: IncomeCoachAssignment,
    action: AuditAction,
    summary: str,
    purpose: str,
    changes: dict[str, Any],
    note: str = "",
) -> None:
    """An assignment's change: an event on the client's timeline and an audit line."""
    client_event_record(
        client=assignment.client,
        kind=ClientEventKind.OTHER,
        summary=summary,
        actor=actor,
        note=note,
        data={"income_coach_assignment": assignment.pk, "coach": assignment.coach_id},
    )
    audit_log(
        action=action,
        actor=actor,
        object_type="income_coach_assignment",
        object_id=assignment.pk,
        client_id=assignment.client_id,
        organisation_id=assignment.organisation_id,
        purpose=purpose,
        changes=changes,
    )


@transaction.atomic
def income_coach_assign(
    *,
    actor: Actor,
    client: Client,
    coach: Any,
    valid_from: dt.date,
    reason: str,
    valid_until: dt.date | None = None,
    today: dt.date | None = None,
) -> IncomeCoachAssignment:
    """Assign `coach` to `client` from `valid_from` (until `valid_until`, inclusive; None =
    open). Only the client's case manager or a team lead; dates per `assignments`; never
    two overlapping assignments of one coach to one client. An event on the client's
    timeline and an audit record."""
    if not may_assign_income_coach(actor, client):
        raise ClientError(
            "Alleen de klantmanager van de klant of een teamleider kan een inkomenscoach toewijzen."
        )
    _check_coach(client.organisation_id, coach)
    reason = (reason or "").strip()
    if not reason:
        raise ClientError("Geef de reden van de toewijzing.", field="reason")
    if len(reason) > 300:
        raise ClientError("De reden is langer dan 300 tekens.", field="reason")
    today = today or timezone.localdate()
    problem = assignments.assignment_dates_problem(
        valid_from=valid_from, valid_until=valid_until, today=today
    )
    if problem is not None:
        raise ClientError(problem.message, field=problem.field)
    # Lock the client so that two simultaneous assignments cannot both pass the check.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    existing = IncomeCoachAssignment.objects.filter(
        client=client, coach=coach, ended_at__isnull=True
    ).values_list("valid_from", "valid_until")
    if any(assignments.overlaps(f, u, valid_from, valid_until) for f, u in existing):
        raise ClientError(
            "Deze inkomenscoach is in die periode al aan de klant toegewezen.", field="coach"
        )
    assignment = IncomeCoachAssignment.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        coach=coach,
        valid_from=valid_from,
        valid_until=valid_until,
        reason=reason,
        assigned_by=actor,
        assigned_at=timezone.now(),
    )
    until = f" tot en met {valid_until:%d-%m-%Y}" if valid_until else ""
    _record(
        actor=actor,
        assignment=assignment,
        action=AuditAction.CREATE,
        summary=f"Inkomenscoach {coach.display_name} toegewezen vanaf {valid_from:%d-%m-%Y}{until}",
        note=reason,
        purpose="Inkomenscoach toewijzen",
        changes={
            "coach": {"old": None, "new": coach.pk},
            "valid_from": {"old": None, "new": valid_from.isoformat()},
            "valid_until": {"old": None, "new": valid_until.isoformat() if valid_until else None},
        },
    )
    _tell_coach(
        actor=actor,
        assignment=assignment,
        title=f"Klant toegewezen: {client.full_name} ({client.client_number})",
        body=(
            f"{actor.display_name} heeft u als inkomenscoach toegewezen aan {client.full_name} "
            f"vanaf {valid_from:%d-%m-%Y}{until}. Reden: {reason} "
            "U ziet het dossier zolang de toewijzing loopt."
        ),
        key="assigned",
    )
    return assignment


def _tell_coach(
    *, actor: Actor, assignment: IncomeCoachAssignment, title: str, body: str, key: str
) -> None:
    """Whoever gets (or loses) work is told (docs/notifications.md): the coach, in the app and
    by e-mail, once per assignment and step; never the one who acts."""
    if assignment.coach_id == actor.pk:
        return
    notification_send(
        recipient=assignment.coach,
        title=title,
        body=body,
        url=f"/klanten/{assignment.client_id}/",
        dedupe_key=f"income-coach-assignment:{assignment.pk}:{key}",
    )


@transaction.atomic
def income_coach_assignment_end(
    *,
    actor: Actor,
    assignment: IncomeCoachAssignment,
    end_on: dt.date | None = None,
    today: dt.date | None = None,
) -> IncomeCoachAssignment:
    """End an assignment on `end_on` (default today; inclusive), never retroactively and
    never later than planned. Ending one that has not started withdraws it."""
    today = today or timezone.localdate()
    end_on = end_on or today
    assignment = (
        IncomeCoachAssignment.objects.select_for_update()
        .select_related("client", "coach")
        .get(pk=assignment.pk)
    )
    if not may_assign_income_coach(actor, assignment.client):
        raise ClientError(
            "Alleen de klantmanager van de klant of een teamleider kan een toewijzing beëindigen."
        )
    if assignment.ended_at is not None:
        raise ClientError("Deze toewijzing is al beëindigd.")
    problem = assignments.end_date_problem(
        valid_from=assignment.valid_from,
        valid_until=assignment.valid_until,
        end_on=end_on,
        today=today,
    )
    if problem is not None:
        raise ClientError(problem.message, field=problem.field)
    old_until = assignment.valid_until
    withdrawn = end_on < assignment.valid_from
    assignment.valid_until = today if withdrawn else end_on
    assignment.ended_by = actor
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["valid_until", "ended_by", "ended_at"])
    summary = (
        f"Toewijzing inkomenscoach {assignment.coach.display_name} ingetrokken"
        if withdrawn
        else f"Toewijzing inkomenscoach {assignment.coach.display_name} beëindigd per "
        f"{end_on:%d-%m-%Y}"
    )
    _record(
        actor=actor,
        assignment=assignment,
        action=AuditAction.UPDATE,
        summary=summary,
        purpose="Toewijzing inkomenscoach beëindigen",
        changes={
            "valid_until": {
                "old": old_until.isoformat() if old_until else None,
                "new": assignment.valid_until.isoformat(),
            }
        },
    )
    client = assignment.client
    _tell_coach(
        actor=actor,
        assignment=assignment,
        title=(
            f"Toewijzing ingetrokken: {client.full_name} ({client.client_number})"
            if withdrawn
            else f"Toewijzing beëindigd: {client.full_name} ({client.client_number})"
        ),
        body=(
            f"{actor.display_name} heeft uw toewijzing als inkomenscoach aan {client.full_name} "
            + ("ingetrokken." if withdrawn else f"beëindigd per {end_on:%d-%m-%Y}.")
            + " Daarna ziet u het dossier niet meer."
        ),
        key="ended",
    )
    return assignment
