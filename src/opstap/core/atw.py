"""The calendar of the Algemene termijnenwet (Atw): holidays, working days and roll-over, pure.

Project rule: legal deadlines use the Atw calendar. Every app that computes a legal period
uses this module (the trajectory deadlines of R-TRJ-3 in `trajectories/deadlines.py`, the
answer term of a right-of-access request of R-SEC-5 in `access_requests/terms.py`), so there
is one calendar. It holds no database code; days equated with a holiday by royal decree are
reference data that callers load and pass in as `equated_days`.

**Working days.** A *working day* is any day that is not a Saturday, a Sunday, a generally
recognised holiday of the Atw or a day equated with one by royal decree.

**Holidays (Atw art. 3).** Every year: New Year's Day (1 January), Good Friday (equated by
art. 3(2)), Easter Monday, King's Day (27 April, or Saturday 26 April when the 27th is a
Sunday), 5 May (*every* year — general-purpose calendars such as the `holidays` package only
include it in lustrum years), Ascension Day, Whit Monday, Christmas Day and Boxing Day.
Easter Sunday and Whit Sunday are Sundays anyway. The movable feasts are computed with
`dateutil.easter` (Western Easter). Days equated by royal decree are *reference data*: callers
pass them in as `equated_days` (a frozenset of dates) — this module never invents them.
King's Day exists since 2014; earlier years raise `ValueError` rather than guess.

**Roll-over (Atw art. 1 and 2).** A period that ends on a non-working day is extended to the
next working day (art. 1; `next_working_day`), and a calendar-day period of at least 3 days is
extended until it contains at least 2 working days (art. 2; `add_calendar_days`). A period
set by an EU regulation (such as the one month of AVG art. 12(3)) ends the same way: EU
Regulation 1182/71 art. 3(4). A deadline counted *backwards* from an event moves to the
*previous* working day (`previous_working_day`): a policy choice of the caller.

**Months.** `add_months` keeps the day of the month; when the target month is shorter, the
result is the last day of that month: 31 January + 1 month = 28 February (29 February in a
leap year such as 2028); 31 March - 1 month = 28/29 February; 30 April + 1 month = 30 May
(not 31 May: the end of a month is not "sticky"). No roll-over: the caller rolls.

**Working-day arithmetic.** `add_working_days(start, n)` is the n-th working day strictly after
`start` (`start` itself is never counted, whether or not it is a working day). For n = 0 it is
`start` itself when that is a working day, else the next working day. Negative n counts back.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from dateutil.easter import easter

__all__ = [
    "EQUATED_DAY_NAME_NL",
    "FIRST_SUPPORTED_YEAR",
    "LAST_SUPPORTED_YEAR",
    "NO_DAYS",
    "NonWorkingDay",
    "NonWorkingKind",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "atw_holidays",
    "is_working_day",
    "next_working_day",
    "non_working_days",
    "previous_working_day",
]

#: King's Day (Wet Koningsdag) applies from 2014; earlier years had Queen's Day rules that
#: this module does not implement.
FIRST_SUPPORTED_YEAR = 2014

#: The last year a due date is computed for (a guard for callers that take any date, such as
#: the `_compute` endpoint: far enough for every trajectory, far from `date.max`).
LAST_SUPPORTED_YEAR = 2199

EQUATED_DAY_NAME_NL = "Bij koninklijk besluit gelijkgestelde dag"

#: No equated days: the default of every `equated_days` argument.
NO_DAYS: frozenset[dt.date] = frozenset()


def _kings_day(year: int) -> dt.date:
    """King's Day: 27 April, or Saturday 26 April when the 27th is a Sunday (Wet Koningsdag)."""
    day = dt.date(year, 4, 27)
    if day.weekday() == calendar.SUNDAY:
        return dt.date(year, 4, 26)
    return day


def _statutory_holidays(year: int) -> dict[dt.date, str]:
    if year < FIRST_SUPPORTED_YEAR:
        raise ValueError(
            f"Feestdagen vóór {FIRST_SUPPORTED_YEAR} worden niet berekend (jaar {year})."
        )
    easter_sunday = easter(year)
    days: list[tuple[dt.date, str]] = [
        (dt.date(year, 1, 1), "Nieuwjaarsdag"),
        (easter_sunday - dt.timedelta(days=2), "Goede Vrijdag"),  # Atw art. 3(2)
        (easter_sunday + dt.timedelta(days=1), "Tweede Paasdag"),
        (_kings_day(year), "Koningsdag"),
        (dt.date(year, 5, 5), "Bevrijdingsdag"),  # "de vijfde mei": every year, art. 3(1)
        (easter_sunday + dt.timedelta(days=39), "Hemelvaartsdag"),
        (easter_sunday + dt.timedelta(days=50), "Tweede Pinksterdag"),
        (dt.date(year, 12, 25), "Eerste Kerstdag"),
        (dt.date(year, 12, 26), "Tweede Kerstdag"),
    ]
    result: dict[dt.date, str] = {}
    for day, name in days:
        # Ascension Day can fall on 5 May (2016, 2157): keep both names.
        result[day] = f"{result[day]} en {name}" if day in result else name
    return result


@lru_cache(maxsize=512)
def _non_working_holidays(year: int, equated_days: frozenset[dt.date]) -> frozenset[dt.date]:
    return frozenset(_statutory_holidays(year)) | {d for d in equated_days if d.year == year}


def atw_holidays(year: int, *, equated_days: frozenset[dt.date] = NO_DAYS) -> dict[dt.date, str]:
    """The generally recognised holidays of `year` under the Atw, with Dutch names (R-TRJ-3).

    Includes Good Friday (art. 3(2)), 5 May in every year, and those `equated_days` (royal
    decree, reference data) that fall in `year`. Sorted by date.
    """
    result = _statutory_holidays(year)
    for day in equated_days:
        if day.year == year and day not in result:
            result[day] = EQUATED_DAY_NAME_NL
    return dict(sorted(result.items()))


def is_working_day(day: dt.date, *, equated_days: frozenset[dt.date] = NO_DAYS) -> bool:
    """True unless `day` is a Saturday, Sunday, Atw holiday or decree-equated day (R-TRJ-3)."""
    if day.weekday() >= calendar.SATURDAY:
        return False
    return day not in _non_working_holidays(day.year, equated_days)


class NonWorkingKind(StrEnum):
    """Why a day is not a working day (R-TRJ-3)."""

    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # Atw art. 3(1) and Good Friday (art. 3(2))
    EQUATED = "equated"  # equated by royal decree (art. 3(3)), reference data


@dataclass(frozen=True, slots=True)
class NonWorkingDay:
    day: dt.date
    kind: NonWorkingKind
    name_nl: str


def non_working_days(
    first: dt.date, last: dt.date, *, equated_days: frozenset[dt.date] = NO_DAYS
) -> tuple[NonWorkingDay, ...]:
    """The non-working days in the closed interval [first, last], with the reason for each:
    what a deadline computation skipped (shown by the `_compute` endpoint)."""
    result: list[NonWorkingDay] = []
    names: dict[int, dict[dt.date, str]] = {}
    day = first
    while day <= last:
        if day.year not in names:
            names[day.year] = _statutory_holidays(day.year)
        if day in names[day.year]:
            result.append(NonWorkingDay(day, NonWorkingKind.HOLIDAY, names[day.year][day]))
        elif day in equated_days:
            result.append(NonWorkingDay(day, NonWorkingKind.EQUATED, EQUATED_DAY_NAME_NL))
        elif day.weekday() >= calendar.SATURDAY:
            name = "zaterdag" if day.weekday() == calendar.SATURDAY else "zondag"
            result.append(NonWorkingDay(day, NonWorkingKind.WEEKEND, name))
        day += dt.timedelta(days=1)
    return tuple(result)


def next_working_day(day: dt.date, *, equated_days: frozenset[dt.date] = NO_DAYS) -> dt.date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day, equated_days=equated_days):
        day += dt.timedelta(days=1)
    return day


def previous_working_day(day: dt.date, *, equated_days: frozenset[dt.date] = NO_DAYS) -> dt.date:
    """`day` itself when it is a working day, otherwise the last working day before it."""
    while not is_working_day(day, equated_days=equated_days):
        day -= dt.timedelta(days=1)
    return day


def add_working_days(
    start: dt.date, n: int, *, equated_days: frozenset[dt.date] = NO_DAYS
) -> dt.date:
    """The n-th working day after `start` (before it when n < 0); `start` is never counted.

    n = 0 gives `start` when it is a working day, else the next working day. Example: an
    invoice received on Friday 24 April 2026 with 30 working days is due on Thursday 11 June 2026
    (King's Day, 5 May, Ascension Day and Whit Monday do not count).
    """
    if n == 0:
        return next_working_day(start, equated_days=equated_days)
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day, equated_days=equated_days):
            remaining -= 1
    return day


def _working_days_between(first: dt.date, last: dt.date, equated_days: frozenset[dt.date]) -> int:
    """Number of working days in the closed interval [first, last]."""
    count = 0
    day = first
    while day <= last:
        if is_working_day(day, equated_days=equated_days):
            count += 1
        day += dt.timedelta(days=1)
    return count


def add_calendar_days(
    start: dt.date,
    n: int,
    *,
    roll_over: bool = True,
    equated_days: frozenset[dt.date] = NO_DAYS,
) -> dt.date:
    """`start` + n calendar days, with Atw roll-over when `roll_over` is true.

    Forward (n ≥ 0): a result on a non-working day moves to the next working day (Atw art. 1),
    and a period of at least 3 days is extended until it holds 2 working days (art. 2).
    Backward (n < 0, a deadline *before* an event): the result moves to the previous working
    day, so the time left before the event is never shortened.
    """
    due = start + dt.timedelta(days=n)
    if not roll_over:
        return due
    if n < 0:
        return previous_working_day(due, equated_days=equated_days)
    due = next_working_day(due, equated_days=equated_days)
    if n >= 3:  # Atw art. 2: at least two working days in a period of three days or more
        while _working_days_between(start + dt.timedelta(days=1), due, equated_days) < 2:
            due = next_working_day(due + dt.timedelta(days=1), equated_days=equated_days)
    return due


def add_months(start: dt.date, n: int) -> dt.date:
    """`start` + n months, clamped to the last day of a shorter month (no roll-over).

    31 January 2027 + 1 = 28 February 2027; 31 January 2028 + 1 = 29 February 2028;
    31 March 2026 - 1 = 28 February 2026; 30 April + 1 = 30 May.
    """
    month_index = start.year * 12 + (start.month - 1) + n
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last_day))
