"""The 12-month trend of a KPI: one query per KPI, the guided shares cached briefly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Count,
)
from django.db.models.functions import TruncMonth

from opstap.kpis import formulas as f
from opstap.kpis.formulas import KpiCode
from opstap.matching import selectors as matching_selectors
from opstap.trajectories import selectors as trajectory_selectors

from .context import KpiContext, base_clients
from .counts import LDR_NBW_Q, _lks_q, _portal_answers, _surveys
from .guidance import GUIDANCE_KPIS, _guided_per_month


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date  # first day of the month
    value: Decimal | None
    numerator: int
    denominator: int | None = None


#: The guided-share trends cost one EXISTS pair per client per month (about 0.7 s per KPI at
#: 20,000 clients on PostgreSQL); their months are history, so they are cached briefly.
TREND_CACHE_SECONDS = 900


_CACHED_TRENDS = (KpiCode.ACTIVE_GUIDANCE_WORK, KpiCode.ACTIVE_GUIDANCE_CARE)


def _trend_cache_key(ctx: KpiContext, code: KpiCode) -> str:
    flt = ctx.filters
    return (
        f"opstap:kpis:trend:{ctx.organisation_id}:{code.value}:{flt.year}:{flt.municipality}:"
        f"{flt.target_group}:{flt.unit}:{ctx.on.isoformat()}:{ctx.window_months}"
    )


def trend(ctx: KpiContext, code: KpiCode) -> list[TrendPoint]:
    """`_trend` of one KPI; the guided-share trends come from a short-lived cache (at most
    `TREND_CACHE_SECONDS` old; today's number on the card is always live)."""
    if code not in _CACHED_TRENDS:
        return _trend(ctx, code)
    key = _trend_cache_key(ctx, code)
    points: list[TrendPoint] | None = cache.get(key)
    if points is None:
        points = _trend(ctx, code)
        cache.set(key, points, TREND_CACHE_SECONDS)
    return points


def _trend(ctx: KpiContext, code: KpiCode) -> list[TrendPoint]:
    """The 12 months up to the measurement date, in one query per KPI:

    - shares of a population (R-KPI-1/5): the share guided at each month's end;
    - yearly flows (R-KPI-2/3): the number of clients per month;
    - durability (R-KPI-4): the share durable of the placements checked in that month
      (trajectory outcomes and placements via the WSP);
    - LKS (R-KPI-7): the number of clients working with LKS at each month's end;
    - satisfaction (R-KPI-6): the weighted score of the waves held in that month."""
    ends = f.month_ends(ctx.on)
    months = [e.replace(day=1) for e in ends]
    first = months[0]
    if code in (KpiCode.ACTIVE_GUIDANCE_WORK, KpiCode.ACTIVE_GUIDANCE_CARE):
        guided, total = _guided_per_month(ctx, GUIDANCE_KPIS[code], ends)
        return [
            TrendPoint(m, f.share_pct(guided[i], total), guided[i], total)
            for i, m in enumerate(months)
        ]
    if code is KpiCode.LKS_GROWTH:
        aggregates = {f"m{i}": Count("pk", filter=_lks_q(ctx, end)) for i, end in enumerate(ends)}
        row = base_clients(ctx).order_by().aggregate(**aggregates)
        return [TrendPoint(m, Decimal(row[f"m{i}"]), row[f"m{i}"]) for i, m in enumerate(months)]
    if code is KpiCode.SATISFACTION:
        per_month: dict[dt.date, list[tuple[Decimal, int]]] = {}
        if not ctx.filters.client_filtered:
            for held_on, score, n in (
                _surveys(ctx)
                .filter(held_on__gte=first, held_on__lte=ctx.on)
                .values_list("held_on", "score", "respondents")
            ):
                per_month.setdefault(held_on.replace(day=1), []).append((Decimal(score), n))
            for month, score, n in _portal_answers(ctx, first, ctx.on, TruncMonth("answered_on")):
                per_month.setdefault(month, []).append((score, n))
        return [
            TrendPoint(
                m, f.weighted_score(per_month.get(m, [])), sum(n for _s, n in per_month.get(m, []))
            )
            for m in months
        ]
    kind, subset, providers = {
        KpiCode.WERKFIT: ("werkfit", None, None),
        KpiCode.PLACEMENTS: ("placement", None, None),
        KpiCode.PLACEMENTS_LDR_NBW: ("placement", LDR_NBW_Q, None),
        KpiCode.PLACEMENTS_AMR: ("placement", None, ctx.amr_provider_ids),
        KpiCode.DURABLE_PLACEMENTS: ("durability_decided", None, None),
    }[code]
    clients = base_clients(ctx)
    if subset is not None:
        clients = clients.filter(subset)
    grouped = trajectory_selectors.outcome_facts_per_month(
        organisation_id=ctx.organisation_id,
        kind=kind,
        start=first,
        end=ctx.on,
        client_ids=clients.values("pk"),
        provider_ids=providers,
    )
    wsp: dict[dt.date, set[int]] = {}
    if code in (KpiCode.PLACEMENTS, KpiCode.PLACEMENTS_LDR_NBW):
        # Placements the WSP made through matching (issue 15), per month of their start.
        wsp = matching_selectors.wsp_placements_per_month(
            organisation_id=ctx.organisation_id,
            start=first,
            end=ctx.on,
            client_ids=clients.values("pk"),
        )
    wsp_checked: dict[dt.date, tuple[set[int], set[int]]] = {}
    if code is KpiCode.DURABLE_PLACEMENTS:
        # Placements via the WSP whose durability was checked that month (R-KPI-4).
        wsp_checked = matching_selectors.wsp_durability_per_month(
            organisation_id=ctx.organisation_id,
            start=first,
            end=ctx.on,
            client_ids=clients.values("pk"),
        )
    points = []
    for m in months:
        n, durable = grouped.get(m, (0, 0))
        n += len(wsp.get(m, ()))
        decided_wsp, durable_wsp = wsp_checked.get(m, (set(), set()))
        n += len(decided_wsp)
        durable += len(durable_wsp)
        if code is KpiCode.DURABLE_PLACEMENTS:
            points.append(TrendPoint(m, f.share_pct(durable, n), durable, n))
        else:
            points.append(TrendPoint(m, Decimal(n), n))
    return points
