"""Deadline notifications (R-TRJ-3): notify before and when a deadline passes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from opstap.core.roles import RoleCode
from opstap.notifications.services import notification_send
from opstap.trajectories.models import (
    Deadline,
    DeadlineNotification,
)

from ._common import TrajectoryError, _current_case_manager, _today

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
