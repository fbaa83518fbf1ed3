"""Reads of the steering app: the counts behind every KPI (R-KPI-1..7), gathered with
aggregated SQL, split per municipality, target group and unit, a 12-month trend, and the
drill-down to the clients behind a number (scoped, R-SEC-1).

How it works: every client-based KPI is a pair of filters on the organisation's clients (a
numerator and, for shares and growth, a denominator), built from the facts that the clients
and trajectories apps expose through their selectors. All KPIs of a year are then counted in
ONE aggregate query (`COUNT(*) FILTER (WHERE ...)` per KPI); a breakdown is one GROUP BY; a
trend is one query with a filtered count per month. Nothing loops over clients in Python.

Counts are organisation-wide aggregates without personal data (a policy officer may read
them); the drill-down starts from `core.access.scoped` on clients, so a user only ever
sees clients within their own scope.

One module per part (`context`, `guidance`, `counts`, `breakdowns`, `trend`); other code
imports from this package."""

from __future__ import annotations

from .breakdowns import (
    BreakdownRow,
    breakdown_by_municipality,
    breakdown_by_target_group,
    breakdown_by_unit,
)
from .breakdowns import (
    _grouped as _grouped,
)
from .breakdowns import (
    _has_denominator as _has_denominator,
)
from .breakdowns import (
    _row as _row,
)
from .breakdowns import (
    _satisfaction_by_municipality as _satisfaction_by_municipality,
)
from .context import (
    CLIENT_KPIS,
    KpiContext,
    KpiFilters,
    activity_window_months,
    base_clients,
    kpi_context,
    kpi_is_client_based,
    small_number_threshold,
    targets_for,
    with_filters,
)
from .context import (
    _aware as _aware,
)
from .context import (
    _settings_and_facts as _settings_and_facts,
)
from .counts import (
    LDR_NBW_Q,
    PARTS,
    client_sets,
    drilldown_clients,
    kpi_counts,
    kpi_result,
    kpi_results,
    satisfaction_by_trajectory_group,
    satisfaction_counts,
    survey_open_for,
)
from .counts import (
    _guidance_counts as _guidance_counts,
)
from .counts import (
    _lks_q as _lks_q,
)
from .counts import (
    _outcome_q as _outcome_q,
)
from .counts import (
    _placement_q as _placement_q,
)
from .counts import (
    _portal_answers as _portal_answers,
)
from .counts import (
    _surveys as _surveys,
)
from .guidance import (
    GUIDANCE_KPIS,
    guided_q,
)
from .guidance import (
    _guided_fact_client_ids as _guided_fact_client_ids,
)
from .guidance import (
    _guided_fact_filter as _guided_fact_filter,
)
from .guidance import (
    _guided_per_month as _guided_per_month,
)
from .guidance import (
    _guided_per_month_from_facts as _guided_per_month_from_facts,
)
from .guidance import (
    _guided_rows as _guided_rows,
)
from .guidance import (
    _guided_rows_from_facts as _guided_rows_from_facts,
)
from .trend import (
    _CACHED_TRENDS as _CACHED_TRENDS,
)
from .trend import (
    TREND_CACHE_SECONDS,
    TrendPoint,
    trend,
)
from .trend import (
    _trend as _trend,
)
from .trend import (
    _trend_cache_key as _trend_cache_key,
)

__all__ = [
    "CLIENT_KPIS",
    "GUIDANCE_KPIS",
    "LDR_NBW_Q",
    "PARTS",
    "TREND_CACHE_SECONDS",
    "BreakdownRow",
    "KpiContext",
    "KpiFilters",
    "TrendPoint",
    "activity_window_months",
    "base_clients",
    "breakdown_by_municipality",
    "breakdown_by_target_group",
    "breakdown_by_unit",
    "client_sets",
    "drilldown_clients",
    "guided_q",
    "kpi_context",
    "kpi_counts",
    "kpi_is_client_based",
    "kpi_result",
    "kpi_results",
    "satisfaction_by_trajectory_group",
    "satisfaction_counts",
    "small_number_threshold",
    "survey_open_for",
    "targets_for",
    "trend",
    "with_filters",
]
