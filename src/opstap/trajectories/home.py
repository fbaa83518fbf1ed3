"""The 'Mijn termijnen' panel on the start page (counts only, scoped, R-TRJ-3)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def _context(request: HttpRequest) -> dict[str, Any]:
    from .selectors import deadlines_for

    today = timezone.localdate()
    counts = (
        deadlines_for(actor_of(request), on=today, horizon_days=14)
        .order_by()
        .aggregate(overdue=Count("id", filter=Q(due_on__lt=today)), total=Count("id"))
    )
    return {"overdue": counts["overdue"], "upcoming": counts["total"] - counts["overdue"]}


register_home_panel(
    HomePanel(
        template="trajectories/home_panel.html",
        perm=Perm.TRAJECTORY_VIEW,
        context=_context,
        order=20,
    )
)
