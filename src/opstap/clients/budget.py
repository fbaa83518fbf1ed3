"""Custom budget arithmetic (maatwerkbudget, R-CLI-4). Pure: Decimal, cents, ROUND_HALF_UP
in one place (`to_cents`)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal | int | str) -> Decimal:
    """The one place amounts are rounded: to cents, half up."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def remaining_budget(yearly_amount: Decimal, spent: Iterable[Decimal]) -> Decimal:
    """What is left of this year's budget (negative when a second approver allowed more)."""
    return to_cents(yearly_amount) - sum((to_cents(s) for s in spent), Decimal("0.00"))


def needs_second_approval(
    yearly_amount: Decimal, spent: Iterable[Decimal], amount: Decimal
) -> bool:
    """R-CLI-4: a spending that takes the client over the yearly budget needs a second
    approver; one that fits does not."""
    return to_cents(amount) > remaining_budget(yearly_amount, spent)
