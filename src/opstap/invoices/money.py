"""Money helpers for invoices (R-BILL-11), rounding with the foundation's one rule
(`opstap.core.money.round_half_up`).

Amounts are exact ``Decimal`` euros. Every invoice line is rounded to whole cents with
``ROUND_HALF_UP`` (0.005 -> 0.01), its VAT is computed from the rounded amount excl. VAT and
rounded the same way, and the amount incl. VAT is the sum of the two rounded figures. Totals are
sums of rounded lines, never re-rounded. VAT rates are reference data valid from a date (0%
exempt, 9%, 21%); the rate of a line is the one valid on the line's date.

Pure module: no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from opstap.core.errors import InvalidInputError

# The VAT categories live in the foundation (a product records its own); re-exported here.
from opstap.core.money import VAT_CODE_LABELS_NL as VAT_CODE_LABELS_NL
from opstap.core.money import VatCode as VatCode
from opstap.core.money import round_half_up

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


class MoneyError(InvalidInputError, ValueError):
    """Reference data or input that the money rules refuse to guess about (Dutch message)."""


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount in euros to whole cents, half-up (R-BILL-11)."""
    if not isinstance(amount, Decimal):
        raise MoneyError(f"Bedrag {amount!r} is geen Decimal; gebruik nooit float voor geld.")
    return round_half_up(amount, 2)


@dataclass(frozen=True, slots=True)
class VatRate:
    """One row of VAT reference data: from ``valid_from`` the ``code`` has ``percentage``."""

    valid_from: date
    code: str
    percentage: Decimal


DEFAULT_VAT_RATES: tuple[VatRate, ...] = (
    VatRate(date(1969, 1, 1), VatCode.EXEMPT, Decimal(0)),
    VatRate(date(2012, 10, 1), VatCode.HIGH, Decimal(21)),
    VatRate(date(2012, 10, 1), VatCode.LOW, Decimal(6)),
    VatRate(date(2019, 1, 1), VatCode.LOW, Decimal(9)),
)


def vat_percentage_on(rates: Iterable[VatRate], code: str, on: date) -> Decimal:
    """The VAT percentage of ``code`` valid on ``on`` (latest ``valid_from`` not after it)."""
    best: VatRate | None = None
    for rate in rates:
        if (
            rate.code == code
            and rate.valid_from <= on
            and (best is None or rate.valid_from > best.valid_from)
        ):
            best = rate
    if best is None:
        raise MoneyError(f"Geen btw-tarief '{code}' bekend op {on.isoformat()}.")
    return best.percentage


@dataclass(frozen=True, slots=True)
class VatLine:
    """One rounded invoice line: amount excl. VAT, VAT percentage, VAT and amount incl. VAT."""

    excl: Decimal
    percentage: Decimal
    vat: Decimal
    incl: Decimal


def vat_line(amount_excl: Decimal, percentage: Decimal) -> VatLine:
    """Round one line to cents and add its VAT, half-up per line (R-BILL-11)."""
    if percentage < 0:
        raise MoneyError(f"Btw-percentage {percentage} mag niet negatief zijn.")
    excl = to_cents(amount_excl)
    vat = to_cents(excl * percentage / HUNDRED)
    return VatLine(excl=excl, percentage=percentage, vat=vat, incl=excl + vat)


@dataclass(frozen=True, slots=True)
class Totals:
    """Sum of rounded lines (never re-rounded)."""

    excl: Decimal
    vat: Decimal
    incl: Decimal


def sum_lines(lines: Sequence[VatLine]) -> Totals:
    """Add up rounded lines."""
    return Totals(
        excl=sum((line.excl for line in lines), ZERO),
        vat=sum((line.vat for line in lines), ZERO),
        incl=sum((line.incl for line in lines), ZERO),
    )
