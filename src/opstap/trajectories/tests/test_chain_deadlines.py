"""Deadlines along the chain as a provider and a case manager produce them (R-TRJ-3, R-TRJ-4):
month ends, Atw holidays and what an extension does to a report that is already late."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.providers.models import Product
from opstap.trajectories import deadlines as dl
from opstap.trajectories import services
from opstap.trajectories.models import Deadline, Trajectory

D = dt.date


@pytest.mark.parametrize(
    ("kind", "anchor", "expected"),
    [
        # Intake 14 days after the order, rolled forward (Atw art. 1).
        pytest.param(dl.DeadlineKind.INTAKE, D(2026, 4, 21), D(2026, 5, 6), id="spec-5-may"),
        # 2025: 27 April is a Sunday, King's Day is Saturday 26 April; Monday 28 is a working
        # day, not a "moved" holiday.
        pytest.param(dl.DeadlineKind.INTAKE, D(2025, 4, 13), D(2025, 4, 28), id="kingsday-sun"),
        # Good Friday 2027 is 26 March, Easter Monday 29 March: day 7 on Good Friday -> Tuesday.
        pytest.param(dl.DeadlineKind.PLAN, D(2027, 3, 19), D(2027, 3, 30), id="easter-2027"),
        # Start 7 days after approval on 24 Dec 2026: 31 Dec is a working day.
        pytest.param(dl.DeadlineKind.START, D(2026, 12, 24), D(2026, 12, 31), id="old-year"),
        # Final report 14 days after an end on 18 Dec 2026: 1 Jan 2027 (holiday) -> Monday 4.
        pytest.param(dl.DeadlineKind.FINAL_REPORT, D(2026, 12, 18), D(2027, 1, 4), id="new-year"),
        # Extension 1 month before a planned end on 31 March 2027: 28 Feb (a Sunday) -> Friday.
        pytest.param(
            dl.DeadlineKind.EXTENSION_REQUEST, D(2027, 3, 31), D(2027, 2, 26), id="31-march"
        ),
        # ... on 29 March 2028 (leap year): 29 February 2028 is a Tuesday.
        pytest.param(
            dl.DeadlineKind.EXTENSION_REQUEST, D(2028, 3, 29), D(2028, 2, 29), id="leap-year"
        ),
        # Payment 30 working days after receipt on 24 April 2026 (spec example in the module).
        pytest.param(dl.DeadlineKind.PAYMENT, D(2026, 4, 24), D(2026, 6, 11), id="payment"),
    ],
)
def test_due_dates_on_the_calendar_users_hit(
    kind: dl.DeadlineKind, anchor: dt.date, expected: dt.date
) -> None:
    """R-TRJ-3: lead times over King's Day on a Sunday, Easter, the turn of the year and month
    ends; deadlines before an event roll back, after an event forward."""
    assert dl.due_date(kind, anchor) == expected


@given(
    anchor=st.dates(min_value=D(2015, 1, 1), max_value=D(2100, 12, 31)),
    kind=st.sampled_from(list(dl.DeadlineKind)),
)
def test_no_rolled_deadline_falls_on_a_non_working_day(
    anchor: dt.date, kind: dl.DeadlineKind
) -> None:
    """R-TRJ-3: every deadline that rolls (or counts working days) lands on a working day."""
    assert dl.is_working_day(dl.due_date(kind, anchor))


@pytest.mark.django_db
def test_extension_keeps_a_progress_report_that_is_already_late(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-4, R-TRJ-2 (history never rewritten), R-PI-1 (reports delivered as agreed): the
    provider missed the 3-month report (due 6 August 2026) and then asks for an extension. The
    approval moved the planned end and rescheduled the reports, and the missed report vanished
    from the overdue list (cancelled on the approval day) as if it had never been due. It stays
    open and overdue; the reports after today follow the new end."""
    trajectory = walk(order(product3), "running")
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="extension_request",
        title="Verlenging",
        text="Meer tijd nodig voor stage",
        on=D(2026, 9, 1),
    )
    trajectory.refresh_from_db()
    services.trajectory_transition(
        actor=case_manager,
        trajectory=trajectory,
        action="approve_extension",
        payload={"new_planned_end_date": "2027-02-04"},
        on=D(2026, 9, 2),
    )
    open_reports = list(
        Deadline.objects.filter(
            trajectory=trajectory,
            kind="progress_report",
            met_on__isnull=True,
            cancelled_on__isnull=True,
        )
        .order_by("due_on")
        .values_list("due_on", flat=True)
    )
    # The late one stays; then every 3 months from the start and one at the new end.
    assert open_reports == [D(2026, 8, 6), D(2026, 11, 6), D(2027, 2, 4)]
    trajectory.refresh_from_db()
    assert trajectory.next_due_on == D(2026, 8, 6)
    # The next report the provider delivers meets the late one first.
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="progress_report",
        title="Rapportage 1",
        text="Voortgang",
        on=D(2026, 9, 3),
    )
    met = Deadline.objects.get(trajectory=trajectory, kind="progress_report", met_on__isnull=False)
    assert (met.due_on, met.met_on) == (D(2026, 8, 6), D(2026, 9, 3))
