"""The 'Mijn caseload' panel on the start page of case managers (counts only); a team lead's
also signals the clients in their scope without a case manager."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from opstap.core.actor import Actor, actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def _context(request: HttpRequest) -> dict[str, Any]:
    from .access import is_team_lead
    from .forms import WITHOUT_CASE_MANAGER
    from .selectors import own_and_unassigned_counts, own_caseload_count, visible_client_count

    user: Actor = actor_of(request)
    # The visible total is the unfiltered caseload page's chart total: shared, cached counts
    # (issue 4). The own caseload is a small index range, counted through the same counts
    # cache (issue 18). Both keys hold the user's scope, written out, instead of the SQL of a
    # queryset built only to find them (issue 18); any write to a client of the organisation
    # (a handover included) makes them unreachable.
    # A team lead also reads how many clients in their scope have no case manager (R-CLI-3:
    # each client has one), counted with the own caseload in one grouped query, and follows
    # the caseload page's "Zonder klantmanager" filter to hand them over.
    unassigned = 0
    if is_team_lead(user):
        mine, unassigned = own_and_unassigned_counts(user)
    else:
        mine = own_caseload_count(user)
    return {
        "caseload_mine": mine,
        "caseload_visible": visible_client_count(user, on=timezone.localdate()),
        "caseload_unassigned": unassigned,
        "unassigned_url": (
            f"{reverse('clients:caseload')}?klantmanager={WITHOUT_CASE_MANAGER}"
            if unassigned
            else ""
        ),
    }


register_home_panel(
    HomePanel(
        template="clients/home_panel.html", perm=Perm.CLIENT_CHANGE, context=_context, order=10
    )
)
