"""'Actively guided' (R-KPI-1/5): live from the trajectories and the timeline, or from the KPI
facts per client and month (`kpis.facts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from opstap.clients import selectors as clients_selectors
from opstap.clients.models import (
    Client,
)
from opstap.kpis import formulas as f
from opstap.kpis.facts import GuidedTest, guided_test
from opstap.kpis.formulas import KpiCode
from opstap.kpis.models import KpiClientMonth
from opstap.trajectories import selectors as trajectory_selectors

from .context import KpiContext, _aware, base_clients


def guided_q(ctx: KpiContext, on: dt.date) -> Q:
    """R-KPI-1/5: an active trajectory on `on`, or an activity documented by the client's
    case manager in the `window_months` months up to and including `on`."""
    since = f.months_back(on, ctx.window_months) + dt.timedelta(days=1)
    return Q(trajectory_selectors.active_trajectory_exists(on=on)) | Q(
        clients_selectors.documented_activity_exists(
            since=_aware(since),
            until=_aware(on + dt.timedelta(days=1)),
            kinds=f.DOCUMENTED_ACTIVITY_KINDS,
        )
    )


GUIDANCE_KPIS: dict[KpiCode, tuple[str, ...]] = {
    KpiCode.ACTIVE_GUIDANCE_WORK: f.WORK_GUIDANCE_STEPS,
    KpiCode.ACTIVE_GUIDANCE_CARE: f.CARE_GUIDANCE_STEPS,
}


def _guided_rows(ctx: KpiContext, steps: Iterable[str], **groups: Any) -> list[tuple[Any, ...]]:
    """R-KPI-1/5 counted in one pass: (group values..., population, guided) per group of the
    filtered clients on `steps`. The trajectories and activities that make a client guided on
    the measurement date are read once, grouped per client and LEFT JOINed to the population,
    instead of an EXISTS per client (450,000 index probes at national scale)."""
    population = base_clients(ctx).filter(ladder_step__in=list(steps))
    ids = population.values("pk")
    since = f.months_back(ctx.on, ctx.window_months) + dt.timedelta(days=1)
    if ctx.facts and _on_fact_dimensions(ctx, groups):
        return _guided_rows_on_fact_rows(ctx, population, steps, **groups)
    if ctx.facts:
        return _guided_rows_from_facts(ctx, population, steps, **groups)
    facts = trajectory_selectors.active_trajectory_month_flags(
        organisation_id=ctx.organisation_id, month_ends=(ctx.on,), client_ids=ids
    ).union(
        clients_selectors.documented_activity_month_flags(
            organisation_id=ctx.organisation_id,
            windows=[(_aware(since), _aware(ctx.on + dt.timedelta(days=1)))],
            kinds=f.DOCUMENTED_ACTIVITY_KINDS,
            client_ids=ids,
        ),
        all=True,
    )
    facts_sql, facts_params = facts.query.sql_with_params()
    guided = f"SELECT client_id FROM ({facts_sql}) facts GROUP BY client_id HAVING MAX(f0) = 1"  # noqa: S608
    return _population_joined(population, guided, facts_params, groups)


def _population_joined(
    population: QuerySet[Client], guided_sql: str, guided_params: Any, groups: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """(group values..., population, guided) per group: the population LEFT JOINed once to
    the ids of the guided clients (`guided_sql`, at most one row per client). One hash join,
    instead of a lookup of each client in the guided set (a hashed subplan that PostgreSQL
    builds again in every parallel worker: 330 against 215 ms at national scale)."""
    names = [f"kpi_g{i}" for i in range(len(groups))]
    people = (
        population.order_by()
        .annotate(kpi_client=F("pk"), **dict(zip(names, groups.values(), strict=True)))
        .values("kpi_client", *names)
    )
    people_sql, people_params = people.query.sql_with_params()
    cols = ", ".join(f"people.{n}" for n in names)
    select = f"{cols}, " if names else ""
    group_by = f" GROUP BY {cols}" if names else ""
    query = (
        f"SELECT {select}COUNT(*), COUNT(guided.client_id) FROM ({people_sql}) people "  # noqa: S608
        f"LEFT JOIN ({guided_sql}) guided ON guided.client_id = people.kpi_client{group_by}"
    )
    with connections[people.db].cursor() as cursor:
        cursor.execute(query, (*people_params, *guided_params))
        return [tuple(r) for r in cursor.fetchall()]


def _guided_fact_filter(test: GuidedTest, key: str) -> tuple[dict[str, Any], Q]:
    """Annotations and the filter on `KpiClientMonth` rows for "guided" (`facts.is_guided`
    in SQL): a bit of the day's trajectory mask, a bit of the window's activity mask, or an
    earlier activity inside the window."""
    annotations = {
        f"{key}_t": F("trajectory_days").bitand(test.trajectory_bit),
        f"{key}_a": F("activity_days").bitand(test.activity_mask),
    }
    guided = Q(**{f"{key}_t__gt": 0}) | Q(**{f"{key}_a__gt": 0})
    if test.since is not None:
        guided |= Q(last_activity_before__gte=test.since)
    return annotations, Q(month=test.month) & guided


def _guided_fact_client_ids(
    ctx: KpiContext, on: dt.date, steps: Iterable[str] | None = None
) -> QuerySet[Any]:
    """Ids of the organisation's clients guided on `on`, from the facts (one month's rows);
    with `steps`, only those of the population's steps and municipality filter (the rows
    carry them), so that the set the population is joined to is no larger than needed."""
    annotations, q = _guided_fact_filter(guided_test(on, ctx.window_months), "g")
    rows: QuerySet[KpiClientMonth] = KpiClientMonth.objects.filter(
        organisation_id=ctx.organisation_id, month=on.replace(day=1)
    )
    if steps is not None:
        rows = _fact_rows_of_population(ctx, rows, steps)
    return rows.order_by().annotate(**annotations).filter(q).values("client_id")


#: The client columns every facts row carries (the client's current values, `KpiClientMonth`).
FACT_DIMENSIONS = ("municipality_id", "ladder_step", "ladder_sub_status")


def _on_fact_dimensions(ctx: KpiContext, groups: dict[str, Any]) -> bool:
    """Whether the population is filtered and grouped only on columns the facts rows carry
    (municipality, ladder step, sub-status), so that the guided clients can be counted on the
    facts rows alone. Target group and unit are derived on the measurement date from the
    client and its mappings: those keep the lookup per client."""
    if ctx.filters.target_group or ctx.filters.unit:
        return False
    return all(
        isinstance(g, F) and getattr(g, "name", None) in FACT_DIMENSIONS for g in groups.values()
    )


def _fact_rows_of_population(
    ctx: KpiContext, rows: QuerySet[KpiClientMonth], steps: Iterable[str]
) -> QuerySet[KpiClientMonth]:
    """`rows` narrowed to the population's clients on the columns the rows carry: the
    organisation, the steps and the municipality filter (the target-group and unit filters,
    which the rows do not carry, are applied to the population it is joined to)."""
    rows = rows.filter(organisation_id=ctx.organisation_id, ladder_step__in=list(steps))
    if ctx.filters.municipality:
        rows = rows.filter(municipality_id=ctx.filters.municipality)
    return rows


def _guided_rows_on_fact_rows(
    ctx: KpiContext, population: QuerySet[Client], steps: Iterable[str], **groups: Any
) -> list[tuple[Any, ...]]:
    """`_guided_rows` when `_on_fact_dimensions`: the population per group is an index count
    on the clients, the guided clients per group one scan of the measurement month's facts
    rows (`kpi_fact_org_month_dims`), grouped on the row's own columns; both in one
    statement (UNION ALL, summed per group). No lookup per client."""
    annotations, q = _guided_fact_filter(guided_test(ctx.on, ctx.window_months), "g")
    guided = (
        _fact_rows_of_population(ctx, KpiClientMonth.objects.all(), steps)
        .order_by()
        .annotate(**annotations)
        .filter(q)
    )
    names = [f"kpi_g{i}" for i in range(len(groups))]
    named = dict(zip(names, groups.values(), strict=True))
    people = population.order_by().annotate(**named).values(*names or ["pk"])
    guided = guided.annotate(**named).values(*names or ["client_id"])
    people_sql, people_params = people.query.sql_with_params()
    guided_sql, guided_params = guided.query.sql_with_params()
    cols = ", ".join(names)
    select = f"{cols}, " if names else ""
    group_by = f" GROUP BY {cols}" if names else ""
    query = (
        f"SELECT {select}SUM(kpi_d), SUM(kpi_n) FROM ("  # noqa: S608
        f"SELECT {select}COUNT(*) AS kpi_d, 0 AS kpi_n FROM ({people_sql}) people{group_by} "
        f"UNION ALL SELECT {select}0, COUNT(*) FROM ({guided_sql}) guided{group_by}"
        f") counted{group_by}"
    )
    with connections[people.db].cursor() as cursor:
        cursor.execute(query, (*people_params, *guided_params))
        return [(*r[:-2], int(r[-2] or 0), int(r[-1] or 0)) for r in cursor.fetchall()]


def _guided_rows_from_facts(
    ctx: KpiContext, population: QuerySet[Client], steps: Iterable[str], **groups: Any
) -> list[tuple[Any, ...]]:
    """`_guided_rows` from the facts: one GROUP BY over the population, joined to the clients
    guided in the measurement month's facts (no scan of trajectories or the timeline)."""
    guided_sql, guided_params = _guided_fact_client_ids(ctx, ctx.on, steps).query.sql_with_params()
    return _population_joined(population, guided_sql, guided_params, groups)


def _guided_per_month(
    ctx: KpiContext, steps: Iterable[str], ends: tuple[dt.date, ...]
) -> tuple[list[int], int]:
    """R-KPI-1/5 trend of the population on `steps` in one pass: the rows of every trajectory
    and documented activity of the population that count at any month end, each with a 0/1
    flag per month end, are grouped per client (MAX: guided that month by either) and summed
    per month. Two queries (this one and the population size), no EXISTS per client per
    month."""
    clients = base_clients(ctx).filter(ladder_step__in=list(steps))
    ids = clients.values("pk")
    if ctx.facts:
        return _guided_per_month_from_facts(ctx, clients, steps, ends)
    windows = [
        (
            _aware(f.months_back(end, ctx.window_months) + dt.timedelta(days=1)),
            _aware(end + dt.timedelta(days=1)),
        )
        for end in ends
    ]
    facts = trajectory_selectors.active_trajectory_month_flags(
        organisation_id=ctx.organisation_id, month_ends=ends, client_ids=ids
    ).union(
        clients_selectors.documented_activity_month_flags(
            organisation_id=ctx.organisation_id,
            windows=windows,
            kinds=f.DOCUMENTED_ACTIVITY_KINDS,
            client_ids=ids,
        ),
        all=True,
    )
    sql, params = facts.query.sql_with_params()
    per_client = ", ".join(f"MAX(f{i}) AS f{i}" for i in range(len(ends)))
    sums = ", ".join(f"COALESCE(SUM(f{i}), 0)" for i in range(len(ends)))
    query = (
        f"SELECT {sums} FROM (SELECT client_id, {per_client} FROM ({sql}) facts "  # noqa: S608
        "GROUP BY client_id) per_client"
    )
    with connections[facts.db].cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return [int(v) for v in row], clients.count()


def _guided_per_month_from_facts(
    ctx: KpiContext, clients: QuerySet[Client], steps: Iterable[str], ends: tuple[dt.date, ...]
) -> tuple[list[int], int]:
    """`_guided_per_month` from the facts: one pass over the population's rows of the 12
    months, a filtered count per month end (each client has one row per month). The rows are
    narrowed to the population on their own columns (`_on_fact_dimensions`), else by a
    lookup of each row's client in the filtered clients."""
    annotations: dict[str, Any] = {}
    aggregates: dict[str, Any] = {}
    for i, end in enumerate(ends):
        more, q = _guided_fact_filter(guided_test(end, ctx.window_months), f"m{i}")
        annotations |= more
        # COUNT(client_id): a column of the index (`id` is not), so an index-only scan (PG).
        aggregates[f"f{i}"] = Count("client", filter=q)
    rows: QuerySet[KpiClientMonth] = KpiClientMonth.objects.filter(
        organisation_id=ctx.organisation_id, month__in=[e.replace(day=1) for e in ends]
    )
    if _on_fact_dimensions(ctx, {}):
        rows = _fact_rows_of_population(ctx, rows, steps)
    else:
        rows = rows.filter(client_id__in=clients.values("pk"))
    row = rows.order_by().annotate(**annotations).aggregate(**aggregates)
    return [int(row[f"f{i}"]) for i in range(len(ends))], clients.count()
