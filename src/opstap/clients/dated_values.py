"""A client's value valid on a date, from its change history (R-BILL-6 needs the hour
restriction valid on the placement date).

Each change is ``(day, old, new)``: from ``day`` on the value is ``new``. Before the first
change the value was that change's ``old``; without changes the current value has always held.
Pure module: no ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

T = TypeVar("T")


def value_on(current: T, changes: Sequence[tuple[date, T, T]], day: date) -> T:
    """The value valid on ``day``: the ``new`` of the last change on or before ``day``, else
    the ``old`` of the first change after it, else ``current``."""
    ordered = sorted(changes, key=lambda change: change[0])
    before = [change for change in ordered if change[0] <= day]
    if before:
        return before[-1][2]
    if ordered:
        return ordered[0][1]
    return current
