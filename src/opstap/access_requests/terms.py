"""Legal and retention terms of a right-of-access request (R-SEC-5), pure.

- Answer within one month of receipt (AVG art. 12(3)); the due date is the same day number
  in the next month, or that month's last day when it has no such day (31 January → 28/29
  February).
- The export is kept for a configurable number of days after it is ready, then deleted.
"""

from __future__ import annotations

import calendar
import datetime as dt

DEFAULT_RETENTION_DAYS = 30
#: Days before the due date the handler and the privacy officer are told (setting).
DEFAULT_NOTICE_DAYS = 7


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, clipped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def due_date(received_on: dt.date) -> dt.date:
    """The last day to answer a request received on `received_on` (one month)."""
    return add_months(received_on, 1)


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
