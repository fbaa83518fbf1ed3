"""Hand-offs: the other side hears about work handed to it (table: `trajectories.handoffs`)."""

from __future__ import annotations

from typing import Any

from opstap.core.actor import Actor
from opstap.core.roles import RoleCode
from opstap.notifications.services import notification_send
from opstap.trajectories import handoffs
from opstap.trajectories.models import Trajectory, TrajectoryEvent

from ._common import _current_case_manager, _workflow_roles


def _provider_staff(trajectory: Trajectory) -> list[Any]:
    return [
        m.user for m in trajectory.provider.memberships.select_related("user") if m.user.is_active
    ]


def handoff_notify(
    *,
    event: str,
    actor: Actor | None,
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


def event_handoff_notify(
    handoff: str,
    *,
    actor: Actor | None,
    trajectory: Trajectory,
    event: TrajectoryEvent,
    reason: str = "",
) -> int:
    """`handoff_notify` for the hand-off that the recorded trajectory `event` starts: once
    per event (`trajectory-event:<id>`), however often the step is retried."""
    return handoff_notify(
        event=handoff,
        actor=actor,
        trajectory=trajectory,
        dedupe_key=f"trajectory-event:{event.pk}",
        reason=reason,
    )
