"""Custom budget arithmetic (maatwerkbudget, R-CLI-4). Pure: Decimal, cents, rounded half up
by the foundation (`opstap.core.money.to_cents`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from opstap.core.money import to_cents

__all__ = ["needs_second_approval", "remaining_budget", "spending_date_problem", "to_cents"]


def remaining_budget(yearly_amount: Decimal, spent: Iterable[Decimal]) -> Decimal:
    """What is left of this year's budget (negative when a second approver allowed more)."""
    return to_cents(yearly_amount) - sum((to_cents(s) for s in spent), Decimal("0.00"))


def needs_second_approval(
    yearly_amount: Decimal, spent: Iterable[Decimal], amount: Decimal
) -> bool:
    """R-CLI-4: a spending that takes the client over the yearly budget needs a second
    approver; one that fits does not."""
    return to_cents(amount) > remaining_budget(yearly_amount, spent)


def second_approver_refusal(
    *,
    pending: bool,
    created_by_id: int | None,
    approver_id: int,
    approver_may_change: bool,
    same_organisation: bool,
) -> str | None:
    """R-CLI-4: who may decide on a spending beyond the budget. While it waits, a different
    user than the one who recorded it, allowed to change clients of the same organisation.
    Returns the Dutch reason why this approver may not decide, or None when they may. The
    service refuses with this reason; the dossier shows the buttons only when it is None."""
    if not pending:
        return "Over deze uitgave is al beslist."
    if approver_id == created_by_id:
        return "Een uitgave boven het budget moet door een andere medewerker worden goedgekeurd."
    if not approver_may_change or not same_organisation:
        return "U mag deze uitgave niet beoordelen."
    return None


def spending_date_problem(spent_on: dt.date, today: dt.date) -> str | None:
    """R-CLI-4: the budget is per calendar year, so a spending counts against the year of its
    date. A date in a later year than this one (2099) or before last year (2000) would book it
    against a budget nobody looks at; a late booking of last year's spending stays possible.
    The Dutch refusal, or None."""
    if spent_on.year > today.year:
        return (
            f"De datum ligt in een later budgetjaar ({spent_on.year}); leg een uitgave vast in "
            f"het jaar waarin ze gedaan is (uiterlijk 31-12-{today.year})."
        )
    if spent_on.year < today.year - 1:
        return (
            f"De datum ligt vóór vorig budgetjaar ({spent_on.year}); een uitgave kan tot "
            f"01-01-{today.year - 1} terug worden vastgelegd."
        )
    return None
