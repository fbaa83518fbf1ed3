"""Custom budget arithmetic (maatwerkbudget, R-CLI-4). Pure: Decimal, cents, rounded half up
by the foundation (`opstap.core.money.to_cents`)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from opstap.core.money import to_cents

__all__ = ["needs_second_approval", "remaining_budget", "to_cents"]


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
