"""Money rules of the provider network (R-NET-6, R-NET-7). Amounts are Decimal euros rounded
to cents half up by the foundation (`opstap.core.money`, the one rounding rule).

- Indexation (R-NET-6): new price = old price * (1 + percentage / 100), rounded to cents.
  Prices are fixed in the first contract year: a price is indexable on 1 January of year Y
  only if the contract started at least one year before that date.
- Ceiling (R-NET-7): jobfinding and jobcoaching hourly rates may not exceed the regional
  ceiling valid on the relevant date; the ceiling itself is indexed with the same percentage.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from opstap.core import money
from opstap.core.dutch import format_number
from opstap.core.errors import InvalidInputError

MAX_CPI_PERCENTAGE = Decimal("25")
MIN_CPI_PERCENTAGE = Decimal("-10")


class MoneyRuleError(InvalidInputError, ValueError):
    """Money input the rules refuse; Dutch message for the user."""


def to_cents(amount: Decimal | int | str) -> Decimal:
    """Quantise to cents, half-up (core's rounding); `MoneyRuleError` for no amount."""
    try:
        return money.to_cents(amount)
    except ValueError as exc:
        raise MoneyRuleError(f"'{amount}' is geen geldig bedrag.") from exc


def format_eur(amount: Decimal) -> str:
    """Dutch notation as the network's letters write it: EUR 1.234,50."""
    return "EUR " + format_number(to_cents(amount), 2)


def check_cpi_percentage(percentage: Decimal) -> Decimal:
    if not MIN_CPI_PERCENTAGE <= percentage <= MAX_CPI_PERCENTAGE:
        raise MoneyRuleError(
            f"Een CPI-percentage van {percentage}% is niet aannemelijk "
            f"(toegestaan: {MIN_CPI_PERCENTAGE}% tot {MAX_CPI_PERCENTAGE}%)."
        )
    return money.round_half_up(percentage, 2)


def indexed(amount: Decimal, percentage: Decimal) -> Decimal:
    """`amount` indexed by `percentage` (e.g. Decimal('3.10') for 3.1%), rounded to cents."""
    return to_cents(Decimal(amount) * (Decimal(100) + Decimal(percentage)) / Decimal(100))


def indexation_effective_date(year: int) -> dt.date:
    """Indexed prices apply from 1 January of the indexation year (R-NET-6)."""
    return dt.date(year, 1, 1)


def price_is_indexable(*, contract_start: dt.date, effective: dt.date) -> bool:
    """Prices are fixed the first contract year (R-NET-6)."""
    return contract_start + relativedelta(years=1) <= effective


def check_hourly_rate(*, rate: Decimal, ceiling: Decimal, ceiling_valid_from: dt.date) -> None:
    """Refuse a jobfinding/jobcoaching hourly rate above the ceiling (R-NET-7)."""
    if to_cents(rate) > to_cents(ceiling):
        raise MoneyRuleError(
            f"Het uurtarief {format_eur(rate)} is hoger dan het maximum uurtarief voor "
            f"jobfinding en jobcoaching: {format_eur(ceiling)} excl. btw "
            f"(geldig vanaf {ceiling_valid_from:%d-%m-%Y})."
        )


def check_price(amount: Decimal) -> Decimal:
    value = to_cents(amount)
    if value <= 0:
        raise MoneyRuleError("Een prijs moet groter zijn dan EUR 0,00.")
    if value >= Decimal("1000000"):
        raise MoneyRuleError("Een prijs van een miljoen euro of meer is niet aannemelijk.")
    return value
