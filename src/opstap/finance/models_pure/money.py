"""Money and percentages of the finance models, rounded by the foundation's one rule
(`opstap.core.money`: cents, ROUND_HALF_UP). Splitting a total over
parts (municipalities, shares of 100%) uses the largest-remainder method, so the rounded parts
always add up to the rounded total exactly (R-FIN-1).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from opstap.core import money as core_money

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def to_decimal(value: Decimal | int | str | float) -> Decimal:
    """A Decimal from user input; floats go through str() so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def money(value: Decimal | int | str | float) -> Decimal:
    """Round to cents, half up (the only rounding rule for amounts)."""
    return core_money.round_half_up(to_decimal(value), 2)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round a non-money figure (percentage, count) half up to `places` decimals."""
    return core_money.round_half_up(value, places)


def whole(value: Decimal) -> int:
    """A count of people from a computed figure: half up to a whole number."""
    return int(core_money.round_half_up(value, 0))


def largest_remainder(weights: Sequence[Decimal], units: int) -> list[int]:
    """Distribute `units` (whole units, e.g. cents or basis points) over parts in proportion
    to non-negative `weights`; the result always sums to `units`. Ties in the remainders go
    to the earlier part, so the result is deterministic."""
    if units < 0:
        raise ValueError("units must be >= 0")
    total = sum(weights, Decimal(0))
    if not weights:
        return []
    if total <= 0:
        # Nothing to weigh by: everything to the first part keeps the sum exact.
        return [units] + [0] * (len(weights) - 1)
    exact = [w * units / total for w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    short = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:short]:
        floors[i] += 1
    return floors


def split_money(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split an amount over parts by weight; the parts sum to the total to the cent."""
    cents = int(money(total) * 100)
    sign = -1 if cents < 0 else 1
    parts = largest_remainder(weights, abs(cents))
    return [(Decimal(sign * p) / 100).quantize(CENT) for p in parts]
