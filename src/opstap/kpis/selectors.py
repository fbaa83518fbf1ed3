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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from opstap.clients import selectors as clients_selectors
from opstap.clients.models import (
    TARGET_GROUP_LABELS_NL,
    UNIT_LABELS_NL,
    Client,
    LadderStep,
    LadderSubStatus,
    TargetGroupCode,
    UnitCode,
)
from opstap.clients.selectors import LadderPosition, resolve_mapping
from opstap.core.actor import Actor
from opstap.matching import selectors as matching_selectors
from opstap.organisations import selectors as organisations_selectors
from opstap.organisations.selectors import municipalities_for
from opstap.trajectories import selectors as trajectory_selectors

from . import formulas as f
from .facts import GuidedTest, guided_test
from .formulas import KpiCode, KpiCounts, KpiKind, KpiResult
from .models import (
    KpiClientMonth,
    KpiFactState,
    KpiSettings,
    KpiTarget,
    LabourMarketRegionProvider,
    SatisfactionResponse,
    SatisfactionSurveyWave,
)

#: The KPIs counted on clients (all but the survey score).
CLIENT_KPIS: tuple[KpiCode, ...] = tuple(
    d.code for d in f.DEFINITIONS if d.code is not KpiCode.SATISFACTION
)


@dataclass(frozen=True)
class KpiFilters:
    year: int
    municipality: int | None = None
    target_group: str = ""
    unit: str = ""

    @property
    def client_filtered(self) -> bool:
        """Whether a filter applies that a survey score cannot follow."""
        return bool(self.target_group or self.unit)


@dataclass(frozen=True)
class KpiContext:
    """Everything a KPI read needs, resolved once per request (two small queries)."""

    organisation_id: int
    filters: KpiFilters
    today: dt.date
    on: dt.date  # measurement date of the year
    window_months: int
    amr_provider_ids: tuple[int, ...]
    #: Read "actively guided" (R-KPI-1/5) from the KPI facts per client and month instead of
    #: the trajectories and the timeline (`facts`; the same numbers): when the organisation's
    #: facts are built and cover the 12 months up to the measurement date.
    facts: bool = False

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.filters.year, 1, 1)

    @property
    def elapsed(self) -> Decimal:
        return f.elapsed_fraction(self.filters.year, self.today)


def kpi_context(
    *, organisation_id: int, filters: KpiFilters, today: dt.date | None = None
) -> KpiContext:
    today = today or timezone.localdate()
    on = f.measurement_date(filters.year, today)
    window, facts = _settings_and_facts(organisation_id, on)
    return KpiContext(
        organisation_id=organisation_id,
        filters=filters,
        today=today,
        on=on,
        window_months=window,
        amr_provider_ids=tuple(
            LabourMarketRegionProvider.objects.filter(organisation_id=organisation_id)
            .order_by("provider_id")
            .values_list("provider_id", flat=True)
        ),
        facts=facts,
    )


def _settings_and_facts(organisation_id: int, on: dt.date) -> tuple[int, bool]:
    """In one query: the activity window (R-KPI-1) and whether the organisation's KPI facts
    are built and cover the 12 months up to `on` (the trend's months), so that they can
    answer instead of the live computation."""
    first = f.month_ends(on)[0].replace(day=1)
    covered = KpiFactState.objects.filter(
        organisation_id=organisation_id,
        ready=True,
        built_from__lte=first,
        built_through__gte=on.replace(day=1),
    )
    window = KpiSettings.objects.filter(organisation_id=organisation_id).values(
        "activity_window_months"
    )[:1]
    row = (
        organisations_selectors.organisation_row(organisation_id)
        .annotate(kpi_window=Subquery(window), kpi_facts=Exists(covered))
        .values_list("kpi_window", "kpi_facts")
        .first()
    )
    if row is None:
        return f.ACTIVITY_WINDOW_MONTHS_DEFAULT, False
    return row[0] or f.ACTIVITY_WINDOW_MONTHS_DEFAULT, bool(row[1])


def activity_window_months(organisation_id: int) -> int:
    value = (
        KpiSettings.objects.filter(organisation_id=organisation_id)
        .values_list("activity_window_months", flat=True)
        .first()
    )
    return value or f.ACTIVITY_WINDOW_MONTHS_DEFAULT


def targets_for(organisation_id: int, year: int) -> dict[KpiCode, Decimal | None]:
    """The target of every KPI in `year`: the organisation's row, else the spec default."""
    own = dict(
        KpiTarget.objects.filter(organisation_id=organisation_id, year=year).values_list(
            "kpi", "target"
        )
    )
    return {
        d.code: own[d.code.value] if d.code.value in own else f.default_target(d.code, year)
        for d in f.DEFINITIONS
    }


# --- The client sets behind each KPI ---------------------------------------------------------


def base_clients(ctx: KpiContext) -> QuerySet[Client]:
    """The organisation's clients narrowed by the filters (municipality, target group and
    unit as derived on the measurement date)."""
    qs = clients_selectors.organisation_clients(organisation_id=ctx.organisation_id)
    flt = ctx.filters
    if flt.municipality:
        qs = qs.filter(municipality_id=flt.municipality)
    if flt.target_group:
        qs = qs.filter(clients_selectors.target_group_q(flt.target_group, ctx.on))
    if flt.unit:
        qs = qs.filter(
            clients_selectors.unit_q(organisation_id=ctx.organisation_id, unit=flt.unit, on=ctx.on)
        )
    return qs


def small_number_threshold(user: Any, ctx: KpiContext) -> int | None:
    """The threshold under which counts are suppressed for `user` (issue 19 item 11; see
    `disclosure`), or None when the user may see every client behind the numbers (all
    clients of the selection are within their scope: e.g. a team lead filtered on their own
    unit). `OPSTAP_SMALL_NUMBER_THRESHOLD` (default 5)."""
    from django.conf import settings

    from .disclosure import DEFAULT_THRESHOLD

    threshold = int(getattr(settings, "OPSTAP_SMALL_NUMBER_THRESHOLD", DEFAULT_THRESHOLD))
    if threshold <= 1:
        return None
    if not user.has_opstap_perm("clients.view"):
        return threshold
    visible = clients_selectors.clients_for(user).values("pk")
    outside = base_clients(ctx).exclude(pk__in=visible).order_by().exists()
    return threshold if outside else None


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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
            return population & Q(pk__in=_guided_fact_client_ids(ctx, ctx.on)), population
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
        return _outcome_q(ctx, "durable"), _outcome_q(ctx, "durability_decided")
    if code is KpiCode.LKS_GROWTH:
        previous_end = dt.date(ctx.filters.year - 1, 12, 31)
        return _lks_q(ctx, ctx.on), _lks_q(ctx, previous_end)
    raise ValueError(f"{code} is not counted on clients")


# --- Results ---------------------------------------------------------------------------------


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
    if ctx.facts:
        return _guided_rows_from_facts(ctx, population, **groups)
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
    names = [f"kpi_g{i}" for i in range(len(groups))]
    people = (
        population.order_by()
        .annotate(kpi_client=F("pk"), **dict(zip(names, groups.values(), strict=True)))
        .values("kpi_client", *names)
    )
    people_sql, people_params = people.query.sql_with_params()
    facts_sql, facts_params = facts.query.sql_with_params()
    cols = ", ".join(f"people.{n}" for n in names)
    select = f"{cols}, " if names else ""
    group_by = f" GROUP BY {cols}" if names else ""
    query = (
        f"SELECT {select}COUNT(*), COUNT(guided.client_id) FROM ({people_sql}) people "  # noqa: S608
        f"LEFT JOIN (SELECT client_id FROM ({facts_sql}) facts GROUP BY client_id "
        f"HAVING MAX(f0) = 1) guided ON guided.client_id = people.kpi_client{group_by}"
    )
    with connections[people.db].cursor() as cursor:
        cursor.execute(query, (*people_params, *facts_params))
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


def _guided_fact_client_ids(ctx: KpiContext, on: dt.date) -> QuerySet[Any]:
    """Ids of the organisation's clients guided on `on`, from the facts (one month's rows)."""
    annotations, q = _guided_fact_filter(guided_test(on, ctx.window_months), "g")
    return (
        KpiClientMonth.objects.filter(organisation_id=ctx.organisation_id, month=on.replace(day=1))
        .order_by()
        .annotate(**annotations)
        .filter(q)
        .values("client_id")
    )


def _guided_rows_from_facts(
    ctx: KpiContext, population: QuerySet[Client], **groups: Any
) -> list[tuple[Any, ...]]:
    """`_guided_rows` from the facts: one GROUP BY over the population, each client flagged
    by a lookup in the measurement month's facts (no scan of trajectories or the timeline)."""
    guided = Q(pk__in=_guided_fact_client_ids(ctx, ctx.on))
    if not groups:
        row = population.order_by().aggregate(kpi_d=Count("pk"), kpi_n=Count("pk", filter=guided))
        return [(row["kpi_d"], row["kpi_n"])]
    names = [f"kpi_g{i}" for i in range(len(groups))]
    rows = (
        population.order_by()
        .annotate(**dict(zip(names, groups.values(), strict=True)))
        .values(*names)
        .annotate(kpi_d=Count("pk"), kpi_n=Count("pk", filter=guided))
        .values_list(*names, "kpi_d", "kpi_n")
    )
    return [tuple(r) for r in rows]


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


# --- Breakdowns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    counts: KpiCounts
    realised: Decimal | None


def _row(code: KpiCode, label: str, n: int, d: int | None) -> BreakdownRow:
    counts = KpiCounts(numerator=n, denominator=d)
    kind = f.definition(code).kind
    return BreakdownRow(label=label, counts=counts, realised=f.realisation(kind, counts))


def _grouped(ctx: KpiContext, code: KpiCode, *fields: str, **flags: Any) -> list[tuple[Any, ...]]:
    """(group values..., numerator, denominator) rows of one GROUP BY over the clients that
    are in the KPI's numerator or denominator; `flags` are extra grouping expressions. The
    numerator is evaluated once per client row; the guided shares (R-KPI-1/5) in one pass."""
    if code in GUIDANCE_KPIS:
        groups = {f"f_{n}": F(n) for n in fields} | flags
        return [
            (*r[:-2], int(r[-1]), int(r[-2]))
            for r in _guided_rows(ctx, GUIDANCE_KPIS[code], **groups)
        ]
    numerator, denominator = client_sets(ctx, code)
    if denominator is None:
        relevant = numerator
    elif f.definition(code).kind is KpiKind.SHARE:
        relevant = denominator  # a share's numerator is part of its denominator
    else:
        relevant = numerator | denominator
    fields = (*fields, *flags)
    rows = (
        base_clients(ctx)
        .filter(relevant)
        .order_by()
        .annotate(**flags)
        .values(*fields)
        .annotate(
            kpi_n=Count("pk", filter=numerator),
            kpi_d=Count("pk", filter=denominator if denominator is not None else numerator),
        )
        .values_list(*fields, "kpi_n", "kpi_d")
    )
    return [tuple(r) for r in rows]


def _has_denominator(code: KpiCode) -> bool:
    return f.definition(code).kind in (KpiKind.SHARE, KpiKind.GROWTH)


def breakdown_by_municipality(ctx: KpiContext, code: KpiCode) -> list[BreakdownRow]:
    """One GROUP BY municipality (plus the municipality names)."""
    if code is KpiCode.SATISFACTION:
        return _satisfaction_by_municipality(ctx)
    counts = {r[0]: (int(r[1]), int(r[2])) for r in _grouped(ctx, code, "municipality_id")}
    has_d = _has_denominator(code)
    result = []
    for m in municipalities_for(ctx.organisation_id):
        if ctx.filters.municipality and m.pk != ctx.filters.municipality:
            continue
        n, d = counts.get(m.pk, (0, 0))
        result.append(_row(code, m.name, n, d if has_d else None))
    return result


def _satisfaction_by_municipality(ctx: KpiContext) -> list[BreakdownRow]:
    waves = list(
        _surveys(ctx)
        .filter(held_on__gte=ctx.year_start, held_on__lte=ctx.on)
        .values_list("municipality_id", "score", "respondents")
    ) + _portal_answers(ctx, ctx.year_start, ctx.on, F("client__municipality_id"))
    result = []
    names = [(None, "Hele organisatie")] + [
        (m.pk, m.name) for m in municipalities_for(ctx.organisation_id)
    ]
    for mid, name in names:
        mine = [(Decimal(s), n) for m, s, n in waves if m == mid]
        if ctx.filters.municipality and mid != ctx.filters.municipality:
            continue
        score = f.weighted_score(mine)
        counts = KpiCounts(numerator=sum(n for _s, n in mine), score=score)
        result.append(BreakdownRow(label=name, counts=counts, realised=score))
    return result


def breakdown_by_unit(ctx: KpiContext, code: KpiCode) -> list[BreakdownRow]:
    """One GROUP BY ladder position; positions map to units with the configurable mapping
    valid on the measurement date (R-LAD-2)."""
    if code is KpiCode.SATISFACTION:
        return []
    mapping = clients_selectors.mapping_rows(
        organisation_id=ctx.organisation_id, kind="unit", on=ctx.on
    )
    totals: dict[str, list[int]] = {u.value: [0, 0] for u in UnitCode}
    totals[""] = [0, 0]
    for step, sub_status, n, d in _grouped(ctx, code, "ladder_step", "ladder_sub_status"):
        pos = LadderPosition(LadderStep(step), LadderSubStatus(sub_status) if sub_status else None)
        unit = resolve_mapping(mapping, pos) or ""
        totals.setdefault(unit, [0, 0])
        totals[unit][0] += n
        totals[unit][1] += d
    has_d = _has_denominator(code)
    rows = [
        _row(code, UNIT_LABELS_NL[u], totals[u.value][0], totals[u.value][1] if has_d else None)
        for u in UnitCode
    ]
    if any(totals[""]):
        rows.append(_row(code, "Geen unit", totals[""][0], totals[""][1] if has_d else None))
    return rows


def breakdown_by_target_group(ctx: KpiContext, code: KpiCode) -> list[BreakdownRow]:
    """One GROUP BY over the target-group memberships (a flag per group, at most 64 groups
    of clients), summed per target group. Groups overlap: a client can be in several, so the
    rows do not add up to the total."""
    if code is KpiCode.SATISFACTION:
        return []
    groups = list(TargetGroupCode)
    flags = {
        f"tg_{g.value}": Case(
            When(clients_selectors.target_group_q(g.value, ctx.on), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for g in groups
    }
    totals = {g: [0, 0] for g in groups}
    for row in _grouped(ctx, code, **flags):
        *member, n, d = row
        for g, is_member in zip(groups, member, strict=True):
            if is_member:
                totals[g][0] += n
                totals[g][1] += d
    has_d = _has_denominator(code)
    return [
        _row(code, TARGET_GROUP_LABELS_NL[g], totals[g][0], totals[g][1] if has_d else None)
        for g in groups
    ]


# --- Trend over the last 12 months -----------------------------------------------------------


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
    - durability (R-KPI-4): the share durable of the placements checked in that month;
    - LKS (R-KPI-7): the number of clients working with LKS at each month's end;
    - satisfaction (R-KPI-6): the weighted score of the waves held in that month."""
    ends = f.month_ends(ctx.on)
    months = [e.replace(day=1) for e in ends]
    first = months[0]
    if code in (KpiCode.ACTIVE_GUIDANCE_WORK, KpiCode.ACTIVE_GUIDANCE_CARE):
        _n, population = client_sets(ctx, code)
        assert population is not None
        guided, total = _guided_per_month(ctx, population, ends)
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
    points = []
    for m in months:
        n, durable = grouped.get(m, (0, 0))
        n += len(wsp.get(m, ()))
        if code is KpiCode.DURABLE_PLACEMENTS:
            points.append(TrendPoint(m, f.share_pct(durable, n), durable, n))
        else:
            points.append(TrendPoint(m, Decimal(n), n))
    return points


def _guided_per_month(
    ctx: KpiContext, population: Q, ends: tuple[dt.date, ...]
) -> tuple[list[int], int]:
    """R-KPI-1/5 trend in one pass: the rows of every trajectory and documented activity of
    the population that count at any month end, each with a 0/1 flag per month end, are
    grouped per client (MAX: guided that month by either) and summed per month. Two queries
    (this one and the population size), no EXISTS per client per month."""
    clients = base_clients(ctx).filter(population)
    ids = clients.values("pk")
    if ctx.facts:
        return _guided_per_month_from_facts(ctx, clients, ends)
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
    ctx: KpiContext, clients: QuerySet[Client], ends: tuple[dt.date, ...]
) -> tuple[list[int], int]:
    """`_guided_per_month` from the facts: one pass over the population's rows of the 12
    months, a filtered count per month end (each client has one row per month)."""
    annotations: dict[str, Any] = {}
    aggregates: dict[str, Any] = {}
    for i, end in enumerate(ends):
        more, q = _guided_fact_filter(guided_test(end, ctx.window_months), f"m{i}")
        annotations |= more
        aggregates[f"f{i}"] = Count("pk", filter=q)
    row = (
        KpiClientMonth.objects.filter(
            organisation_id=ctx.organisation_id,
            month__in=[e.replace(day=1) for e in ends],
            client_id__in=clients.values("pk"),
        )
        .order_by()
        .annotate(**annotations)
        .aggregate(**aggregates)
    )
    return [int(row[f"f{i}"]) for i in range(len(ends))], clients.count()


# --- Drill-down (R-SEC-1: scoped, the view audits every client shown) --------------------------

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


def kpi_is_client_based(code: KpiCode) -> bool:
    return f.definition(code).kind is not KpiKind.SCORE


def with_filters(ctx: KpiContext, **changes: Any) -> KpiContext:
    return replace(ctx, filters=replace(ctx.filters, **changes))


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
