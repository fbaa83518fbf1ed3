"""The policy officer's start-page panel: the finance models and the saved scenarios."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opstap.core.roles import Perm
from opstap.web.home import HomePanel, register_home_panel

from . import selectors


def panel_context(request: HttpRequest) -> dict[str, Any]:
    return {"finance_scenario_count": selectors.scenarios_for(request.user).count()}


register_home_panel(
    HomePanel(
        template="finance/home_panel.html", perm=Perm.FINANCE_VIEW, context=panel_context, order=60
    )
)
