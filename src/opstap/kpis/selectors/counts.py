"""The counts behind every KPI (R-KPI-1..7) in one aggregate query, and the drill-down to the
clients behind a number (scoped, R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)

from opstap.clients import selectors as clients_selectors
from opstap.clients.models import (
    Client,
)
from opstap.core.actor import Actor
from opstap.kpis import formulas as f
from opstap.kpis.formulas import KpiCode, KpiCounts, KpiResult
from opstap.kpis.models import SatisfactionResponse, SatisfactionSurveyWave
from opstap.matching import selectors as matching_selectors
from opstap.trajectories import selectors as trajectory_selectors

from .context import CLIENT_KPIS, KpiContext, base_clients, targets_for
from .guidance import GUIDANCE_KPIS, _guided_fact_client_ids, _guided_rows, guided_q


def _outcome_q(ctx: KpiContext, kind: str, provider_ids: Iterable[int] | None = None) -> Q:
    return Q(
        pk__in=trajectory_selectors.outcome_fact_client_ids(
            organisation_id=ctx.organisation_id,
            kind=kind,
            start=ctx.year_start,
            end=ctx.on,
            provider_ids=provider_ids,
        )
    )


def _placement_q(ctx: KpiContext, provider_ids: Iterable[int] | None = None) -> Q:
    """R-KPI-3: clients placed in the year — a placement recorded as a trajectory's outcome
    (R-TRJ-7; placements through matching via a provider are recorded there too) or a
    placement the WSP made through matching without a trajectory (issue 15). A client counts
    once. The AMR subset counts only trajectories of the AMR providers."""
    q = _outcome_q(ctx, "placement", provider_ids=provider_ids)
    if provider_ids is None:
        q |= Q(
            pk__in=matching_selectors.wsp_placement_client_ids(
                organisation_id=ctx.organisation_id, start=ctx.year_start, end=ctx.on
            )
        )
    return q


def _durability_q(ctx: KpiContext, kind: str) -> Q:
    """R-KPI-4: clients with a durability verdict ("durability_decided") or a durable
    placement ("durable") checked in the year: a trajectory's outcome (R-TRJ-7) or a placement
    the WSP made through matching without a trajectory. A client counts once."""
    return _outcome_q(ctx, kind) | Q(
        pk__in=matching_selectors.wsp_durability_client_ids(
            organisation_id=ctx.organisation_id, kind=kind, start=ctx.year_start, end=ctx.on
        )
    )


def _lks_q(ctx: KpiContext, on: dt.date) -> Q:
    return Q(
        pk__in=trajectory_selectors.lks_working_client_ids(
            organisation_id=ctx.organisation_id, on=on
        )
    )


LDR_NBW_Q = Q(ldr_registered=True) | Q(nbw_indication=True)


def client_sets(ctx: KpiContext, code: KpiCode) -> tuple[Q, Q | None]:
    """(numerator, denominator) filters on clients for one client-based KPI."""
    if code is KpiCode.ACTIVE_GUIDANCE_WORK or code is KpiCode.ACTIVE_GUIDANCE_CARE:
        steps = (
            f.WORK_GUIDANCE_STEPS if code is KpiCode.ACTIVE_GUIDANCE_WORK else f.CARE_GUIDANCE_STEPS
        )
        population = Q(ladder_step__in=steps)
        if ctx.facts:
            guided = _guided_fact_client_ids(ctx, ctx.on, steps)
            return population & Q(pk__in=guided), population
        return population & guided_q(ctx, ctx.on), population
    if code is KpiCode.WERKFIT:
        return _outcome_q(ctx, "werkfit"), None
    if code is KpiCode.PLACEMENTS:
        return _placement_q(ctx), None
    if code is KpiCode.PLACEMENTS_LDR_NBW:
        return _placement_q(ctx) & LDR_NBW_Q, None
    if code is KpiCode.PLACEMENTS_AMR:
        return _placement_q(ctx, provider_ids=ctx.amr_provider_ids), None
    if code is KpiCode.DURABLE_PLACEMENTS:
        return _durability_q(ctx, "durable"), _durability_q(ctx, "durability_decided")
    if code is KpiCode.LKS_GROWTH:
        previous_end = dt.date(ctx.filters.year - 1, 12, 31)
        return _lks_q(ctx, ctx.on), _lks_q(ctx, previous_end)
    raise ValueError(f"{code} is not counted on clients")


def _surveys(ctx: KpiContext) -> QuerySet[SatisfactionSurveyWave]:
    qs = SatisfactionSurveyWave.objects.filter(organisation_id=ctx.organisation_id)
    if ctx.filters.municipality:
        qs = qs.filter(municipality_id=ctx.filters.municipality)
    return qs


def _portal_answers(
    ctx: KpiContext, start: dt.date, end: dt.date, *group: Any
) -> list[tuple[Any, ...]]:
    """Answers given in the portal (R-KPI-6, R-POR) between `start` and `end`, as
    (group values..., mean score, respondents) rows: each answer is one respondent."""
    qs = SatisfactionResponse.objects.filter(
        organisation_id=ctx.organisation_id, answered_on__gte=start, answered_on__lte=end
    )
    if ctx.filters.municipality:
        qs = qs.filter(client__municipality_id=ctx.filters.municipality)
    names = [f"g{i}" for i in range(len(group))]
    rows = (
        qs.order_by()
        .annotate(**dict(zip(names, group, strict=True)))
        .values(*names)
        .annotate(total=Sum("score"), n=Count("pk"))
        .values_list(*names, "total", "n")
    )
    return [(*r[:-2], Decimal(r[-2]) / r[-1], r[-1]) for r in rows if r[-1]]


def satisfaction_counts(ctx: KpiContext) -> KpiCounts:
    """R-KPI-6: the respondent-weighted score of the year's waves and of the answers given
    in the portal, each answer one respondent (two queries)."""
    waves = list(
        _surveys(ctx)
        .filter(held_on__gte=ctx.year_start, held_on__lte=ctx.on)
        .values_list("score", "respondents")
    ) + _portal_answers(ctx, ctx.year_start, ctx.on)
    return KpiCounts(
        numerator=sum(n for _s, n in waves),
        score=f.weighted_score([(Decimal(s), n) for s, n in waves]),
    )


def _guidance_counts(ctx: KpiContext) -> dict[KpiCode, KpiCounts]:
    """R-KPI-1 and R-KPI-5 in one grouped query (per ladder step)."""
    all_steps = [s for steps in GUIDANCE_KPIS.values() for s in steps]
    per_step = {
        step: (int(d), int(n)) for step, d, n in _guided_rows(ctx, all_steps, step=F("ladder_step"))
    }
    return {
        code: KpiCounts(
            numerator=sum(per_step.get(s, (0, 0))[1] for s in steps),
            denominator=sum(per_step.get(s, (0, 0))[0] for s in steps),
        )
        for code, steps in GUIDANCE_KPIS.items()
    }


def kpi_counts(ctx: KpiContext) -> dict[KpiCode, KpiCounts]:
    """The counts of every KPI: one aggregate query over the filtered clients, one grouped
    pass for the guided shares (R-KPI-1/5), one query on the survey waves."""
    aggregates: dict[str, Any] = {}
    others = [c for c in CLIENT_KPIS if c not in GUIDANCE_KPIS]
    for code in others:
        numerator, denominator = client_sets(ctx, code)
        key = code.value.replace("-", "_")
        aggregates[f"{key}__n"] = Count("pk", filter=numerator)
        if denominator is not None:
            aggregates[f"{key}__d"] = Count("pk", filter=denominator)
    row = base_clients(ctx).order_by().aggregate(**aggregates)
    result: dict[KpiCode, KpiCounts] = _guidance_counts(ctx)
    for code in others:
        key = code.value.replace("-", "_")
        result[code] = KpiCounts(numerator=row[f"{key}__n"], denominator=row.get(f"{key}__d"))
    if ctx.filters.client_filtered:
        result[KpiCode.SATISFACTION] = KpiCounts(numerator=0, score=None)
    else:
        result[KpiCode.SATISFACTION] = satisfaction_counts(ctx)
    return result


def kpi_results(ctx: KpiContext) -> list[KpiResult]:
    """Every KPI with realisation, target and status, in the order of the spec."""
    counts = kpi_counts(ctx)
    targets = targets_for(ctx.organisation_id, ctx.filters.year)
    return [
        f.evaluate(d, counts[d.code], target=targets[d.code], elapsed=ctx.elapsed)
        for d in f.DEFINITIONS
    ]


def kpi_result(ctx: KpiContext, code: KpiCode) -> KpiResult:
    """One KPI (the detail page): the same numbers as the dashboard."""
    d = f.definition(code)
    if code is KpiCode.SATISFACTION:
        counts = KpiCounts(numerator=0) if ctx.filters.client_filtered else satisfaction_counts(ctx)
    elif code in GUIDANCE_KPIS:
        ((d_count, n_count),) = _guided_rows(ctx, GUIDANCE_KPIS[code])
        counts = KpiCounts(numerator=int(n_count), denominator=int(d_count))
    else:
        numerator, denominator = client_sets(ctx, code)
        aggregates: dict[str, Any] = {"n": Count("pk", filter=numerator)}
        if denominator is not None:
            aggregates["d"] = Count("pk", filter=denominator)
        row = base_clients(ctx).order_by().aggregate(**aggregates)
        counts = KpiCounts(numerator=row["n"], denominator=row.get("d"))
    target = targets_for(ctx.organisation_id, ctx.filters.year)[code]
    return f.evaluate(d, counts, target=target, elapsed=ctx.elapsed)


#: Which part of a KPI a drill-down lists: the numerator ("teller"), the whole population
#: ("noemer") or the population without the numerator ("rest": e.g. not yet guided).
PARTS = ("teller", "noemer", "rest")


def drilldown_clients(
    *, user: Actor, ctx: KpiContext, code: KpiCode, part: str = "teller"
) -> QuerySet[Client]:
    """The clients behind a number, limited to the clients `user` may see."""
    if code is KpiCode.SATISFACTION:
        return clients_selectors.clients_for(user).none()
    numerator, denominator = client_sets(ctx, code)
    if part == "noemer" and denominator is not None:
        wanted = denominator
    elif part == "rest" and denominator is not None:
        wanted = denominator & ~numerator
    else:
        wanted = numerator
    visible = clients_selectors.clients_for(user)
    return (
        visible.filter(pk__in=base_clients(ctx).filter(wanted).values("pk"))
        .select_related("municipality", "case_manager")
        .order_by("last_name", "first_name", "id")
    )


def satisfaction_by_trajectory_group(
    *, organisation_id: int, provider_ids: list[int], group: str, start: dt.date, end: dt.date
) -> dict[int, tuple[int, Decimal]]:
    """The providers' satisfaction indicator (R-PI-1, outcome "klanttevredenheid"): per
    provider or product (`group` = "provider_id" | "product_id") the number and sum of the
    scores residents gave in the portal about a trajectory, answered in the period; one
    grouped query."""
    if group not in ("provider_id", "product_id"):
        raise ValueError(group)
    rows = (
        SatisfactionResponse.objects.filter(
            organisation_id=organisation_id,
            trajectory__provider_id__in=provider_ids,
            answered_on__gte=start,
            answered_on__lte=end,
        )
        .order_by()
        .values(key=F(f"trajectory__{group}"))
        .annotate(n=Count("pk"), total=Sum("score"))
        .values_list("key", "n", "total")
    )
    return {key: (n, Decimal(total)) for key, n, total in rows}


#: May a trajectory in this state be rated by its client (R-KPI-6)? For the portal.
survey_open_for = f.survey_open_for
