"""Deadlines of a trajectory (R-TRJ-3, R-TRJ-4, R-ABS-1), as pure date arithmetic.

This module holds no database code. It answers one question: *given the date of an event,
when is the next step due?* The service layer stores the due dates; the "my deadlines" pages
compare them with today. `docs/deadlines.md` explains the same rules for policy officers.

Semantics
---------
**Counting.** A period "within N days of X" starts the day *after* X: an order on Tuesday
21 April 2026 with a 14-day period is due on Tuesday 5 May 2026 (before roll-over). The due
date itself still counts: something done on the due date is on time; the day after is late.

**Calendar days vs working days.** Lead times are calendar days unless the rule says
otherwise (R-TRJ-3). Only the payment term (30 working days after the invoice was received)
counts working days.

**The Atw calendar** (working days, holidays of Atw art. 3, days equated by royal decree,
roll-over of art. 1 and 2, `add_months`, working-day arithmetic) lives in `opstap.core.atw`,
shared with every other legal deadline; this module re-exports its names. Roll-over is
configurable per deadline type (`DeadlineRule.roll`). A deadline counted *backwards* from an
event ("at the latest one month before the planned end date") moves to the *previous* working
day instead: the Atw does not extend such periods, and moving them later would shorten the
time the case manager has to decide. This is a policy choice, recorded in `docs/deadlines.md`.

**Months.** Repeated schedules (progress reports every 3 months) are always computed from the
start date (start + 3k months, `add_months`), never step by step, so a start on 31 January
gives 30 April, 31 July, 31 October — not 30 April, 30 July, 30 October.

**Absence (R-ABS-1).** With an elevated absence risk, every absence must be reported within
24 hours. The 24 hours are real elapsed time (aware datetimes compared in UTC), so a report
across the switch to summer time is judged on the hours that actually passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from opstap.core.atw import (
    EQUATED_DAY_NAME_NL,
    FIRST_SUPPORTED_YEAR,
    LAST_SUPPORTED_YEAR,
    NonWorkingDay,
    NonWorkingKind,
    add_calendar_days,
    add_months,
    add_working_days,
    atw_holidays,
    is_working_day,
    next_working_day,
    non_working_days,
    previous_working_day,
)
from opstap.core.atw import NO_DAYS as _NO_DAYS
from opstap.core.roles import RoleCode

__all__ = [
    "ABSENCE_REPORT_WITHIN",
    "DEADLINE_RULES",
    "EQUATED_DAY_NAME_NL",
    "FIRST_SUPPORTED_YEAR",
    "LAST_SUPPORTED_YEAR",
    "RULES_BY_KIND",
    "Anchor",
    "DeadlineKind",
    "DeadlineRule",
    "NonWorkingDay",
    "NonWorkingKind",
    "ProgressReportDue",
    "ProgressReportReason",
    "Roll",
    "Unit",
    "absence_report_late",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "atw_holidays",
    "deadline_met_on",
    "due_date",
    "is_overdue",
    "is_working_day",
    "next_working_day",
    "non_working_days",
    "previous_working_day",
    "progress_report_due_dates",
]

# --------------------------------------------------------------------------------------------
# The deadline table (R-TRJ-3)
# --------------------------------------------------------------------------------------------


class DeadlineKind(StrEnum):
    """The lead times of R-TRJ-3."""

    INTAKE = "intake"
    PLAN = "plan"
    START = "start"
    EXTENSION_REQUEST = "extension_request"
    FINAL_REPORT = "final_report"
    INVOICE = "invoice"
    PAYMENT = "payment"


class Anchor(StrEnum):
    """The event a deadline is counted from."""

    ORDERED = "ordered"  # aanmelding / opdrachtformulier verstuurd
    INTAKE_HELD = "intake_held"
    PLAN_APPROVED = "plan_approved"
    PLANNED_END = "planned_end"  # geplande einddatum
    ENDED = "ended"  # einde van het traject
    INVOICE_RECEIVED = "invoice_received"


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


class Roll(StrEnum):
    """What happens when a due date falls on a non-working day."""

    NONE = "none"  # keep the date
    FORWARD = "forward"  # next working day (Atw art. 1 and 2)
    BACKWARD = "backward"  # previous working day (deadlines before an event)


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """One lead time: `amount` `unit`s after (or, when `before`, before) the `anchor` event."""

    kind: DeadlineKind
    anchor: Anchor
    amount: int
    label_nl: str
    label_en: str
    # Most lead times are calendar days after the event, rolled forward to a working day,
    # for the provider to meet (R-TRJ-3); the rows below name only what differs.
    unit: Unit = Unit.CALENDAR_DAYS
    roll: Roll = Roll.FORWARD
    responsible: RoleCode = RoleCode.PROVIDER_STAFF
    rule: str = "R-TRJ-3"
    before: bool = False


#: The lead times of R-TRJ-3, in the order they occur in a trajectory.
DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        kind=DeadlineKind.INTAKE,
        anchor=Anchor.ORDERED,
        amount=14,
        label_nl="Intake gehouden binnen 14 dagen na aanmelding",
        label_en="Intake held within 14 days of the order",
    ),
    DeadlineRule(
        kind=DeadlineKind.PLAN,
        anchor=Anchor.INTAKE_HELD,
        amount=7,
        label_nl="Plan van aanpak ingediend binnen 7 dagen na de intake",
        label_en="Plan of approach submitted within 7 days of the intake",
    ),
    DeadlineRule(
        kind=DeadlineKind.START,
        anchor=Anchor.PLAN_APPROVED,
        amount=7,
        label_nl="Voorziening gestart binnen 7 dagen na akkoord van de klantmanager",
        label_en="Provision started within 7 days of the case manager's approval",
    ),
    DeadlineRule(
        kind=DeadlineKind.EXTENSION_REQUEST,
        anchor=Anchor.PLANNED_END,
        amount=1,
        unit=Unit.MONTHS,
        # Counted back from the planned end: an earlier working day, never a later one.
        roll=Roll.BACKWARD,
        label_nl="Verlenging uiterlijk 1 maand vóór de geplande einddatum aangevraagd",
        label_en="Extension requested at the latest 1 month before the planned end date",
        before=True,
    ),
    DeadlineRule(
        kind=DeadlineKind.FINAL_REPORT,
        anchor=Anchor.ENDED,
        amount=14,
        label_nl="Eindrapportage ontvangen binnen 14 dagen na het einde van het traject",
        label_en="Final report received within 14 days of the end of the trajectory",
    ),
    DeadlineRule(
        kind=DeadlineKind.INVOICE,
        anchor=Anchor.ENDED,
        amount=30,
        label_nl="Factuur uiterlijk 30 dagen na het einde van het traject",
        label_en="Invoice at the latest 30 days after the end of the trajectory",
    ),
    DeadlineRule(
        kind=DeadlineKind.PAYMENT,
        anchor=Anchor.INVOICE_RECEIVED,
        amount=30,
        unit=Unit.WORKING_DAYS,
        # Counting working days always lands on a working day; nothing to roll.
        roll=Roll.NONE,
        responsible=RoleCode.FINANCE_CLERK,
        label_nl="Betaling binnen 30 werkdagen na ontvangst van de factuur",
        label_en="Payment within 30 working days of receiving the invoice",
    ),
)

RULES_BY_KIND: Mapping[DeadlineKind, DeadlineRule] = MappingProxyType(
    {rule.kind: rule for rule in DEADLINE_RULES}
)


def _apply_roll(day: dt.date, roll: Roll, equated_days: frozenset[dt.date]) -> dt.date:
    if roll is Roll.FORWARD:
        return next_working_day(day, equated_days=equated_days)
    if roll is Roll.BACKWARD:
        return previous_working_day(day, equated_days=equated_days)
    return day


def due_date(
    rule: DeadlineRule | DeadlineKind,
    anchor_date: dt.date,
    *,
    equated_days: frozenset[dt.date] = _NO_DAYS,
) -> dt.date:
    """The due date of `rule` for an anchor event on `anchor_date` (R-TRJ-3)."""
    if isinstance(rule, DeadlineKind):
        rule = RULES_BY_KIND[rule]
    amount = -rule.amount if rule.before else rule.amount
    if rule.unit is Unit.WORKING_DAYS:
        return add_working_days(anchor_date, amount, equated_days=equated_days)
    if rule.unit is Unit.CALENDAR_DAYS and rule.roll is Roll.FORWARD and amount >= 0:
        return add_calendar_days(anchor_date, amount, equated_days=equated_days)
    if rule.unit is Unit.MONTHS:
        raw = add_months(anchor_date, amount)
    else:
        raw = anchor_date + dt.timedelta(days=amount)
    return _apply_roll(raw, rule.roll, equated_days)


#: A step the provider registers late may be dated back this many working days and still count
#: on the stated day (`deadline_met_on`): an intake on Friday typed in on Monday or Tuesday.
DEFAULT_REGISTRATION_GRACE_WORKING_DAYS = 2


def deadline_met_on(
    stated: dt.date,
    registered: dt.date,
    *,
    grace_working_days: int = DEFAULT_REGISTRATION_GRACE_WORKING_DAYS,
    equated_days: frozenset[dt.date] = _NO_DAYS,
) -> dt.date:
    """The day a deadline counts as met when the party it binds states when it did the step
    (R-TRJ-3): the provider types the day the intake was held or the provision started.

    The stated day is what the claimant says; the day it was registered is a fact we hold. A
    stated day counts only as far back as `grace_working_days` working days before the
    registration; a step dated back further counts on that earliest day, so typing in a late
    intake with an earlier date does not turn a missed deadline into a met one. A stated day
    on or after the registration (a start confirmed ahead) counts as stated.

    Example: an intake registered on Tuesday 12 May 2026 as held on Monday 4 May counts as met
    on Friday 8 May (two working days before the Tuesday); registered on Tuesday as held on
    Friday 8 May, it counts on Friday 8 May.
    """
    if grace_working_days < 0:
        raise ValueError("De uitloop voor het vastleggen kan niet negatief zijn.")
    if stated >= registered:
        return stated
    earliest = (
        add_working_days(registered, -grace_working_days, equated_days=equated_days)
        if grace_working_days
        else registered
    )
    return max(stated, earliest)


def is_overdue(due: dt.date, *, on: dt.date, done_on: dt.date | None = None) -> bool:
    """True when the step was done after `due`, or is not done and `on` is past `due`."""
    if done_on is not None:
        return done_on > due
    return on > due


# --------------------------------------------------------------------------------------------
# Progress reports (R-TRJ-4)
# --------------------------------------------------------------------------------------------


class ProgressReportReason(StrEnum):
    PERIODIC = "periodic"  # elke 3 (code 3, 4) of 6 (code 5) maanden
    END = "end"  # aan het einde van het traject
    BEFORE_CONTRACT_END = "before_contract_end"  # 2 maanden voor afloop arbeidscontract


@dataclass(frozen=True, slots=True)
class ProgressReportDue:
    due: dt.date
    reason: ProgressReportReason
    label_nl: str


_PERIOD_MONTHS: Mapping[int, int] = MappingProxyType({3: 3, 4: 3, 5: 6})


def progress_report_due_dates(
    product_code: int,
    *,
    start: dt.date,
    planned_end: dt.date,
    contract_end: dt.date | None = None,
    equated_days: frozenset[dt.date] = _NO_DAYS,
) -> tuple[ProgressReportDue, ...]:
    """The progress reports due for a trajectory, sorted by date (R-TRJ-4, section 5).

    - Codes 3 and 4: every 3 months from `start` (start + 3k months) while before
      `planned_end`, and one at `planned_end`.
    - Code 5 (jobcoaching): every 6 months from `start` while before `planned_end`, and one
      2 months before `contract_end` (the end of the client's employment contract; `None` for
      an open-ended contract, which has no such report).
    - Codes 1 and 2 report only at the end (section 5): one report at `planned_end`.

    Periodic and end dates roll forward to a working day; the report before the contract end
    rolls back (it must be in before that moment, like the extension request).
    """
    if product_code not in (1, 2, 3, 4, 5):
        raise ValueError(f"Onbekende productcode {product_code}.")
    if planned_end < start:
        raise ValueError("De geplande einddatum ligt vóór de startdatum.")
    reports: list[ProgressReportDue] = []
    period = _PERIOD_MONTHS.get(product_code)
    if period is not None:
        k = 1
        while (day := add_months(start, k * period)) < planned_end:
            reports.append(
                ProgressReportDue(
                    due=next_working_day(day, equated_days=equated_days),
                    reason=ProgressReportReason.PERIODIC,
                    label_nl=f"Voortgangsrapportage {k} (na {k * period} maanden)",
                )
            )
            k += 1
    if product_code == 5:
        if contract_end is not None:
            day = add_months(contract_end, -2)
            if day > start:
                reports.append(
                    ProgressReportDue(
                        due=previous_working_day(day, equated_days=equated_days),
                        reason=ProgressReportReason.BEFORE_CONTRACT_END,
                        label_nl="Rapportage 2 maanden vóór afloop van het arbeidscontract",
                    )
                )
    else:
        reports.append(
            ProgressReportDue(
                due=next_working_day(planned_end, equated_days=equated_days),
                reason=ProgressReportReason.END,
                label_nl="Voortgangsrapportage aan het einde van het traject",
            )
        )
    return tuple(sorted(reports, key=lambda report: report.due))


# --------------------------------------------------------------------------------------------
# Absence (R-ABS-1)
# --------------------------------------------------------------------------------------------

#: With an elevated absence risk every absence is reported within 24 hours (R-ABS-1).
ABSENCE_REPORT_WITHIN = dt.timedelta(hours=24)


def absence_report_late(absence_at: dt.datetime, reported_at: dt.datetime) -> bool:
    """True when an absence was reported more than 24 hours after it occurred (R-ABS-1).

    Both datetimes must be timezone-aware; elapsed time is measured in UTC, so a switch to
    or from summer time does not add or remove an hour. Exactly 24 hours is on time.
    """
    for value, name in ((absence_at, "absence_at"), (reported_at, "reported_at")):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} moet een tijdstip met tijdzone zijn.")
    elapsed = reported_at.astimezone(dt.UTC) - absence_at.astimezone(dt.UTC)
    return elapsed > ABSENCE_REPORT_WITHIN
