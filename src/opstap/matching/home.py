"""The start-page panel of matching (the WSP start page, issue 15): open vacancies and the
latest proposals within the user's scope; the proposals shown are audited as reads of those
clients (`audit_items`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opstap.core.panels import AuditItem, HomePanel, register_home_panel
from opstap.core.roles import Perm


def panel_context(request: HttpRequest) -> dict[str, Any]:
    from opstap.core.actor import actor_of

    from . import selectors

    user = actor_of(request)
    return {
        "open_vacancies": selectors.open_vacancy_count(user),
        "proposals": selectors.recent_proposals_for(user, limit=8),
        "can_manage": user.has_opstap_perm(Perm.VACANCY_MANAGE),
    }


def audit_items(context: dict[str, Any]) -> list[AuditItem]:
    return [("proposal", p.pk, p.client_id) for p in context["proposals"]]


register_home_panel(
    HomePanel(
        template="matching/home_panel.html",
        perm=Perm.MATCH_PROPOSE,
        context=panel_context,
        order=45,
        audit_items=audit_items,
    )
)
