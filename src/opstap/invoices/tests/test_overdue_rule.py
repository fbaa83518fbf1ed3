"""Overdue for payment (R-TRJ-3 payment term): one rule in `invoices.workflow`, used by the
work-list badge and the "achterstallig" tab (issue 13: no rule in a template)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.invoices.workflow import UNPAID_STATUSES, InvoiceStatus, is_overdue_for_payment

ON = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("status", "due_on", "expected"),
    [
        (InvoiceStatus.APPROVED, dt.date(2026, 5, 31), True),  # approved, due yesterday
        (InvoiceStatus.IN_BATCH, dt.date(2026, 5, 1), True),  # in a batch, not yet paid
        (InvoiceStatus.RECEIVED, dt.date(2026, 5, 31), True),  # still being checked
        (InvoiceStatus.APPROVED, ON, False),  # due today: not yet overdue
        (InvoiceStatus.PAID, dt.date(2026, 1, 1), False),  # paid: never overdue
        (InvoiceStatus.REJECTED, dt.date(2026, 1, 1), False),  # rejected: nothing to pay
        (InvoiceStatus.HELD, dt.date(2026, 1, 1), False),  # held: not payable until released
        ("checked", dt.date(2026, 5, 1), True),  # a stored status string works as well
    ],
)
def test_overdue_table(status, due_on, expected) -> None:
    assert is_overdue_for_payment(status, due_on, ON) is expected


@given(st.sampled_from(list(InvoiceStatus)), st.dates(), st.dates())
def test_overdue_means_unpaid_and_past_due(status, due_on, on) -> None:
    assert is_overdue_for_payment(status, due_on, on) is (status in UNPAID_STATUSES and due_on < on)
