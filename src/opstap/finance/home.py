"""The policy officer's start-page panel: the finance models and the saved scenarios."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opstap.core.actor import actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm

from . import selectors


def panel_context(request: HttpRequest) -> dict[str, Any]:
    return {"finance_scenario_count": selectors.scenarios_for(actor_of(request)).count()}


register_home_panel(
    HomePanel(
        template="finance/home_panel.html", perm=Perm.FINANCE_VIEW, context=panel_context, order=60
    )
)
