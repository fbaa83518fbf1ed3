"""The 'Mijn caseload' panel on the start page of case managers (counts only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import Actor, actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def _context(request: HttpRequest) -> dict[str, Any]:
    from .selectors import CaseloadFilters, caseload_overview, clients_for

    user: Actor = actor_of(request)
    # The visible total is the unfiltered caseload page's chart total: shared, cached counts
    # (issue 4); the own caseload is a small index range.
    visible = caseload_overview(user=user, filters=CaseloadFilters(), on=timezone.localdate())
    mine = clients_for(user).filter(case_manager_id=user.pk).count()
    return {"caseload_mine": mine, "caseload_visible": visible.count}


register_home_panel(
    HomePanel(
        template="clients/home_panel.html", perm=Perm.CLIENT_CHANGE, context=_context, order=10
    )
)
