"""The deadline calendar (R-TRJ-3, Atw art. 3(3)): equated days from the record and the computation
of a deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opstap.trajectories import deadlines as dl
from opstap.trajectories import (
    handoffs as handoffs,  # re-exported: the hand-off kinds other apps notify
)
from opstap.trajectories.deadlines import add_working_days as add_working_days
from opstap.trajectories.models import (
    EquatedDay,
)
from opstap.trajectories.workflow import REPORTING_STATES as REPORTING_STATES
from opstap.trajectories.workflow import Action as Action
from opstap.trajectories.workflow import IllegalTransition as IllegalTransition


def equated_days() -> frozenset[dt.date]:
    """Every day equated with a holiday by royal decree (reference data), in ONE query.

    Every deadline computation passes this set to `deadlines.py`: the trajectory services
    (once per order or transition), the invoice payment term, the demo generator and the
    `_compute` endpoint. National reference data, not personal: no scope applies. The table
    holds a handful of rows per year, so the whole set is loaded."""
    return frozenset(EquatedDay.objects.values_list("day", flat=True))


def invoice_due_on(ended: dt.date, *, equated: frozenset[dt.date]) -> dt.date | None:
    """The last day to invoice a trajectory that ended on `ended` (R-TRJ-3: 30 calendar days,
    rolled to the next working day by the Atw like the trajectory's other deadlines), computed
    by the same rule as the deadline lists; None for a year the calendar does not cover."""
    if not dl.FIRST_SUPPORTED_YEAR <= ended.year <= dl.LAST_SUPPORTED_YEAR:
        return None
    return dl.due_date(dl.DeadlineKind.INVOICE, ended, equated_days=equated)


@dataclass(frozen=True, slots=True)
class DeadlineComputation:
    """A due date with the calendar it was computed with (the `_compute` endpoint)."""

    rule: dl.DeadlineRule
    start: dt.date
    due: dt.date
    skipped: tuple[dl.NonWorkingDay, ...]
    equated_applied: tuple[EquatedDay, ...]


def deadline_compute(
    kind: dl.DeadlineKind, start: dt.date, *, equated: frozenset[dt.date] | None = None
) -> DeadlineComputation:
    """The due date of `kind` for an anchor event on `start`, computed exactly as the services
    store it (`deadlines.due_date` with `equated_days()`), and the non-working days between
    the anchor and the due date (both ends included; for a deadline *before* an event, between
    the due date and the event). Raises `ValueError` for a year outside the supported range."""
    if not dl.FIRST_SUPPORTED_YEAR <= start.year <= dl.LAST_SUPPORTED_YEAR:
        raise ValueError(
            f"Termijnen worden berekend voor de jaren {dl.FIRST_SUPPORTED_YEAR} tot en met "
            f"{dl.LAST_SUPPORTED_YEAR}."
        )
    days = equated_days() if equated is None else equated
    rule = dl.RULES_BY_KIND[kind]
    due = dl.due_date(rule, start, equated_days=days)
    if due.year < dl.FIRST_SUPPORTED_YEAR:
        raise ValueError(f"De vervaldag valt vóór {dl.FIRST_SUPPORTED_YEAR}.")
    first, last = (start + dt.timedelta(days=1), due) if due > start else (due, start)
    skipped = dl.non_working_days(first, last, equated_days=days)
    applied_days = [d.day for d in skipped if d.kind is dl.NonWorkingKind.EQUATED]
    applied = (
        tuple(EquatedDay.objects.filter(day__in=applied_days).order_by("day"))
        if applied_days
        else ()
    )
    return DeadlineComputation(
        rule=rule, start=start, due=due, skipped=skipped, equated_applied=applied
    )
