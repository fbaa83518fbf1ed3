"""Outcome facts of a trajectory (R-TRJ-7, R-BILL-6), as pure functions.

- **Durable placement (R-TRJ-7, R-KPI-4).** A placement lasting *more than* 6 months counts
  as durable. The check is due on the day 6 months after the start (`add_months`, so a start
  on 31 August is checked on 28/29 February). A placement is durable when the client is still
  employed on that day: starting 1 January, still employed on 1 July. Before that day, and
  while the job lasts, the outcome is still pending.
- **Placement fee (R-BILL-6).** The fee needs paid work of *at least* 6 months and at least
  24 hours a week — or, for a client with an hour restriction below 24 hours, at least the
  restricted number of hours. A contract of 1 January to 30 June inclusive is exactly 6
  months and qualifies; an open-ended contract always qualifies on duration. The claim is due
  30 days after the probation period (or after the start when there is none), rolled to the
  next working day (Atw). "During or directly after the trajectory" and "one fee per
  placement" depend on stored data and are checked by the invoices service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from opstap.trajectories.deadlines import add_calendar_days, add_months

__all__ = [
    "DURABLE_AFTER_MONTHS",
    "PLACEMENT_FEE_CLAIM_DAYS",
    "PLACEMENT_FEE_MIN_HOURS",
    "PLACEMENT_FEE_MIN_MONTHS",
    "Durability",
    "PlacementFeeCheck",
    "durability",
    "durability_check_due",
    "placement_fee_check",
    "placement_fee_claim_due",
]

#: A placement lasting more than this many months is durable (R-TRJ-7).
DURABLE_AFTER_MONTHS = 6
#: Minimum contract duration for the placement fee (R-BILL-6).
PLACEMENT_FEE_MIN_MONTHS = 6
#: Minimum hours per week for the placement fee, unless the client's restriction is lower.
PLACEMENT_FEE_MIN_HOURS = Decimal(24)
#: The fee is claimed within 30 days after any probation period (R-BILL-6).
PLACEMENT_FEE_CLAIM_DAYS = 30


class Durability(StrEnum):
    PENDING = "pending"  # nog niet te beoordelen
    DURABLE = "durable"  # duurzaam: langer dan 6 maanden
    NOT_DURABLE = "not_durable"  # binnen 6 maanden beëindigd

    @property
    def label(self) -> str:
        return {
            Durability.PENDING: "Nog niet te beoordelen",
            Durability.DURABLE: "Duurzame plaatsing",
            Durability.NOT_DURABLE: "Niet duurzaam",
        }[self]


def durability_check_due(placement_start: dt.date) -> dt.date:
    """The day the durability of a placement is checked: start + 6 months (R-TRJ-7)."""
    return add_months(placement_start, DURABLE_AFTER_MONTHS)


def durability(placement_start: dt.date, *, last_day: dt.date | None, on: dt.date) -> Durability:
    """Durable when still employed on `durability_check_due(start)` (R-TRJ-7).

    `last_day` is the last day of employment (inclusive), `None` while the job lasts or when
    it is not known; `on` is the day of the assessment (today).
    """
    if last_day is not None and last_day < placement_start:
        raise ValueError("De laatste werkdag ligt vóór de start van de plaatsing.")
    check_day = durability_check_due(placement_start)
    if last_day is not None and last_day < check_day:
        # Ended before the 6 months passed — known as soon as it ended.
        return Durability.NOT_DURABLE if on >= last_day else Durability.PENDING
    return Durability.DURABLE if on >= check_day else Durability.PENDING


@dataclass(frozen=True, slots=True)
class PlacementFeeCheck:
    """Whether the contract facts allow a placement fee; `reasons_nl` say why not."""

    eligible: bool
    required_hours: Decimal
    reasons_nl: tuple[str, ...]


def placement_fee_check(
    *,
    contract_start: dt.date,
    contract_end: dt.date | None,
    hours_per_week: Decimal,
    hour_restriction: Decimal | None = None,
) -> PlacementFeeCheck:
    """R-BILL-6: at least 6 months and at least 24 h/week (or the restricted hours if lower).

    `contract_end` is the last day of the contract (inclusive), `None` for an open-ended
    contract. `hour_restriction` is the client's maximum hours per week (urenbeperking), if any.
    """
    if contract_end is not None and contract_end < contract_start:
        raise ValueError("De einddatum van het contract ligt vóór de startdatum.")
    if hours_per_week < 0 or (hour_restriction is not None and hour_restriction <= 0):
        raise ValueError("Het aantal uren per week moet positief zijn.")
    required = PLACEMENT_FEE_MIN_HOURS
    if hour_restriction is not None and hour_restriction < PLACEMENT_FEE_MIN_HOURS:
        required = hour_restriction
    reasons: list[str] = []
    # The contract covers [start, end]; 6 months are reached when the day after the last
    # day is on or after start + 6 months.
    six_months_after_start = add_months(contract_start, PLACEMENT_FEE_MIN_MONTHS)
    if contract_end is not None and contract_end + dt.timedelta(days=1) < six_months_after_start:
        reasons.append(
            f"Het contract duurt korter dan {PLACEMENT_FEE_MIN_MONTHS} maanden "
            f"({contract_start:%d-%m-%Y} t/m {contract_end:%d-%m-%Y})."
        )
    if hours_per_week < required:
        reasons.append(
            f"Het contract is {hours_per_week} uur per week; minimaal {required} uur is nodig"
            + (" (de urenbeperking van de klant)." if required != PLACEMENT_FEE_MIN_HOURS else ".")
        )
    return PlacementFeeCheck(
        eligible=not reasons, required_hours=required, reasons_nl=tuple(reasons)
    )


def placement_fee_claim_due(
    *,
    contract_start: dt.date,
    probation_end: dt.date | None,
    equated_days: frozenset[dt.date] = frozenset(),
) -> dt.date:
    """The last day to claim the fee: 30 days after the probation period ends (R-BILL-6).

    Without a probation period the 30 days run from the start of the contract. A last day on
    a non-working day moves to the next working day (Atw art. 1).
    """
    anchor = probation_end if probation_end is not None else contract_start
    return add_calendar_days(anchor, PLACEMENT_FEE_CLAIM_DAYS, equated_days=equated_days)
