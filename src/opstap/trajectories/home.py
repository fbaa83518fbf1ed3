"""The 'Mijn termijnen' panel on the start page (counts only, scoped, R-TRJ-3)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def _context(request: HttpRequest) -> dict[str, Any]:
    from .selectors import deadline_counts

    overdue, total = deadline_counts(actor_of(request), on=timezone.localdate(), horizon_days=14)
    return {"overdue": overdue, "upcoming": total - overdue}


register_home_panel(
    HomePanel(
        template="trajectories/home_panel.html",
        perm=Perm.TRAJECTORY_VIEW,
        context=_context,
        order=20,
    )
)
