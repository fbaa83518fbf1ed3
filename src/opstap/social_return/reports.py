"""The social return overview and a provider's monitor as core's report kit: the chart of
realised against obligation (SVG, no script), the xlsx of the overview and the A4 PDF for the
annual evaluation (R-NET-9). Shapes only: the figures come from the selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString

from opstap.core.charts import COLOUR_MET, COLOUR_NOT_MET, Bar, horizontal_bars
from opstap.core.dutch import format_date
from opstap.core.exports import report_pdf, report_xlsx
from opstap.core.money import format_euro
from opstap.core.reports import Cell, Report, Table

from .models import BlockStatus, RealisedBlock
from .selectors import OverviewRow, ProviderMonitor


def overview_chart(rows: Sequence[OverviewRow], *, year: int) -> SafeString:
    """Realised as a percentage of the obligation per provider; 100% is the norm line."""
    bars = []
    for r in rows:
        share = r.row.share
        bars.append(
            Bar(
                label=r.provider_name,
                value=None if share is None else float(share),
                display=(
                    "geen verplichting"
                    if share is None
                    else f"{format_euro(r.row.realised)} van {format_euro(r.row.obligation)}"
                ),
                colour=COLOUR_NOT_MET if r.row.behind else COLOUR_MET,
            )
        )
    top = max([100.0, *(b.value for b in bars if b.value is not None)]) * 1.15
    return horizontal_bars(
        bars,
        title=f"Gerealiseerd ten opzichte van de verplichting, {year}",
        top=top,
        norm=100.0,
        norm_label="verplichting",
        element_id="sr-chart-title",
    )


def _money(value: Decimal) -> Cell:
    return Cell(value, "money")


def overview_report(rows: Sequence[OverviewRow], *, year: int) -> Report:
    table = Table(
        title=f"Social return {year}",
        headers=(
            "Aanbieder",
            "Volume excl. btw",
            "Percentage",
            "Verplichting",
            "Gepland",
            "Gerealiseerd",
            "Geverifieerd",
            "Norm naar rato",
            "Achter op schema",
            "Plan van aanpak",
            "Jaar afgesloten",
        ),
        rows=tuple(
            (
                Cell(r.provider_name),
                _money(r.row.volume),
                Cell(r.row.percentage, "pct"),
                _money(r.row.obligation),
                _money(r.row.planned),
                _money(r.row.realised),
                _money(r.row.verified),
                _money(r.row.norm_to_date),
                Cell(r.row.behind, "bool"),
                Cell(r.plan_state),
                Cell(r.row.closed, "bool"),
            )
            for r in rows
        ),
    )
    total_obligation = sum((r.row.obligation for r in rows), Decimal(0))
    total_realised = sum((r.row.realised for r in rows), Decimal(0))
    return Report(
        title=f"Social return-monitor {year}",
        summary=(
            ("Aanbieders", Cell(len(rows), "int")),
            ("Verplichting totaal", _money(total_obligation)),
            ("Gerealiseerd totaal", _money(total_realised)),
            ("Achter op schema", Cell(sum(r.row.behind for r in rows), "int")),
        ),
        tables=(table,),
        notes=(
            "Verplichting: goedgekeurd gefactureerd volume excl. btw, na creditnota's, maal het "
            "percentage, boven de drempel.",
        ),
    )


def overview_xlsx(rows: Sequence[OverviewRow], *, year: int) -> bytes:
    return report_xlsx(overview_report(rows, year=year))


def provider_report(
    monitor: ProviderMonitor, blocks: Sequence[RealisedBlock], *, today: dt.date
) -> Report:
    years = Table(
        title="Per jaar",
        headers=(
            "Jaar",
            "Volume excl. btw",
            "Verplichting",
            "Gepland",
            "Gerealiseerd",
            "Geverifieerd",
            "Norm naar rato",
            "Vastgesteld",
        ),
        rows=tuple(
            (
                Cell(str(r.year)),
                _money(r.volume),
                _money(r.obligation),
                _money(r.planned),
                _money(r.realised),
                _money(r.verified),
                _money(r.norm_to_date),
                Cell(r.closed, "bool"),
            )
            for r in monitor.years
        ),
    )
    status = dict(BlockStatus.choices)
    block_table = Table(
        title="Gerealiseerde bouwblokken (zonder persoonsgegevens)",
        headers=("Bouwblok", "Start", "Uren", "Maanden", "Waarde", "Geldig (mnd)", "Status"),
        rows=tuple(
            (
                Cell(b.block_name),
                Cell(format_date(b.start_date)),
                Cell(b.hours_per_week, "decimal") if b.hours_per_week else Cell(None),
                Cell(b.contract_months, "int") if b.contract_months else Cell(None),
                _money(b.value),
                Cell(b.validity_months, "int"),
                Cell(str(status.get(b.status, b.status))),
            )
            for b in blocks
        ),
    )
    plan = monitor.plan
    current = monitor.year(today.year)
    summary: list[tuple[str, Cell]] = [
        ("Gegund op", Cell(format_date(monitor.awarded_on) if monitor.awarded_on else "—")),
        ("Plan van aanpak", Cell(f"versie {plan.version}: {plan.state_label}" if plan else "geen")),
    ]
    if current is not None:
        summary += [
            (f"Verplichting {today.year} tot nu toe", _money(current.obligation)),
            (f"Gerealiseerd {today.year}", _money(current.realised)),
            (f"Achter op schema op {format_date(today)}", Cell(current.behind, "bool")),
        ]
    return Report(
        title=f"Social return {monitor.provider.name}",
        summary=tuple(summary),
        tables=(years, block_table),
        notes=(
            "De waarde van een bouwblok telt over de jaren van zijn geldigheid vanaf de start.",
        ),
    )


def provider_pdf(
    monitor: ProviderMonitor,
    blocks: Sequence[RealisedBlock],
    *,
    organisation: Any,
    today: dt.date,
) -> bytes:
    return report_pdf(
        provider_report(monitor, blocks, today=today),
        organisation=organisation,
        meta="Social return-monitor, jaarevaluatie",
    )
