"""BUIG budget (R-FIN-3) and safety net (vangnetuitkering, R-FIN-4).

Per municipality and year: the national BUIG budget (provisional or final), its LKS part and
the realised benefit expenditure. Deficit = expenditure - budget;
deficit % = deficit / budget * 100.

A municipality whose deficit exceeds the threshold (default 7.5% of its budget) may apply for
the safety net. The compensation follows bands of the budget that are configurable per year
because the regulation changes; the defaults are those of the Besluit Participatiewet as
amended in 2016: the first 7.5% is own risk, 50% of the deficit between 7.5% and 12.5% and 100%
of the deficit above 12.5% is compensated.

Reference: Zevenaar 2023 deficit 9% → eligible, compensation 50% * 1.5% of the budget;
Duiven and Westervoort about 1-2% → not eligible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import FinanceInputError
from .money import HUNDRED, money, round_half_up


@dataclass(frozen=True)
class Band:
    """A slice of the deficit, in percent of the budget, and the share of it compensated."""

    lower: Decimal
    upper: Decimal | None  # None = no upper limit
    compensated: Decimal  # percent of the deficit within the slice


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(Decimal("0"), Decimal("7.5"), Decimal("0")),
    Band(Decimal("7.5"), Decimal("12.5"), Decimal("50")),
    Band(Decimal("12.5"), None, Decimal("100")),
)


def validate_bands(bands: Sequence[Band]) -> None:
    if not bands:
        raise FinanceInputError("Geef ten minste één schijf op.", field="bands")
    previous_upper = Decimal(0)
    for i, band in enumerate(bands):
        if band.lower != previous_upper:
            raise FinanceInputError(
                "De schijven moeten aansluiten, beginnend bij 0%.", field="bands"
            )
        if band.upper is not None and band.upper <= band.lower:
            raise FinanceInputError("Een schijf eindigt boven haar begin.", field="bands")
        if band.upper is None and i != len(bands) - 1:
            raise FinanceInputError("Alleen de laatste schijf is open.", field="bands")
        if not Decimal(0) <= band.compensated <= HUNDRED:
            raise FinanceInputError("Compensatie ligt tussen 0% en 100%.", field="bands")
        previous_upper = band.upper if band.upper is not None else previous_upper


def threshold(bands: Sequence[Band]) -> Decimal:
    """The own-risk threshold: where the first compensated band starts."""
    for band in bands:
        if band.compensated > 0:
            return band.lower
    return HUNDRED * 1000  # nothing compensated: never eligible


@dataclass(frozen=True)
class BuigYear:
    municipality: str
    year: int
    budget: Decimal
    expenditure: Decimal
    lks_part: Decimal = Decimal(0)
    final: bool = False  # definitive (True) or provisional budget


@dataclass(frozen=True)
class SafetyNetResult:
    municipality: str
    year: int
    budget: Decimal
    lks_part: Decimal
    expenditure: Decimal
    final: bool
    deficit: Decimal  # negative = surplus
    deficit_percentage: Decimal  # two decimals
    threshold: Decimal
    eligible: bool
    own_risk: Decimal
    compensation: Decimal


def compute_safety_net(item: BuigYear, *, bands: Sequence[Band] = DEFAULT_BANDS) -> SafetyNetResult:
    """R-FIN-3/R-FIN-4: deficit, eligibility and expected compensation."""
    validate_bands(bands)
    if item.budget <= 0:
        raise FinanceInputError(
            f"{item.municipality} {item.year}: het budget moet groter dan 0 zijn.", field="budget"
        )
    if item.expenditure < 0 or item.lks_part < 0:
        raise FinanceInputError(
            f"{item.municipality} {item.year}: bedragen kunnen niet negatief zijn."
        )
    if item.lks_part > item.budget:
        raise FinanceInputError(
            f"{item.municipality} {item.year}: het LKS-deel is een deel van het BUIG-budget en "
            "kan niet groter zijn dan het budget.",
            field="rows",
        )
    budget = money(item.budget)
    expenditure = money(item.expenditure)
    deficit = expenditure - budget
    pct = deficit / budget * HUNDRED
    limit = threshold(bands)
    eligible = pct > limit
    compensation = Decimal(0)
    if eligible:
        for band in bands:
            lower = budget * band.lower / HUNDRED
            upper = budget * band.upper / HUNDRED if band.upper is not None else deficit
            in_band = min(deficit, upper) - lower
            if in_band > 0:
                compensation += in_band * band.compensated / HUNDRED
    compensation = money(compensation)
    return SafetyNetResult(
        municipality=item.municipality,
        year=item.year,
        budget=budget,
        lks_part=money(item.lks_part),
        expenditure=expenditure,
        final=item.final,
        deficit=deficit,
        deficit_percentage=round_half_up(pct, 2),
        threshold=limit,
        eligible=eligible,
        own_risk=max(deficit - compensation, Decimal(0)) if deficit > 0 else Decimal(0),
        compensation=compensation,
    )


def compute_safety_nets(
    items: Sequence[BuigYear],
    *,
    bands_by_year: Mapping[int, Sequence[Band]] | None = None,
) -> list[SafetyNetResult]:
    """Several municipalities and years; each year uses its own bands (default bands when a
    year has none)."""
    seen: set[tuple[str, int]] = set()
    for i in items:
        row = (i.municipality.strip().casefold(), i.year)
        if row in seen:
            raise FinanceInputError(
                f"{i.municipality.strip()} {i.year} staat twee keer in de lijst; vul elke "
                "gemeente per jaar één keer in.",
                field="rows",
            )
        seen.add(row)
    by_year = bands_by_year or {}
    return [compute_safety_net(i, bands=by_year.get(i.year, DEFAULT_BANDS)) for i in items]
