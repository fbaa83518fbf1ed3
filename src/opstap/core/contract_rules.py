"""Contract type and contract duration of a vacancy, a placement and a trajectory's outcome
(R-MAT, R-TRJ-7), as a pure module: no ORM, no Django. In the foundation so that matching
(vacancies, placements) and trajectories (the outcome), which sits below matching, use one
copy (`core.contract_types.ContractType` is the choice built on it).

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
FIXED = "fixed"
AGENCY = "agency"
TRIAL = "trial"
WSW = "wsw"

#: The contract types with their Dutch names, in the order the forms offer them.
CONTRACT_TYPE_NAMES_NL: dict[str, str] = {
    PERMANENT: "Vast (onbepaalde tijd)",
    FIXED: "Bepaalde tijd",
    AGENCY: "Uitzendwerk",
    TRIAL: "Proefplaatsing",
    WSW: "Beschut werk (dienstbetrekking)",
}

UNKNOWN_CONTRACT_TYPE_NL = "Kies een soort contract uit de lijst."

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


def contract_type_problem(contract_type: str | None) -> str | None:
    """The Dutch reason why `contract_type` is not a contract type, or None when it is one or
    is empty (not known)."""
    if contract_type in (None, "") or contract_type in CONTRACT_TYPE_NAMES_NL:
        return None
    return UNKNOWN_CONTRACT_TYPE_NL
