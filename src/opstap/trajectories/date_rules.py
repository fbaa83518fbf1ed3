"""Which dates a trajectory accepts (R-SEC-1, R-SEC-6). Pure module: no ORM.

A provider's access to a client runs while the trajectory runs plus the reporting/invoicing
period after its end (R-SEC-1). The dates the provider enters must therefore never let it
stretch that window, and no date may be absurd (year 1, 2999) or out of order. Every date
is checked against the trajectory's own dates and today:

the table of earliest/latest dates per field is in `docs/trajectories.md` ("Datumcontroles");
the numbers are the constants below.

The provider's access window itself is computed from facts the provider cannot stretch
(`access_window_end`): the recorded end date, clamped to the planned end + `END_GRACE_DAYS`
(or, for a trajectory that never started, the order date + `NEVER_STARTED_MAX_DAYS`), plus
`REPORTING_PERIOD_DAYS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: An end date may lie this many days after today (a provider ending "as of tomorrow").
END_TOLERANCE_DAYS = 1
#: An end may be recorded this many days after the planned end (late paperwork).
END_GRACE_DAYS = 31
#: Planned things (intake, appointments) at most this far ahead.
PLAN_AHEAD_DAYS = 366
#: A provider confirms a start at most this far ahead.
START_AHEAD_DAYS = 31
#: An extension adds at most this much to the planned end.
MAX_EXTENSION_DAYS = 366
#: A placement counts if it starts during or at most this long after the trajectory (R-BILL-6).
PLACEMENT_AFTER_END_DAYS = 92
#: Reporting/invoicing period after the end during which the provider still sees the client.
REPORTING_PERIOD_DAYS = 90
#: A trajectory that never started counts as ended at most this long after its order.
NEVER_STARTED_MAX_DAYS = 366


@dataclass(frozen=True)
class Facts:
    """The trajectory's own dates (what we hold, never what a request claims)."""

    order_date: dt.date
    intake_held_on: dt.date | None = None
    start_date: dt.date | None = None
    planned_end_date: dt.date | None = None
    actual_end_date: dt.date | None = None


@dataclass(frozen=True)
class DateProblem:
    field: str
    message: str


#: The latest date is the planned end plus the grace; the message says so, since the date it
#: shows is not the planned end the provider sees on the trajectory page.
_GRACE_WHAT = f"de geplande einddatum plus {END_GRACE_DAYS} dagen uitloop"


def _fmt(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _days(day: dt.date, n: int) -> dt.date:
    """`day` + n days, clamped to the calendar (no OverflowError near year 1 or 9999)."""
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        return dt.date.max if n > 0 else dt.date.min


def _not_before(
    day: dt.date, earliest: dt.date, field: str, label: str, what: str
) -> DateProblem | None:
    if day < earliest:
        return DateProblem(field, f"De {label} ligt vóór {what} ({_fmt(earliest)}).")
    return None


def _not_after(
    day: dt.date, latest: dt.date, field: str, label: str, what: str
) -> DateProblem | None:
    if day > latest:
        return DateProblem(field, f"De {label} ligt na {what} ({_fmt(latest)}).")
    return None


def _first(*problems: DateProblem | None) -> DateProblem | None:
    return next((p for p in problems if p is not None), None)


def intake_date_problem(day: dt.date, facts: Facts, today: dt.date) -> DateProblem | None:
    return _first(
        _not_before(day, facts.order_date, "intake_date", "intakedatum", "de besteldatum"),
        _not_after(
            day, _days(today, PLAN_AHEAD_DAYS), "intake_date", "intakedatum", "een jaar vooruit"
        ),
    )


def wished_start_problem(day: dt.date, order_date: dt.date) -> DateProblem | None:
    """The case manager's start wish on an order (R-TRJ-1): a wish cannot lie before the order
    (the provider cannot start in the past) nor more than a year ahead (2099 is a typo)."""
    latest = _days(order_date, PLAN_AHEAD_DAYS)
    if day > latest:
        return DateProblem(
            "wished_start",
            "De gewenste startdatum ligt meer dan een jaar na de besteldatum; kies een datum "
            f"tot en met {_fmt(latest)}.",
        )
    return _not_before(day, order_date, "wished_start", "gewenste startdatum", "de besteldatum")


def held_on_problem(day: dt.date, facts: Facts, today: dt.date) -> DateProblem | None:
    return _first(
        _not_before(day, facts.order_date, "held_on", "intakedatum", "de besteldatum"),
        None
        if day <= today
        else DateProblem("held_on", "Een intake kan niet in de toekomst gehouden zijn."),
    )


def start_problem(
    start: dt.date,
    planned_end: dt.date,
    facts: Facts,
    today: dt.date,
    nominal_duration_days: int,
) -> DateProblem | None:
    earliest = max(facts.order_date, facts.intake_held_on or facts.order_date)
    what = (
        "de intake"
        if facts.intake_held_on and facts.intake_held_on > facts.order_date
        else ("de besteldatum")
    )
    return _first(
        _not_before(start, earliest, "start_date", "startdatum", what),
        _not_after(
            start,
            _days(today, START_AHEAD_DAYS),
            "start_date",
            "startdatum",
            f"{START_AHEAD_DAYS} dagen na vandaag",
        ),
        None
        if planned_end > start
        else DateProblem("planned_end_date", "De geplande einddatum moet na de startdatum liggen."),
        _not_after(
            planned_end,
            _days(start, max(1, nominal_duration_days)),
            "planned_end_date",
            "geplande einddatum",
            "de duur van het product; langer kan alleen met een verlenging",
        ),
    )


def extension_problem(new_end: dt.date, facts: Facts) -> DateProblem | None:
    current = facts.planned_end_date
    if current is None:
        return None
    if new_end <= current:
        return DateProblem(
            "new_planned_end_date",
            "De nieuwe einddatum moet na de huidige geplande einddatum liggen.",
        )
    return _not_after(
        new_end,
        _days(current, MAX_EXTENSION_DAYS),
        "new_planned_end_date",
        "nieuwe einddatum",
        "een jaar na de huidige geplande einddatum",
    )


def end_problem(end: dt.date, facts: Facts, today: dt.date) -> DateProblem | None:
    earliest = facts.start_date or facts.order_date
    what = "de startdatum" if facts.start_date else "de besteldatum"
    latest_planned = (
        _days(facts.planned_end_date, END_GRACE_DAYS) if facts.planned_end_date else None
    )
    return _first(
        _not_before(end, earliest, "end_date", "einddatum", what),
        None
        if end <= _days(today, END_TOLERANCE_DAYS)
        else DateProblem(
            "end_date", "Een traject kan niet met een einddatum in de toekomst worden beëindigd."
        ),
        DateProblem(
            "end_date",
            f"De einddatum ligt na {_GRACE_WHAT} ({_fmt(latest_planned)}); een latere "
            "einddatum vraagt eerst een verlenging.",
        )
        if latest_planned and end > latest_planned
        else None,
    )


def appointment_problem(day: dt.date, facts: Facts, today: dt.date) -> DateProblem | None:
    if facts.actual_end_date is not None:
        latest, what = facts.actual_end_date, "het einde van het traject"
    elif facts.planned_end_date is not None:
        latest, what = _days(facts.planned_end_date, END_GRACE_DAYS), _GRACE_WHAT
    else:
        latest, what = _days(today, PLAN_AHEAD_DAYS), "een jaar vooruit"
    return _first(
        _not_before(day, facts.order_date, "starts_at", "afspraakdatum", "de besteldatum"),
        _not_after(day, latest, "starts_at", "afspraakdatum", what),
    )


def absence_problem(day: dt.date, facts: Facts, today: dt.date) -> DateProblem | None:
    return _first(
        _not_before(
            day, facts.order_date, "occurred_at", "datum van het verzuim", "de besteldatum"
        ),
        None
        if day <= today
        else DateProblem("occurred_at", "Verzuim kan niet in de toekomst liggen."),
        _not_after(
            day,
            facts.actual_end_date,
            "occurred_at",
            "datum van het verzuim",
            "het einde van het traject",
        )
        if facts.actual_end_date
        else None,
    )


def placement_start_problem(day: dt.date, facts: Facts, today: dt.date) -> DateProblem | None:
    """A placement found while the trajectory was being arranged counts too: not before the
    order (R-BILL-6 decides separately whether a fee is due)."""
    end = facts.actual_end_date or facts.planned_end_date
    return _first(
        _not_before(
            day, facts.order_date, "placement_start", "start van de plaatsing", "de besteldatum"
        ),
        _not_after(
            day,
            _days(end, PLACEMENT_AFTER_END_DAYS),
            "placement_start",
            "start van de plaatsing",
            "het einde van het traject plus drie maanden",
        )
        if end
        else None,
        _not_after(
            day,
            _days(today, PLAN_AHEAD_DAYS),
            "placement_start",
            "start van de plaatsing",
            "een jaar vooruit",
        ),
    )


def last_day_problem(
    day: dt.date, placement_start: dt.date | None, today: dt.date
) -> DateProblem | None:
    return _first(
        _not_before(
            day,
            placement_start,
            "last_day_of_employment",
            "laatste werkdag",
            "de start van de plaatsing",
        )
        if placement_start
        else None,
        _not_after(
            day,
            _days(today, PLAN_AHEAD_DAYS),
            "last_day_of_employment",
            "laatste werkdag",
            "een jaar vooruit",
        ),
    )


def access_window_end(facts: Facts) -> dt.date | None:
    """The last day a provider sees the trajectory (None = it runs: visible). The recorded
    end counts, but never later than the planned end + `END_GRACE_DAYS` (or, if it never
    started, the order date + `NEVER_STARTED_MAX_DAYS`), then the reporting period."""
    if facts.actual_end_date is None:
        return None
    cap = (
        _days(facts.planned_end_date, END_GRACE_DAYS)
        if facts.planned_end_date
        else _days(facts.order_date, NEVER_STARTED_MAX_DAYS)
    )
    return _days(min(facts.actual_end_date, cap), REPORTING_PERIOD_DAYS)
