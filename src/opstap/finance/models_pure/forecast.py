"""Caseload prognosis (R-FIN-5): a stock-flow projection of the number of benefit clients.

stock(t+1) = stock(t) + inflow(t) - outflow(t), per month or per year. A scenario gives its
flows either as absolute numbers of people per period or as rates (percent of the stock at the
start of the period). Rates are turned into whole people (half up); outflow can never exceed
the people available (stock + inflow), so people are conserved: the final stock equals the
start stock plus all inflow minus all outflow, and no stock is negative.

Reference (Overbetuwe, Berenschot scenarios, clients at year end 2020-2024):
basis 621, 688, 741, 741, 741; full recovery 617, 660, 681, 681, 681; weak recovery
634, 749, 848, 848, 848; second wave 626, 743, 870, 870, 870.
The source gives only these year-end stocks, not the flows. It says the caseload "moves just
below six hundred" with "very low inflow and a normal outflow"; we therefore CHOSE a start
stock of 600 at 31-12-2019 and a constant outflow of 150 people a year (25%), and derived the
inflow per year that reproduces each series exactly (see `OVERBETUWE_SCENARIOS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from opstap.core.dutch import MONTHS_NL

from .errors import FinanceInputError
from .money import HUNDRED, whole


class FlowMode(StrEnum):
    ABSOLUTE = "absolute"  # people per period
    RATES = "rates"  # percent of the stock at the start of the period


class Granularity(StrEnum):
    YEAR = "year"
    MONTH = "month"


@dataclass(frozen=True)
class PeriodFlows:
    inflow: Decimal
    outflow: Decimal


@dataclass(frozen=True)
class Scenario:
    name: str
    start_stock: int
    start_year: int  # first projected period's year
    periods: tuple[PeriodFlows, ...]
    mode: FlowMode = FlowMode.ABSOLUTE
    granularity: Granularity = Granularity.YEAR
    start_month: int = 1  # first projected month (monthly granularity)


@dataclass(frozen=True)
class ProjectionRow:
    label: str
    start: int
    inflow: int
    outflow: int
    end: int


@dataclass(frozen=True)
class Projection:
    name: str
    start_stock: int
    rows: tuple[ProjectionRow, ...]

    @property
    def ends(self) -> list[int]:
        return [r.end for r in self.rows]

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.rows]


def period_label(scenario: Scenario, index: int) -> str:
    if scenario.granularity == Granularity.YEAR:
        return str(scenario.start_year + index)
    month_index = scenario.start_month - 1 + index
    year = scenario.start_year + month_index // 12
    return f"{MONTHS_NL[month_index % 12]} {year}"


def project(scenario: Scenario) -> Projection:
    """R-FIN-5: the projection of one scenario."""
    if scenario.start_stock < 0:
        raise FinanceInputError("De beginstand kan niet negatief zijn.", field="startStock")
    if not scenario.periods:
        raise FinanceInputError("Geef ten minste één periode op.", field="periods")
    if not 1 <= scenario.start_month <= 12:
        raise FinanceInputError("De beginmaand ligt tussen 1 en 12.", field="startMonth")
    rows: list[ProjectionRow] = []
    stock = scenario.start_stock
    for i, flows in enumerate(scenario.periods):
        if flows.inflow < 0 or flows.outflow < 0:
            raise FinanceInputError(
                f"Periode {i + 1}: instroom en uitstroom kunnen niet negatief zijn.",
                field="periods",
            )
        if scenario.mode == FlowMode.RATES:
            inflow = whole(Decimal(stock) * flows.inflow / HUNDRED)
            outflow = whole(Decimal(stock) * flows.outflow / HUNDRED)
        else:
            inflow = whole(flows.inflow)
            outflow = whole(flows.outflow)
        outflow = min(outflow, stock + inflow)  # nobody flows out who is not there
        end = stock + inflow - outflow
        rows.append(
            ProjectionRow(
                label=period_label(scenario, i),
                start=stock,
                inflow=inflow,
                outflow=outflow,
                end=end,
            )
        )
        stock = end
    return Projection(name=scenario.name, start_stock=scenario.start_stock, rows=tuple(rows))


def project_all(scenarios: Sequence[Scenario]) -> list[Projection]:
    return [project(s) for s in scenarios]


def _absolute(flows: Sequence[tuple[int, int]]) -> tuple[PeriodFlows, ...]:
    return tuple(PeriodFlows(Decimal(i), Decimal(o)) for i, o in flows)


OVERBETUWE_START_STOCK = 600
OVERBETUWE_OUTFLOW = 150
# (name, inflow per year 2020..2024) with outflow 150 a year; see the module docstring.
OVERBETUWE_INFLOWS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Basisraming / matig herstel", (171, 217, 203, 150, 150)),
    ("Volledig herstel", (167, 193, 171, 150, 150)),
    ("Zwak herstel", (184, 265, 249, 150, 150)),
    ("Tweede golf", (176, 267, 277, 150, 150)),
)
OVERBETUWE_SCENARIOS: tuple[Scenario, ...] = tuple(
    Scenario(
        name=name,
        start_stock=OVERBETUWE_START_STOCK,
        start_year=2020,
        periods=_absolute([(i, OVERBETUWE_OUTFLOW) for i in inflows]),
    )
    for name, inflows in OVERBETUWE_INFLOWS
)
