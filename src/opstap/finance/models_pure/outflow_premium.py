"""Outflow premium (uitstroompremie, R-PREM-1), a configurable scheme (RDWI 2022).

A client who received general assistance for more than 2 years and flows out to work
(employment or self-employment) of at least 16 hours per week receives EUR 500 directly after
outflow and EUR 500 after 6 months if still out of benefit; only once per person. The scheme
can be switched off (the evaluation found no effect on outflow); all numbers are parameters.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .money import money


class OutflowKind(StrEnum):
    EMPLOYMENT = "employment"  # werk in loondienst
    SELF_EMPLOYMENT = "self_employment"  # zelfstandig ondernemerschap
    EDUCATION = "education"  # studie
    OTHER = "other"  # verhuizing, partner, overig


OUTFLOW_KIND_LABELS_NL: dict[OutflowKind, str] = {
    OutflowKind.EMPLOYMENT: "Werk in loondienst",
    OutflowKind.SELF_EMPLOYMENT: "Zelfstandig ondernemerschap",
    OutflowKind.EDUCATION: "Studie",
    OutflowKind.OTHER: "Overig",
}


@dataclass(frozen=True)
class PremiumScheme:
    enabled: bool = True
    min_benefit_months: int = 24  # benefit duration must be MORE than this
    min_hours_per_week: Decimal = Decimal(16)
    first_amount: Decimal = Decimal(500)
    second_amount: Decimal = Decimal(500)
    second_after_months: int = 6
    outflow_kinds: frozenset[OutflowKind] = field(
        default_factory=lambda: frozenset({OutflowKind.EMPLOYMENT, OutflowKind.SELF_EMPLOYMENT})
    )


@dataclass(frozen=True)
class OutflowFacts:
    benefit_start: dt.date
    outflow_date: dt.date
    outflow_kind: OutflowKind
    hours_per_week: Decimal
    earlier_premium: bool = False


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]  # Dutch reasons why not (empty when eligible)


@dataclass(frozen=True)
class ScheduledPayment:
    number: int  # 1 = directly after outflow, 2 = after the waiting months
    due_date: dt.date
    amount: Decimal
    condition: str


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later; the end of a shorter month when that day does not exist."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def assess(scheme: PremiumScheme, facts: OutflowFacts) -> Eligibility:
    """R-PREM-1: is this outflow eligible for the premium?"""
    reasons: list[str] = []
    if not scheme.enabled:
        reasons.append("De regeling uitstroompremie staat uit.")
    if facts.earlier_premium:
        reasons.append("Deze persoon heeft al eerder een uitstroompremie gehad.")
    if facts.outflow_date <= add_months(facts.benefit_start, scheme.min_benefit_months):
        reasons.append(f"De bijstand duurde niet langer dan {scheme.min_benefit_months} maanden.")
    if facts.outflow_kind not in scheme.outflow_kinds:
        reasons.append("De uitstroom is niet naar werk (loondienst of eigen bedrijf).")
    if facts.hours_per_week < scheme.min_hours_per_week:
        reasons.append(f"Minder dan {scheme.min_hours_per_week} uur per week werk.")
    return Eligibility(eligible=not reasons, reasons=tuple(reasons))


def schedule(scheme: PremiumScheme, outflow_date: dt.date) -> tuple[ScheduledPayment, ...]:
    """Both payments: directly, and after the waiting months if still out of benefit."""
    return (
        ScheduledPayment(
            number=1,
            due_date=outflow_date,
            amount=money(scheme.first_amount),
            condition="Direct na uitstroom.",
        ),
        ScheduledPayment(
            number=2,
            due_date=add_months(outflow_date, scheme.second_after_months),
            amount=money(scheme.second_amount),
            condition=f"Na {scheme.second_after_months} maanden, als de persoon dan nog "
            "steeds geen uitkering heeft.",
        ),
    )


def second_payment_allowed(
    scheme: PremiumScheme,
    *,
    outflow_date: dt.date,
    on: dt.date,
    returned_to_benefit_on: dt.date | None,
) -> bool:
    """The second payment is due on `on` when the waiting time has passed and the person did
    not return to benefit within it."""
    due = add_months(outflow_date, scheme.second_after_months)
    if on < due:
        return False
    return returned_to_benefit_on is None or returned_to_benefit_on > due
