"""Legal and retention terms of a right-of-access request (R-SEC-5), pure.

- Answer within one month of receipt (AVG art. 12(3)); the due date is the same day number
  in the next month, or that month's last day when it has no such day (31 January → 28/29
  February). When that day is a Saturday, Sunday, recognised holiday or a day equated with
  one by royal decree, the term ends on the next working day (Algemene termijnenwet art. 1;
  for a period of an EU regulation EU Regulation 1182/71 art. 3(4)). Legal deadlines use the
  Atw calendar: `opstap.core.atw`, the same one as the trajectory deadlines.
- The export is kept for a configurable number of days after it is ready, then deleted.
"""

from __future__ import annotations

import datetime as dt

from opstap.core.atw import NO_DAYS, add_months, next_working_day

__all__ = [
    "DEFAULT_NOTICE_DAYS",
    "DEFAULT_RETENTION_DAYS",
    "add_months",
    "days_left",
    "due_date",
    "expires_at",
    "notice_stage",
]

DEFAULT_RETENTION_DAYS = 30
#: Days before the due date the handler and the privacy officer are told (setting).
DEFAULT_NOTICE_DAYS = 7


def due_date(received_on: dt.date, *, equated_days: frozenset[dt.date] = NO_DAYS) -> dt.date:
    """The last day to answer a request received on `received_on` (R-SEC-5): one month
    later (`add_months`), moved to the next working day of the Atw calendar when that is a
    weekend day, a holiday or one of `equated_days` (days equated by royal decree, reference
    data the caller loads). Received on Saturday 31 January 2026: 28 February is a Saturday,
    so the due date is Monday 2 March 2026."""
    return next_working_day(add_months(received_on, 1), equated_days=equated_days)


def expires_at(ready_at: dt.datetime, retention_days: int) -> dt.datetime:
    """When a ready export is deleted."""
    if retention_days < 1:
        raise ValueError("De bewaartermijn van een export is minstens één dag.")
    return ready_at + dt.timedelta(days=retention_days)


def days_left(due: dt.date, today: dt.date) -> int:
    """Days until the due date (negative: overdue)."""
    return (due - today).days


def notice_stage(due: dt.date, today: dt.date, notice_days: int) -> str | None:
    """Which deadline notice a request unanswered on `today` is due for: "overdue" once its
    due date has passed, "soon" from `notice_days` before it, else None."""
    left = days_left(due, today)
    if left < 0:
        return "overdue"
    if left <= notice_days:
        return "soon"
    return None
