"""`{% load trajectories %}{% client_trajectories client %}`: the trajectories section of the
client dossier, scoped to the viewing user (R-SEC-1)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from opstap.core.access import check_perm
from opstap.core.roles import Perm
from opstap.trajectories import selectors

register = template.Library()


@register.inclusion_tag("trajectories/_client_trajectories.html", takes_context=True)
def client_trajectories(context: Any, client: Any) -> dict[str, Any]:
    user = context["request"].user
    trajectories: list[Any] = []
    may_view = check_perm(user, Perm.TRAJECTORY_VIEW)
    if may_view:
        today = timezone.localdate()
        trajectories = selectors.mark_overdue(
            list(
                selectors.trajectory_list(
                    user=user, filters=selectors.TrajectoryFilters(client=client.pk), on=today
                )[:100]
            ),
            on=today,
        )
    return {
        "client": client,
        "trajectories": trajectories,
        "may_view": may_view,
        "can_order": check_perm(user, Perm.TRAJECTORY_ORDER),
    }
