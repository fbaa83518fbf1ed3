"""The 'Mijn caseload' panel on the start page of case managers (counts only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import Actor, actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def _context(request: HttpRequest) -> dict[str, Any]:
    from .selectors import own_caseload_count, visible_client_count

    user: Actor = actor_of(request)
    # The visible total is the unfiltered caseload page's chart total: shared, cached counts
    # (issue 4). The own caseload is a small index range, counted through the same counts
    # cache (issue 18). Both keys hold the user's scope, written out, instead of the SQL of a
    # queryset built only to find them (issue 18); any write to a client of the organisation
    # (a handover included) makes them unreachable.
    return {
        "caseload_mine": own_caseload_count(user),
        "caseload_visible": visible_client_count(user, on=timezone.localdate()),
    }


register_home_panel(
    HomePanel(
        template="clients/home_panel.html", perm=Perm.CLIENT_CHANGE, context=_context, order=10
    )
)
