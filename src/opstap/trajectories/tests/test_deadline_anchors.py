"""Which event each stored deadline is counted from (R-TRJ-3), as a table a policy officer can
read. Every row walks a real trajectory through the services and compares the stored due date.

Finding 4 of issue 12: the intake of a quote product (codes 2, 4 and 5) was counted from the
approval of the quote, not from the order. R-TRJ-3 and `docs/deadlines.md` say "intake held
within 14 days of the order (aanmelding)", whatever the product code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from opstap.accounts.models import User
from opstap.providers.models import Product, Provider
from opstap.trajectories import services
from opstap.trajectories.models import Deadline, Trajectory

pytestmark = pytest.mark.django_db

D = dt.date

# (code, ordered on, quote approved on, intake due) — one row per case, with why.
INTAKE_ANCHOR_ROWS = [
    # Demo trajectory 83: ordered Fri 24-04-2026, quote approved Mon 04-05-2026. Day 14 after
    # the order is Fri 08-05-2026, a working day. (Counted from the approval it was 18-05.)
    (4, D(2026, 4, 24), D(2026, 5, 4), D(2026, 5, 8)),
    # Code 2, ordered Tue 21-04-2026: day 14 is 5 May (a holiday every year) → Wed 06-05.
    (2, D(2026, 4, 21), D(2026, 4, 30), D(2026, 5, 6)),
    # Code 5 (jobcoaching), approval after the intake deadline passed: still from the order.
    (5, D(2026, 4, 24), D(2026, 5, 20), D(2026, 5, 8)),
    # Direct orders (codes 1, 3) had it right already; they have no quote.
    (3, D(2026, 4, 24), None, D(2026, 5, 8)),
    (1, D(2026, 4, 21), None, D(2026, 5, 6)),
]


@pytest.mark.parametrize(("code", "ordered", "approved", "due"), INTAKE_ANCHOR_ROWS)
def test_intake_is_due_14_days_after_the_order_for_every_code(
    code: int,
    ordered: dt.date,
    approved: dt.date | None,
    due: dt.date,
    order: Callable[..., Trajectory],
    contracted_a: Provider,
    make_product: Callable[..., Product],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-3: the intake is held within 14 days of the order (aanmelding), for quote
    products (codes 2, 4, 5) too; the approval of the quote does not restart the period."""
    trajectory = order(make_product(contracted_a, code, name=f"P{code}"), on=ordered)
    if approved is not None:
        services.trajectory_document_submit(
            actor=provider_user_a,
            trajectory=trajectory,
            kind="quote",
            title="Offerte",
            text="Offerte met re-integratieplan",
            # Jobcoaching (code 5) quotes an hourly rate and hours that make the amount.
            payload=(
                {"amount": "1500.00", "hourly_rate": "75.00", "hours": "20"}
                if code == 5
                else {"amount": "1500.00"}
            ),
            on=ordered,
        )
        services.trajectory_transition(
            actor=case_manager, trajectory=trajectory, action="approve_quote", on=approved
        )
    intake = Deadline.objects.get(trajectory=trajectory, kind="intake")
    assert intake.due_on == due
    assert intake.cancelled_on is None
    trajectory.refresh_from_db()
    assert trajectory.next_due_on == due


def test_rejected_quote_cancels_the_intake_deadline(
    order: Callable[..., Trajectory],
    contracted_a: Provider,
    make_product: Callable[..., Product],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-3: a rejected quote ends the trajectory; its intake deadline is no longer open."""
    trajectory = order(make_product(contracted_a, 4, name="P4"), on=D(2026, 4, 24))
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="quote",
        title="Offerte",
        text="Offerte",
        payload={"amount": "1500.00"},
        on=D(2026, 4, 24),
    )
    services.trajectory_transition(
        actor=case_manager,
        trajectory=trajectory,
        action="reject_quote",
        reason="Te duur",
        on=D(2026, 4, 28),
    )
    intake = Deadline.objects.get(trajectory=trajectory, kind="intake")
    assert intake.cancelled_on == D(2026, 4, 28)
    trajectory.refresh_from_db()
    assert trajectory.next_due_on is None
