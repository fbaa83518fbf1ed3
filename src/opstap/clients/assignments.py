"""Rules of the income-coach assignment (R-SEC-1): which dates an assignment may have and
whether it runs on a day. Pure module: no ORM.

- an assignment starts at most `BACKDATE_DAYS` before today (recording a handover that
  happened last week is fine; granting access "since last year" is not: the coach never
  had it) and at most `AHEAD_DAYS` after today;
- it ends on or after its start and at most `MAX_YEARS` after today (a coach does not get a
  dossier "for ever"; leave the end open instead and end the assignment when the work ends);
- ending an assignment takes effect today or later, never before today (what the coach
  could read, they could read), and never extends it: the new end is on or before the
  planned one. Ending one that has not started yet withdraws it (it never runs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

BACKDATE_DAYS = 14
AHEAD_DAYS = 365
MAX_YEARS = 3


@dataclass(frozen=True)
class DateProblem:
    field: str
    message: str


def runs_on(valid_from: dt.date, valid_until: dt.date | None, day: dt.date) -> bool:
    """Whether an assignment with these dates gives access on `day` (both ends inclusive)."""
    return valid_from <= day and (valid_until is None or day <= valid_until)


def overlaps(
    a_from: dt.date, a_until: dt.date | None, b_from: dt.date, b_until: dt.date | None
) -> bool:
    """Whether two inclusive periods (None = open end) share a day."""
    return (a_until is None or b_from <= a_until) and (b_until is None or a_from <= b_until)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def assignment_dates_problem(
    *, valid_from: dt.date, valid_until: dt.date | None, today: dt.date
) -> DateProblem | None:
    """The first thing wrong with the dates of a new assignment, or None."""
    earliest = today - dt.timedelta(days=BACKDATE_DAYS)
    if valid_from < earliest:
        return DateProblem(
            "valid_from",
            f"Een toewijzing kan hooguit {BACKDATE_DAYS} dagen terug ingaan "
            f"(niet vóór {_fmt(earliest)}).",
        )
    latest = today + dt.timedelta(days=AHEAD_DAYS)
    if valid_from > latest:
        return DateProblem(
            "valid_from", f"Een toewijzing kan hooguit een jaar vooruit ingaan ({_fmt(latest)})."
        )
    if valid_until is not None:
        if valid_until < valid_from:
            return DateProblem("valid_until", "De einddatum ligt vóór de ingangsdatum.")
        last = _years_after(today, MAX_YEARS)
        if valid_until > last:
            return DateProblem(
                "valid_until",
                f"Een toewijzing loopt hooguit {MAX_YEARS} jaar vooruit (tot {_fmt(last)}); "
                "laat de einddatum leeg als die nog niet bekend is.",
            )
    return None


def end_date_problem(
    *, valid_from: dt.date, valid_until: dt.date | None, end_on: dt.date, today: dt.date
) -> DateProblem | None:
    """The first thing wrong with ending an assignment on `end_on`, or None."""
    if end_on < today:
        return DateProblem(
            "valid_until", "Een toewijzing kan niet met terugwerkende kracht worden beëindigd."
        )
    if valid_until is not None and end_on > valid_until:
        return DateProblem(
            "valid_until",
            f"De toewijzing eindigt al op {_fmt(valid_until)}; beëindigen kan niet later.",
        )
    return None


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
