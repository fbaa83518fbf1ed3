"""Start-page panel of the social-return coordinator: the signals of R-NET-10 (no plan within
3 months of award, behind the time-proportional norm, evidence ending soon)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import Actor, actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm

from . import selectors


def coordinator_panel(request: HttpRequest) -> dict[str, Any]:
    user: Actor = actor_of(request)
    today = timezone.localdate()
    return {"today": today, "signals": selectors.coordinator_signals(user=user, on=today)}


register_home_panel(
    HomePanel(
        template="social_return/panels/coordinator.html",
        perm=Perm.SOCIAL_RETURN_COORDINATE,
        context=coordinator_panel,
        order=25,
    )
)
