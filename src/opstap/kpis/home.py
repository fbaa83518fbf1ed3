"""The policy officer's start-page panel: this year's KPIs in one line each."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def panel_context(request: HttpRequest) -> dict[str, Any]:
    from django.utils import timezone

    from . import selectors

    org_id = getattr(request.user, "organisation_id", None)
    if org_id is None:
        return {"kpi_results": []}
    today = timezone.localdate()
    ctx = selectors.kpi_context(
        organisation_id=org_id, filters=selectors.KpiFilters(year=today.year), today=today
    )
    from .db import without_jit

    with without_jit():
        results = selectors.kpi_results(ctx)
    return {"kpi_results": results, "kpi_year": today.year}


register_home_panel(
    HomePanel(
        template="kpis/home_panel.html", perm=Perm.STEERING_VIEW, context=panel_context, order=55
    )
)
