"""Breakdowns of a KPI per municipality, unit and target group: one GROUP BY each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Value,
    When,
)

from opstap.clients import selectors as clients_selectors
from opstap.clients.models import (
    TARGET_GROUP_LABELS_NL,
    UNIT_LABELS_NL,
    LadderStep,
    LadderSubStatus,
    TargetGroupCode,
    UnitCode,
)
from opstap.clients.selectors import LadderPosition, resolve_mapping
from opstap.kpis import formulas as f
from opstap.kpis.formulas import KpiCode, KpiCounts, KpiKind
from opstap.organisations.selectors import municipalities_for

from .context import KpiContext, base_clients
from .counts import _portal_answers, _surveys, client_sets
from .guidance import GUIDANCE_KPIS, _guided_rows


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
