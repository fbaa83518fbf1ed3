"""The social return rules (R-NET-10), as pure typed functions: no ORM.

A provider whose invoiced volume in a calendar year (excl. VAT, net of credit notes) exceeds
the threshold (EUR 50,000, configurable per contract) owes social-return value of at least
the obligation percentage (5%, configurable per contract) of that volume. The value is
realised in building blocks of the "bouwblokkenmodel social return in de Liemers" (the table
of R-NET-10, held as reference data per period):

- employment blocks have a norm value and a validity for a 6-month and for a 12-month
  contract; a contract shorter than 6 months is no block, 6 up to 12 months counts as a
  6-month contract, 12 months or longer as a 12-month contract;
- norm values assume a full-time contract; part-time counts pro rata to the hours per week
  against the full-time norm of the period (hours above it count as full time). Blocks that
  are no contract of employment (a course, an information session, jobcoaching) have a fixed
  value: the reference data says per block whether hours count;
- a contract's value counts for the years of validity from the contract start: the value is
  spread over the months of validity, each month counting in the calendar year in which it
  begins, in whole cents that add up to the value;
- a block marked "must be combined" (the youth blocks) counts only when the same person also
  has a supporting block (jobcoaching, training/course or education) with the same provider.

Money is `Decimal` euros rounded half up to cents through `opstap.core.money`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from opstap.core.errors import InvalidInputError
from opstap.core.money import CENT, HUNDRED, ZERO, to_cents

__all__ = [
    "DEFAULT_FULL_TIME_HOURS",
    "DEFAULT_PERCENTAGE",
    "DEFAULT_THRESHOLD",
    "FIRST_YEAR",
    "LIEMERS_BLOCKS",
    "BlockKind",
    "BlockNorm",
    "BlockValue",
    "RealisedBlock",
    "SocialReturnError",
    "add_months",
    "applies",
    "block_value",
    "counting_blocks",
    "elapsed_fraction",
    "obligation",
    "pro_rata_factor",
    "spread_over_years",
    "time_proportional_norm",
    "validity_end",
    "value_per_year",
    "year_refusal",
]

#: R-NET-10 defaults; each contract may set its own (SocialReturnAgreement).
DEFAULT_THRESHOLD = Decimal("50000.00")
DEFAULT_PERCENTAGE = Decimal("5.00")
#: The full-time norm in hours per week (reference data per period may set another).
DEFAULT_FULL_TIME_HOURS = Decimal("36.00")
#: Minimum duration of an employment contract that is a building block (annex "Social Return").
MIN_CONTRACT_MONTHS = 6
FULL_CONTRACT_MONTHS = 12
#: A plausibility bound on a contract's duration (50 years), the same as for outcomes
#: (R-TRJ-7): beyond it a typing error, and beyond 32,767 a database error on PostgreSQL.
MAX_CONTRACT_MONTHS = 600


class SocialReturnError(InvalidInputError):
    """A refusal of the social return rules (Dutch message)."""


class BlockKind(StrEnum):
    EMPLOYMENT = "employment"  # A. doelgroep: a contract of employment
    ALTERNATIVE = "alternative"  # B en C. alternatieve invulling


@dataclass(frozen=True)
class BlockNorm:
    """One row of the building-block table (R-NET-10). For an alternative only `value_6`
    and `validity_6_months` are used (one norm value, one validity)."""

    code: str
    name: str
    kind: BlockKind
    value_6: Decimal
    validity_6_months: int
    value_12: Decimal | None = None
    validity_12_months: int | None = None
    pro_rata_hours: bool = False
    must_combine: bool = False  # youth: only with jobcoaching and/or training
    supports_youth: bool = False  # jobcoaching, training/course, education


def _b(
    code: str,
    name: str,
    v6: str,
    val6: int,
    v12: str | None = None,
    val12: int | None = None,
    **flags: bool,
) -> BlockNorm:
    kind = BlockKind.EMPLOYMENT if v12 is not None else BlockKind.ALTERNATIVE
    return BlockNorm(
        code=code,
        name=name,
        kind=kind,
        value_6=Decimal(v6),
        validity_6_months=val6,
        value_12=Decimal(v12) if v12 is not None else None,
        validity_12_months=val12,
        pro_rata_hours=flags.get("pro_rata_hours", kind is BlockKind.EMPLOYMENT),
        must_combine=flags.get("must_combine", False),
        supports_youth=flags.get("supports_youth", False),
    )


#: The table of R-NET-10 (annex "Social Return", bouwblokkenmodel social return in de
#: Liemers): the seed of the reference data; the administrator edits it per period.
LIEMERS_BLOCKS: tuple[BlockNorm, ...] = (
    _b("garantiebaan_wajong", "Garantiebaan Wajong", "40000", 24, "80000", 48),
    _b("garantiebaan_sw", "Garantiebaan SW", "40000", 24, "80000", 48),
    _b("wsw_detachering", "WSW-detachering", "30000", 24, "60000", 36),
    _b("pw_24_plus", "Participatiewet, langer dan 24 maanden uitkering", "25000", 24, "50000", 48),
    _b("pw_13_24", "Participatiewet, 13 tot 24 maanden uitkering", "20000", 24, "40000", 36),
    _b("pw_0_12", "Participatiewet, 0 tot 12 maanden uitkering", "15000", 12, "30000", 36),
    _b(
        "youth_pro_vso",
        "Jongere onder 27 uit PRO/VSO-onderwijs",
        "12500",
        12,
        "25000",
        24,
        must_combine=True,
    ),
    _b("ww_12_plus", "WW, langer dan 12 maanden", "10000", 12, "20000", 24),
    _b("ww_under_12", "WW, korter dan 12 maanden", "5000", 6, "10000", 24),
    _b(
        "work_experience",
        "Werkervaringsplek 6 maanden, 27-64 jaar (met uitkering)",
        "10000",
        12,
        pro_rata_hours=True,
    ),
    _b(
        "internship_youth",
        "Stage voor jongere onder 27 (zonder uitkering)",
        "5000",
        24,
        must_combine=True,
    ),
    _b("education", "Opleiding (bijv. BBL)", "5000", 24, supports_youth=True),
    _b("training", "Training/cursus (bijv. VCA)", "2500", 12, supports_youth=True),
    _b("info_citizens", "Voorlichting aan burgers", "2500", 12),
    _b("info_companies", "Voorlichting aan bedrijven", "2500", 12),
    _b("jobcoaching", "Jobcoaching", "5000", 24, supports_youth=True),
)

LIEMERS_BY_CODE: Mapping[str, BlockNorm] = MappingProxyType({b.code: b for b in LIEMERS_BLOCKS})


# --- The obligation ---------------------------------------------------------------------------


def applies(volume_excl: Decimal, threshold: Decimal = DEFAULT_THRESHOLD) -> bool:
    """R-NET-10: the obligation applies when the year's invoiced volume (excl. VAT, net of
    credit notes) is *above* the threshold (exactly the threshold does not)."""
    return volume_excl > threshold


def obligation(
    volume_excl: Decimal,
    *,
    percentage: Decimal = DEFAULT_PERCENTAGE,
    threshold: Decimal = DEFAULT_THRESHOLD,
) -> Decimal:
    """R-NET-10: the social-return value owed for one calendar year: the volume times the
    percentage when the volume is above the threshold, else nothing. In cents, half up."""
    if percentage < 0 or percentage > HUNDRED:
        raise SocialReturnError(
            "Het percentage social return ligt tussen 0 en 100.", field="percentage"
        )
    if threshold < 0:
        raise SocialReturnError("De drempel kan niet negatief zijn.", field="threshold")
    if not applies(volume_excl, threshold):
        return ZERO
    return to_cents(volume_excl * percentage / HUNDRED)


# --- Dates ------------------------------------------------------------------------------------


FIRST_YEAR = 2000


def year_refusal(year: int, *, today: dt.date) -> str:
    """Why a year cannot be shown in the monitor ('' when it can): a year after this one has
    no invoices yet (?jaar=2099 showed zero obligations for every provider, as if measured)."""
    if FIRST_YEAR <= year <= today.year:
        return ""
    return f"Kies een jaar van {FIRST_YEAR} tot en met {today.year}."


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st of a shorter month becomes its last day."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def elapsed_fraction(year: int, on: dt.date) -> Decimal:
    """The share of calendar year `year` that has passed at the end of day `on` (0 before
    the year, 1 after it)."""
    if on < dt.date(year, 1, 1):
        return Decimal(0)
    if on >= dt.date(year, 12, 31):
        return Decimal(1)
    days = (on - dt.date(year, 1, 1)).days + 1
    return Decimal(days) / Decimal(_year_days(year))


def time_proportional_norm(year_obligation: Decimal, year: int, on: dt.date) -> Decimal:
    """The value that should be realised for `year` by day `on`: the year's obligation (as
    it stands) times the share of the year that has passed. Realisation below it is behind."""
    return to_cents(year_obligation * elapsed_fraction(year, on))


# --- Building blocks --------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockValue:
    """What one realised block is worth: the total value and its validity period
    [start, end) over which the value is spread across calendar years."""

    value: Decimal
    start: dt.date
    validity_months: int

    @property
    def end(self) -> dt.date:
        """The first day after the validity period."""
        return add_months(self.start, self.validity_months)

    def per_year(self) -> dict[int, Decimal]:
        return spread_over_years(self.value, self.start, self.validity_months)


def validity_end(start: dt.date, validity_months: int) -> dt.date:
    return add_months(start, validity_months)


def pro_rata_factor(hours_per_week: Decimal, full_time_hours: Decimal) -> Decimal:
    """Part-time counts pro rata to the hours (R-NET-10); hours above full time count as
    full time. Unrounded: the value is rounded once, in cents."""
    if full_time_hours <= 0:
        raise SocialReturnError("De voltijdnorm moet meer dan 0 uur zijn.", field="full_time_hours")
    if hours_per_week <= 0:
        raise SocialReturnError("Het aantal uren per week moet meer dan 0 zijn.", field="hours")
    return min(hours_per_week / full_time_hours, Decimal(1))


def block_value(
    norm: BlockNorm,
    *,
    start: dt.date,
    contract_months: int | None = None,
    hours_per_week: Decimal | None = None,
    full_time_hours: Decimal = DEFAULT_FULL_TIME_HOURS,
) -> BlockValue:
    """R-NET-10: the value and validity of one realised block.

    Employment blocks need the contract duration in months (at least 6; 6-11 is the
    6-month norm, 12 or more the 12-month norm). Blocks valued by hours need the hours per
    week (full time is the norm; part-time pro rata)."""
    if norm.kind is BlockKind.EMPLOYMENT:
        if contract_months is None:
            raise SocialReturnError(
                "Geef de duur van de arbeidsovereenkomst in maanden.", field="contract_months"
            )
        if contract_months < MIN_CONTRACT_MONTHS:
            raise SocialReturnError(
                "Een arbeidsovereenkomst telt als bouwblok vanaf 6 maanden.",
                field="contract_months",
            )
        if contract_months > MAX_CONTRACT_MONTHS:
            raise SocialReturnError(
                f"Een arbeidsovereenkomst duurt hoogstens {MAX_CONTRACT_MONTHS} maanden.",
                field="contract_months",
            )
        if contract_months >= FULL_CONTRACT_MONTHS:
            assert norm.value_12 is not None and norm.validity_12_months is not None
            value, validity = norm.value_12, norm.validity_12_months
        else:
            value, validity = norm.value_6, norm.validity_6_months
    else:
        value, validity = norm.value_6, norm.validity_6_months
    if norm.pro_rata_hours:
        if hours_per_week is None:
            raise SocialReturnError("Geef het aantal uren per week.", field="hours")
        value = value * pro_rata_factor(hours_per_week, full_time_hours)
    return BlockValue(value=to_cents(value), start=start, validity_months=validity)


def spread_over_years(value: Decimal, start: dt.date, validity_months: int) -> dict[int, Decimal]:
    """R-NET-10 "values count for the years of validity from the contract start": `value`
    spread over the months of validity from `start`, each month in the calendar year in
    which it begins (a 4-year validity from 1 January counts a quarter in each year; from
    1 July it counts in five years, an eighth in the first and the last). Each share is in
    whole cents and the shares add up to `value` exactly (largest remainder, the earlier
    year first on a tie: no cent is lost or made)."""
    if validity_months < 1:
        raise SocialReturnError("De geldigheid is minstens 1 maand.", field="validity_months")
    cents = int(to_cents(value) / CENT)
    if cents < 0:
        raise SocialReturnError("Een waarde kan niet negatief zijn.", field="value")
    months: dict[int, int] = {}
    for i in range(validity_months):
        year = add_months(start, i).year
        months[year] = months.get(year, 0) + 1
    floors = {year: cents * n // validity_months for year, n in months.items()}
    left = cents - sum(floors.values())
    by_remainder = sorted(months, key=lambda y: (-(cents * months[y] % validity_months), y))
    for year in by_remainder[:left]:
        floors[year] += 1
    return {year: (Decimal(c) * CENT).quantize(CENT) for year, c in floors.items()}


@dataclass(frozen=True)
class RealisedBlock:
    """A realised block as the rules see it: who (a person key: a client or an external
    person), which block, and its value."""

    key: object
    person: str
    norm: BlockNorm
    value: BlockValue


def counting_blocks(blocks: Sequence[RealisedBlock]) -> list[RealisedBlock]:
    """R-NET-10: the blocks that count. A block that must be combined (youth) counts only
    when the same person has a supporting block (jobcoaching, training/course, education)
    among `blocks` (the caller passes one provider's blocks)."""
    supported = {b.person for b in blocks if b.norm.supports_youth}
    return [b for b in blocks if not b.norm.must_combine or b.person in supported]


def value_per_year(blocks: Iterable[RealisedBlock]) -> dict[int, Decimal]:
    """The counting value of `blocks` per calendar year (validity spread), summed."""
    listed = list(blocks)
    totals: dict[int, Decimal] = {}
    for block in counting_blocks(listed):
        for year, amount in block.value.per_year().items():
            totals[year] = totals.get(year, ZERO) + amount
    return dict(sorted(totals.items()))
