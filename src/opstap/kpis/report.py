"""The KPI report for the councils' cycle as the finance app's `Report` shape (tables and
charts), so the page, the xlsx and the PDF render the same numbers with the same helpers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from opstap.clients.models import TARGET_GROUP_LABELS_NL, UNIT_LABELS_NL
from opstap.core.dutch import month_label
from opstap.core.reports import Cell, Chart, Report, Series, Table

from . import disclosure, selectors
from .formulas import DEFINITIONS, KpiCode, KpiDefinition, KpiKind, KpiResult, year_not_begun_text
from .selectors import BreakdownRow, KpiContext, TrendPoint


def value_cell(kind: KpiKind, value: Decimal | None, *, strong: bool = False) -> Cell:
    """A realisation or target as a typed cell: % for shares and growth, a whole number for
    counts, one decimal for a score."""
    if kind in (KpiKind.SHARE, KpiKind.GROWTH):
        return Cell(value, "pct", strong=strong)
    if kind is KpiKind.SCORE:
        return Cell(value, "decimal", strong=strong)
    return Cell(None if value is None else int(value), "int", strong=strong)


def trend_chart(
    result: KpiResult, points: list[TrendPoint], *, threshold: int | None = None
) -> Chart:
    """The 12-month chart; months whose counts are suppressed have no point."""
    d = result.definition
    hidden = _hidden_months(result, points, threshold)
    share_like = d.kind in (KpiKind.SHARE, KpiKind.SCORE)
    label = {
        KpiKind.SHARE: "% per maandeinde",
        KpiKind.COUNT: "aantal per maand",
        KpiKind.SCORE: "rapportcijfer per maand",
        KpiKind.GROWTH: "aantal werkend met LKS per maandeinde",
    }[d.kind]
    if d.code is KpiCode.DURABLE_PLACEMENTS:
        label = "% duurzaam van de in die maand beoordeelde plaatsingen"
    return Chart(
        title=f"{d.title}: {label}",
        kind="line" if share_like or d.kind is KpiKind.GROWTH else "bar",
        labels=tuple(month_label(p.month) for p in points),
        series=(
            Series(
                d.title,
                tuple(
                    None if p.value is None or hide else float(p.value)
                    for p, hide in zip(points, hidden, strict=True)
                ),
            ),
        ),
        unit="pct" if d.kind is KpiKind.SHARE else "int",
        reference_line=float(result.target) if share_like and result.target is not None else None,
        reference_label="doel" if share_like and result.target is not None else "",
    )


def hidden_cell(threshold: int) -> Cell:
    """A suppressed count or realisation (issue 19 item 11): the marker "< 5" as text."""
    return Cell(disclosure.marker(threshold), in_place_of_number=True)


def _hidden_rows(
    numerators: list[int | None],
    denominators: list[int | None],
    threshold: int | None,
    *,
    additive: bool,
) -> list[bool]:
    """Per row whether its counts and realisation are suppressed (a small numerator or
    denominator; secondary suppression where the rows add up to a shown total)."""
    if threshold is None:
        return [False] * len(numerators)
    by_n = disclosure.suppressed_cells(numerators, threshold, additive=additive)
    by_d = disclosure.suppressed_cells(denominators, threshold, additive=additive)
    return [a or b for a, b in zip(by_n, by_d, strict=True)]


#: Trends of a stock at each month's end: their months do not add up to the year's figure.
_STOCKS = frozenset(
    {KpiCode.ACTIVE_GUIDANCE_WORK, KpiCode.ACTIVE_GUIDANCE_CARE, KpiCode.LKS_GROWTH}
)


def _hidden_months(
    result: KpiResult, points: list[TrendPoint], threshold: int | None
) -> list[bool]:
    """Which months of a trend are suppressed (R-SEC-1). Every trend but a stock's counts a
    flow per month (clients made werkfit or placed, placements judged, respondents), and its
    months within the measurement year add up to the year's count shown beside them; there a
    single hidden month could be computed back (year 23, November 20: October 3), so those
    months are suppressed as an additive group, the other months of the window apart."""
    numerators: list[int | None] = [p.numerator for p in points]
    denominators = [p.denominator for p in points]
    if result.definition.code in _STOCKS or not points:
        return _hidden_rows(numerators, denominators, threshold, additive=False)
    year = points[-1].month.year
    hidden = [False] * len(points)
    for in_year in (True, False):
        group = [i for i, p in enumerate(points) if (p.month.year == year) is in_year]
        flags = _hidden_rows(
            [numerators[i] for i in group],
            [denominators[i] for i in group],
            threshold,
            additive=in_year,
        )
        for i, flag in zip(group, flags, strict=True):
            hidden[i] = flag
    return hidden


def trend_table(
    result: KpiResult, points: list[TrendPoint], *, threshold: int | None = None
) -> Table:
    kind = result.definition.kind
    headers: tuple[str, ...] = ("Maand", "Waarde", result.definition.numerator_label)
    with_d = any(p.denominator is not None for p in points)
    if with_d:
        headers = (*headers, result.definition.denominator_label or "Noemer")
    value_kind = KpiKind.COUNT if kind is KpiKind.GROWTH else kind
    hidden = _hidden_months(result, points, threshold)
    rows = []
    for p, hide in zip(points, hidden, strict=True):
        if hide and threshold is not None:
            row = [Cell(month_label(p.month)), hidden_cell(threshold), hidden_cell(threshold)]
            if with_d:
                row.append(hidden_cell(threshold))
            rows.append(tuple(row))
            continue
        row = [
            Cell(month_label(p.month)),
            value_cell(value_kind, p.value),
            Cell(p.numerator, "int"),
        ]
        if with_d:
            row.append(Cell(p.denominator, "int"))
        rows.append(tuple(row))
    return Table(title=f"{result.definition.title} per maand", headers=headers, rows=tuple(rows))


def breakdown_table(
    title: str,
    result: KpiResult,
    rows: list[BreakdownRow],
    *,
    threshold: int | None = None,
    additive: bool = True,
) -> Table:
    """`additive`: the rows add up to the total shown (municipality, unit), so a single
    suppressed row gets a second one (target groups overlap: not additive)."""
    d = result.definition
    with_d = d.kind in (KpiKind.SHARE, KpiKind.GROWTH)
    headers: tuple[str, ...] = (title, "Realisatie", d.numerator_label)
    if with_d:
        headers = (*headers, d.denominator_label)
    hidden = (
        [False] * len(rows)
        if d.kind is KpiKind.SCORE  # survey waves: respondents, not clients
        else _hidden_rows(
            [r.counts.numerator for r in rows],
            [r.counts.denominator for r in rows],
            threshold,
            additive=additive,
        )
    )
    body = []
    for r, hide in zip(rows, hidden, strict=True):
        if hide and threshold is not None:
            row = [Cell(r.label), hidden_cell(threshold), hidden_cell(threshold)]
            if with_d:
                row.append(hidden_cell(threshold))
            body.append(tuple(row))
            continue
        row = [Cell(r.label), value_cell(d.kind, r.realised), Cell(r.counts.numerator, "int")]
        if with_d:
            row.append(Cell(r.counts.denominator, "int"))
        body.append(tuple(row))
    return Table(title=f"{d.title} per {title.lower()}", headers=headers, rows=tuple(body))


def result_is_hidden(result: KpiResult, threshold: int | None) -> bool:
    """Whether a KPI's own total (filtered to a municipality, unit or target group it can be
    small) is suppressed."""
    if threshold is None or result.definition.kind is KpiKind.SCORE:
        return False
    return disclosure.is_small(result.counts.numerator, threshold) or disclosure.is_small(
        result.counts.denominator, threshold
    )


def _summary_value(result: KpiResult, threshold: int | None) -> Cell:
    """The realisation on the report's first page: suppressed like the KPI table's (the
    summary showed the exact 1 and 66,7% the table hid as "< 5")."""
    if threshold and result_is_hidden(result, threshold):
        return hidden_cell(threshold)
    return value_cell(result.definition.kind, result.realised)


def summary_table(results: list[KpiResult], *, threshold: int | None = None) -> Table:
    rows = []
    for r in results:
        d = r.definition
        hide = hidden_cell(threshold) if threshold and result_is_hidden(r, threshold) else None
        rows.append(
            (
                Cell(d.title),
                value_cell(d.kind, r.target),
                hide or value_cell(d.kind, r.realised, strong=True),
                Cell(r.status.label),
                hide or Cell(r.counts.numerator, "int"),
                # a count has no denominator: "—", never a suppression marker for nothing
                Cell(None, "int")
                if r.counts.denominator is None
                else hide or Cell(r.counts.denominator, "int"),
            )
        )
    return Table(
        title="KPI's bestuurlijke opdracht",
        headers=("KPI", "Doel", "Realisatie", "Status", "Teller", "Noemer"),
        rows=tuple(rows),
    )


def definitions_table(results: list[KpiResult] | tuple[KpiDefinition, ...]) -> Table:
    """What each KPI counts, in the words of its definition: the council reads the report
    without Opstap at hand."""
    definitions = [r if isinstance(r, KpiDefinition) else r.definition for r in results]
    return Table(
        title="Definities",
        headers=("KPI", "Wat telt", "Teller", "Noemer"),
        rows=tuple(
            (
                Cell(d.title),
                Cell(d.description),
                Cell(d.numerator_label),
                Cell(d.denominator_label or "-"),
            )
            for d in definitions
        ),
    )


def targets_table(ctx: KpiContext) -> Table:
    """The targets of the year and nothing else: a year that has not begun has no figures."""
    targets = selectors.targets_for(ctx.organisation_id, ctx.filters.year)
    return Table(
        title=f"Doelen {ctx.filters.year}",
        headers=("KPI", "Doel"),
        rows=tuple((Cell(d.title), value_cell(d.kind, targets[d.code])) for d in DEFINITIONS),
    )


def filters_text(ctx: KpiContext, *, municipality_name: str = "") -> str:
    # A year that has not begun has no "stand": 01-01 of next year read as a measurement
    # dated in the future.
    stand = f"stand {ctx.on:%d-%m-%Y}" if ctx.begun else "nog niet begonnen"
    parts = [f"Jaar {ctx.filters.year} ({stand})"]
    parts.append(municipality_name or "alle gemeenten")
    if ctx.filters.target_group:
        groups = {code.value: label for code, label in TARGET_GROUP_LABELS_NL.items()}
        parts.append(f"doelgroep {groups[ctx.filters.target_group]}")
    if ctx.filters.unit:
        units = {code.value: label for code, label in UNIT_LABELS_NL.items()}
        parts.append(units[ctx.filters.unit])
    return ", ".join(parts)


def council_report(
    ctx: KpiContext,
    *,
    municipality_name: str = "",
    threshold: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """All KPIs with target, realisation and status, per municipality, and the 12-month
    trend of each: what the councils receive (xlsx and PDF). `threshold`: small counts are
    suppressed (`disclosure`). `progress(done, total)` is called after each KPI (the
    background export shows it, R-INT-4). A year that has not begun gives its targets and
    the definitions only, with a sentence saying so: no figures."""
    if not ctx.begun:
        return _targets_only_report(ctx, municipality_name=municipality_name, progress=progress)
    results = selectors.kpi_results(ctx)
    tables = [summary_table(results, threshold=threshold)]
    by_mun: list[Table] = []
    trends: list[Table] = []
    charts: list[Chart] = []
    for r in results:
        by_mun.append(
            breakdown_table(
                "Gemeente",
                r,
                selectors.breakdown_by_municipality(ctx, r.code),
                threshold=threshold,
            )
        )
        points = selectors.trend(ctx, r.code)
        trends.append(trend_table(r, points, threshold=threshold))
        charts.append(trend_chart(r, points, threshold=threshold))
        if progress is not None:
            progress(len(trends), len(results))
    notes: tuple[str, ...] = (
        "Realisatie per KPI volgens de tabel 'Definities'; aantallen zijn unieke klanten.",
        "Status: 'Op koers' = bij aantallen en groei minstens het deel van het doel dat bij "
        "het verstreken deel van het jaar hoort.",
    )
    if threshold is not None:
        notes = (
            *notes,
            f"Aantallen van 1 tot {threshold} klanten zijn afgeschermd ("
            f"'{disclosure.marker(threshold)}'): ze kunnen naar een persoon wijzen.",
        )
    return Report(
        title=f"Sturing bestuurlijke opdracht {ctx.filters.year}",
        summary=(
            ("Selectie", Cell(filters_text(ctx, municipality_name=municipality_name))),
            *((r.definition.title, _summary_value(r, threshold)) for r in results),
        ),
        tables=(*tables, *by_mun, *trends, definitions_table(results)),
        charts=tuple(charts[:4]),
        notes=notes,
    )


def _targets_only_report(
    ctx: KpiContext,
    *,
    municipality_name: str,
    progress: Callable[[int, int], None] | None,
) -> Report:
    text = year_not_begun_text(ctx.filters.year)
    report = Report(
        title=f"Sturing bestuurlijke opdracht {ctx.filters.year}",
        summary=(
            ("Selectie", Cell(filters_text(ctx, municipality_name=municipality_name))),
            ("Stand", Cell(text)),
        ),
        tables=(targets_table(ctx), definitions_table(DEFINITIONS)),
        notes=(text,),
    )
    if progress is not None:
        progress(1, 1)
    return report
