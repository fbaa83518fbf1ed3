"""Contract type and contract duration of a vacancy or placement (R-MAT, R-TRJ-7), as a pure
module: no ORM, no Django.

A permanent contract ("Vast (onbepaalde tijd)") is open-ended: it has no duration. The
vacancy form says so ("Leeg = onbepaalde tijd") and the payment rules read a missing
duration as a permanent contract (R-BILL-6), so a permanent contract *with* a duration
contradicts itself: the vacancy page showed "Vast (onbepaalde tijd), 12 maanden" and a
placement fed that duration to the trajectory's outcome (R-TRJ-7).

The spec does not require a duration for the other contract types (a fixed-term contract
whose end is not yet known, agency work, a trial placement): only the contradiction is
refused.
"""

from __future__ import annotations

#: The contract type that is open-ended (`ContractType.PERMANENT`).
PERMANENT = "permanent"

PERMANENT_WITH_DURATION_NL = (
    "Een vast contract (onbepaalde tijd) heeft geen contractduur: laat de contractduur leeg "
    "of kies een ander soort contract."
)


def contract_duration_problem(contract_type: str | None, contract_months: int | None) -> str | None:
    """The Dutch reason why this combination of contract type and duration (in months) cannot
    be, or None when it can. A permanent contract has no duration; other types may have one."""
    if contract_type == PERMANENT and contract_months is not None:
        return PERMANENT_WITH_DURATION_NL
    return None
