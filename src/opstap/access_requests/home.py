"""The privacy officer's start-page panel: how many access requests of the organisation are
unanswered, overdue and due within a week (the numbers of 'Termijnen inzageverzoeken', AVG
art. 12(3)), with a link to that overview. Counts only: no reference, requester or client."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm

from . import selectors


def deadlines_panel(request: HttpRequest) -> dict[str, Any]:
    counts = selectors.deadline_counts_for(actor_of(request), today=timezone.localdate())
    return {**counts, "soon_days": selectors.SOON_DAYS}


register_home_panel(
    HomePanel(
        template="access_requests/home_panel.html",
        perm=Perm.ACCESS_REQUEST_OVERSEE,
        context=deadlines_panel,
        order=15,
    )
)
