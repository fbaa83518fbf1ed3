"""The policy officer's start-page panel: this year's KPIs in one line each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm

#: The panel's KPIs are the whole organisation's, computed live (7 statements, about 230 ms
#: at national scale); every start page of a policy officer or team lead shows them, so they
#: are cached per organisation, year and day for at most this long (issue 18). The panel
#: shows when they were computed ("Stand van HH:MM"); the KPI dashboard stays live.
PANEL_CACHE_SECONDS = 300


def _panel_cache_key(organisation_id: int, today: dt.date) -> str:
    return f"opstap:kpis:home-panel:{organisation_id}:{today.year}:{today.isoformat()}"


def panel_context(request: HttpRequest) -> dict[str, Any]:
    from django.core.cache import cache
    from django.utils import timezone

    org_id = getattr(request.user, "organisation_id", None)
    if org_id is None:
        return {"kpi_results": []}
    today = timezone.localdate()
    key = _panel_cache_key(org_id, today)
    cached: dict[str, Any] | None = cache.get(key)
    if cached is None:
        cached = _compute(org_id, today)
        cache.set(key, cached, PANEL_CACHE_SECONDS)
    return cached


def _compute(organisation_id: int, today: dt.date) -> dict[str, Any]:
    """The panel's lines as plain values (title, status label), with the moment computed."""
    from django.utils import timezone

    from . import selectors
    from .db import without_jit

    ctx = selectors.kpi_context(
        organisation_id=organisation_id,
        filters=selectors.KpiFilters(year=today.year),
        today=today,
    )
    with without_jit():
        results = selectors.kpi_results(ctx)
    return {
        "kpi_results": [
            {"title": r.definition.title, "status": str(r.status.label)} for r in results
        ],
        "kpi_year": today.year,
        "kpi_computed_at": timezone.now(),
    }


register_home_panel(
    HomePanel(
        template="kpis/home_panel.html", perm=Perm.STEERING_VIEW, context=panel_context, order=55
    )
)
