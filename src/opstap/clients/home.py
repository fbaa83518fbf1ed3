"""The 'Mijn caseload' panel on the start page of case managers (counts only)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from opstap.accounts.roles import Perm
from opstap.web.home import HomePanel, register_home_panel


def _context(request: HttpRequest) -> dict[str, Any]:
    from .selectors import clients_for

    user: Any = request.user
    counts = clients_for(user).aggregate(
        mine=Count("id", filter=Q(case_manager_id=user.pk)),
        visible=Count("id"),
    )
    return {"caseload_mine": counts["mine"], "caseload_visible": counts["visible"]}


register_home_panel(
    HomePanel(
        template="clients/home_panel.html", perm=Perm.CLIENT_CHANGE, context=_context, order=10
    )
)
