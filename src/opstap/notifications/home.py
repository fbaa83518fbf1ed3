"""Start-page panel: the user's unread notifications (every staff role)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opstap.core.actor import actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm

from . import selectors


def unread_panel(request: HttpRequest) -> dict[str, Any]:
    return {"notifications": list(selectors.unread_notifications(actor_of(request))[:5])}


register_home_panel(
    HomePanel(
        template="notifications/panel.html",
        perm=Perm.HOME_VIEW,
        context=unread_panel,
        order=5,
        # Notification titles name clients: each one shown is an audited list row.
        audit_items=lambda ctx: [("notification", n.pk, None) for n in ctx["notifications"]],
    )
)
