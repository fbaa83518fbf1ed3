"""The KPI facts per client and month (issue 18), as pure computations: no ORM.

R-KPI-1/5 ask, for a measurement date D and an activity window of N months, whether a client
is *actively guided*: a trajectory runs on D, or the client's current case manager documented
an activity in (D - N months, D]. Answering that live reads every running trajectory and every
activity of the population on each request (about 770,000 rows at national scale). The facts
keep the answer's ingredients per client and month instead, exact to the day, so that one row
per client answers any D in that month for any window up to `MAX_WINDOW_MONTHS`:

- `trajectory_days`: a bit per day of the month on which a trajectory runs (bit 0 = day 1);
- `activity_days`: a bit per day with a documented activity by the current case manager;
- `last_activity_before`: the last such activity before the month began.

Then "guided on D" is: bit D of `trajectory_days`, or a bit of `activity_days` between the
window's first day and D, or `last_activity_before` on or after the window's first day
(`GuidedTest`). A month gets a row only when one of the three can be true in it.

`month_facts` builds a client's rows from its trajectory spans and activity dates; the kpis
services store them and keep them current; `is_guided` is the reference the tests compare the
SQL with, and the selectors turn a `GuidedTest` into SQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .formulas import months_back

#: The longest activity window the settings allow (KpiSettings, 1-24 months): a row is kept
#: for a month while an activity before it can still fall inside such a window.
MAX_WINDOW_MONTHS = 24


@dataclass(frozen=True)
class MonthFacts:
    month: dt.date  # first day of the month
    trajectory_days: int = 0
    activity_days: int = 0
    last_activity_before: dt.date | None = None


@dataclass(frozen=True)
class Span:
    """A trajectory that runs from `start` (order date) to `end` (actual end date, inclusive),
    or on and on when `end` is None (R-KPI-1: "ordered on or before it, not ended before it")."""

    start: dt.date
    end: dt.date | None


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    total = month.year * 12 + month.month - 1 + n
    year, m = divmod(total, 12)
    return dt.date(year, m + 1, 1)


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The first days of the months from `first`'s month up to and including `last`'s."""
    month = first_of_month(first)
    end = first_of_month(last)
    while month <= end:
        yield month
        month = add_months(month, 1)


def day_bits(first_day: int, last_day_: int) -> int:
    """The mask with the bits of days `first_day`..`last_day_` (1-based, inclusive) set."""
    if last_day_ < first_day:
        return 0
    return ((1 << last_day_) - 1) ^ ((1 << (first_day - 1)) - 1)


def _span_mask(span: Span, month: dt.date) -> int:
    end_of_month = last_day(month)
    start = max(span.start, month)
    end = end_of_month if span.end is None else min(span.end, end_of_month)
    if end < start:
        return 0
    return day_bits(start.day, end.day)


def month_facts(
    *,
    spans: Iterable[Span],
    activity_dates: Iterable[dt.date],
    first_month: dt.date,
    through_month: dt.date,
) -> list[MonthFacts]:
    """One client's rows for the months `first_month`..`through_month` (first days), oldest
    first: only the months in which the client can be guided on some day for some window of at
    most `MAX_WINDOW_MONTHS`."""
    spans = [s for s in spans if s.end is None or s.end >= s.start]
    dates = sorted(set(activity_dates))
    per_month: dict[dt.date, int] = {}
    for day in dates:
        per_month[first_of_month(day)] = per_month.get(first_of_month(day), 0) | day_bits(
            day.day, day.day
        )
    rows: list[MonthFacts] = []
    if not spans and not dates:
        return rows
    # Months before the first fact or after the last one that can still count have no row.
    starts = [s.start for s in spans] + dates[:1]
    ends = [s.end for s in spans]
    last = (
        through_month
        if None in ends
        else max(
            [e for e in ends if e is not None]
            + ([add_months(first_of_month(dates[-1]), MAX_WINDOW_MONTHS + 1)] if dates else [])
        )
    )
    first_month = max(first_of_month(first_month), first_of_month(min(starts)))
    through_month = min(first_of_month(through_month), first_of_month(last))
    last_before: dt.date | None = None
    index = 0
    for month in months_between(first_month, through_month):
        while index < len(dates) and dates[index] < month:
            last_before = dates[index]
            index += 1
        trajectory = 0
        for span in spans:
            if span.start <= last_day(month) and (span.end is None or span.end >= month):
                trajectory |= _span_mask(span, month)
        activity = per_month.get(month, 0)
        keep_before = (
            last_before
            if last_before is not None and last_before > months_back(month, MAX_WINDOW_MONTHS)
            else None
        )
        if trajectory or activity or keep_before is not None:
            rows.append(MonthFacts(month, trajectory, activity, keep_before))
    return rows


@dataclass(frozen=True)
class GuidedTest:
    """ "Guided on `on` with a window of `window_months`" as a test on the row of `on`'s month:
    `trajectory_days & trajectory_bit`, `activity_days & activity_mask`, or
    `last_activity_before >= since` (None: no earlier month is in the window)."""

    month: dt.date
    trajectory_bit: int
    activity_mask: int
    since: dt.date | None


def guided_test(on: dt.date, window_months: int) -> GuidedTest:
    """The window is (on - window_months, on], as in the live rule: from the day after the
    same day `window_months` months earlier, up to and including `on`."""
    if not 1 <= window_months <= MAX_WINDOW_MONTHS:
        raise ValueError(f"window of {window_months} months is outside 1..{MAX_WINDOW_MONTHS}")
    since = months_back(on, window_months) + dt.timedelta(days=1)
    month = first_of_month(on)
    first = since.day if since >= month else 1
    return GuidedTest(
        month=month,
        trajectory_bit=day_bits(on.day, on.day),
        activity_mask=day_bits(first, on.day),
        since=since if since < month else None,
    )


def is_guided(row: MonthFacts | None, test: GuidedTest) -> bool:
    """The reference for the SQL the selectors build from `test` (a missing row: not guided)."""
    if row is None:
        return False
    return bool(
        row.trajectory_days & test.trajectory_bit
        or row.activity_days & test.activity_mask
        or (
            test.since is not None
            and row.last_activity_before is not None
            and row.last_activity_before >= test.since
        )
    )


def guided_live(
    *, spans: Iterable[Span], activity_dates: Iterable[dt.date], on: dt.date, window_months: int
) -> bool:
    """The rule itself on the raw facts (for the property tests)."""
    since = months_back(on, window_months) + dt.timedelta(days=1)
    return any(s.start <= on and (s.end is None or s.end >= on) for s in spans) or any(
        since <= d <= on for d in activity_dates
    )
