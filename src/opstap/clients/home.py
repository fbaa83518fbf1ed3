"""The 'Mijn caseload' panel on the start page of case managers (counts only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import Actor, actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def _context(request: HttpRequest) -> dict[str, Any]:
    from .selectors import CLIENT_COUNTS, CaseloadFilters, caseload_overview, clients_for

    user: Actor = actor_of(request)
    # The visible total is the unfiltered caseload page's chart total: shared, cached counts
    # (issue 4). The own caseload is a small index range, counted through the same counts
    # cache (issue 18): its key holds the user's scope, and any write to a client of the
    # organisation (a handover included) makes it unreachable.
    visible = caseload_overview(user=user, filters=CaseloadFilters(), on=timezone.localdate())
    mine = CLIENT_COUNTS.count(
        clients_for(user).filter(case_manager_id=user.pk), organisation_id=user.organisation_id
    )
    return {"caseload_mine": mine, "caseload_visible": visible.count}


register_home_panel(
    HomePanel(
        template="clients/home_panel.html", perm=Perm.CLIENT_CHANGE, context=_context, order=10
    )
)
