"""Outcome facts: durable placement (R-TRJ-7) and placement-fee eligibility (R-BILL-6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.trajectories.outcomes import (
    Durability,
    durability,
    durability_check_due,
    placement_fee_check,
    placement_fee_claim_due,
)

D = dt.date

CHECK_DUE_CASES = [
    # (placement start, durability check due)
    (D(2026, 1, 1), D(2026, 7, 1)),  # 6 months after 1 January
    (D(2026, 8, 31), D(2027, 2, 28)),  # no 31 February: the last day of February
    (D(2027, 8, 31), D(2028, 2, 29)),  # leap year 2028
    (D(2026, 11, 15), D(2027, 5, 15)),  # across the year boundary
]


@pytest.mark.parametrize(("start", "due"), CHECK_DUE_CASES)
def test_durability_check_is_due_six_months_after_the_start(start: dt.date, due: dt.date) -> None:
    """R-TRJ-7: the system checks durability when 6 months have passed."""
    assert durability_check_due(start) == due


DURABILITY_CASES = [
    # (start, last day of employment, assessed on, outcome)
    # Still employed on 1 July, 6 months after 1 January: more than 6 months -> durable.
    (D(2026, 1, 1), None, D(2026, 7, 1), Durability.DURABLE),
    # Asked one day earlier: not yet known.
    (D(2026, 1, 1), None, D(2026, 6, 30), Durability.PENDING),
    # Last day 30 June: exactly 6 months, not MORE than 6 -> not durable.
    (D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 1), Durability.NOT_DURABLE),
    # Last day 1 July: 6 months and a day -> durable.
    (D(2026, 1, 1), D(2026, 7, 1), D(2026, 8, 1), Durability.DURABLE),
    # Ended after 2 months: known to be not durable as soon as it ended.
    (D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 1), Durability.NOT_DURABLE),
    # A future last day (notice given) before the check date: pending until then.
    (D(2026, 1, 1), D(2026, 5, 31), D(2026, 4, 1), Durability.PENDING),
    # A contract ending later than the check date, assessed after the check date: durable.
    (D(2026, 1, 1), D(2026, 12, 31), D(2026, 9, 1), Durability.DURABLE),
]


@pytest.mark.parametrize(("start", "last_day", "on", "expected"), DURABILITY_CASES)
def test_durable_placement(
    start: dt.date, last_day: dt.date | None, on: dt.date, expected: Durability
) -> None:
    """R-TRJ-7: a placement lasting more than 6 months counts as durable."""
    assert durability(start, last_day=last_day, on=on) is expected


def test_a_last_day_before_the_start_is_refused() -> None:
    """R-TRJ-7: inconsistent dates are refused, not guessed."""
    with pytest.raises(ValueError, match="vóór de start"):
        durability(D(2026, 1, 1), last_day=D(2025, 12, 31), on=D(2026, 7, 1))


@given(
    start=st.dates(min_value=D(2015, 1, 1), max_value=D(2090, 12, 31)),
    lasted=st.integers(min_value=0, max_value=400),
    on_after=st.integers(min_value=0, max_value=400),
)
def test_durability_is_final_once_known(start: dt.date, lasted: int, on_after: int) -> None:
    """R-TRJ-7 (property): once durable or not durable, later assessments agree."""
    last_day = start + dt.timedelta(days=lasted)
    on = start + dt.timedelta(days=on_after)
    first = durability(start, last_day=last_day, on=on)
    later = durability(start, last_day=last_day, on=on + dt.timedelta(days=366))
    assert later is not Durability.PENDING
    if first is not Durability.PENDING:
        assert later is first
    assert (later is Durability.DURABLE) == (last_day >= durability_check_due(start))


H = Decimal

FEE_CASES = [
    # (contract start, contract last day, hours/week, hour restriction, eligible?)
    # 1 Jan - 30 Jun is exactly 6 months, 24 hours: eligible.
    (D(2026, 1, 1), D(2026, 6, 30), H(24), None, True),
    # One day short of 6 months: not eligible.
    (D(2026, 1, 1), D(2026, 6, 29), H(24), None, False),
    # Open-ended contract, 32 hours: eligible.
    (D(2026, 1, 1), None, H(32), None, True),
    # 23.5 hours without a restriction: below 24, not eligible.
    (D(2026, 1, 1), None, H("23.5"), None, False),
    # Restricted to 16 hours, works 16: eligible (the restricted hours are the norm).
    (D(2026, 1, 1), None, H(16), H(16), True),
    # Restricted to 16 hours, works 12: not eligible.
    (D(2026, 1, 1), None, H(12), H(16), False),
    # A restriction of 30 hours (not below 24): the norm stays 24 hours.
    (D(2026, 1, 1), None, H(24), H(30), True),
    (D(2026, 1, 1), None, H(20), H(30), False),
    # 31 Aug - 27 Feb 2027: 6 months end on 28 Feb, so the last day 27 Feb is enough.
    (D(2026, 8, 31), D(2027, 2, 27), H(24), None, True),
]


@pytest.mark.parametrize(("start", "end", "hours", "restriction", "eligible"), FEE_CASES)
def test_placement_fee_eligibility(
    start: dt.date,
    end: dt.date | None,
    hours: Decimal,
    restriction: Decimal | None,
    eligible: bool,
) -> None:
    """R-BILL-6: at least 6 months and at least 24 h/week, or the restricted hours if lower."""
    check = placement_fee_check(
        contract_start=start, contract_end=end, hours_per_week=hours, hour_restriction=restriction
    )
    assert check.eligible is eligible
    assert bool(check.reasons_nl) is not eligible


def test_placement_fee_refusal_says_why_in_dutch() -> None:
    """R-BILL-6: each failing condition is named."""
    check = placement_fee_check(
        contract_start=D(2026, 1, 1),
        contract_end=D(2026, 3, 31),
        hours_per_week=H(12),
        hour_restriction=H(16),
    )
    assert check.required_hours == H(16)
    assert check.reasons_nl == (
        "Het contract duurt korter dan 6 maanden (01-01-2026 t/m 31-03-2026).",
        "Het contract is 12 uur per week; minimaal 16 uur is nodig "
        "(de urenbeperking van de klant).",
    )


def test_placement_fee_claim_is_due_30_days_after_probation() -> None:
    """R-BILL-6: claimed within 30 days after any probation period (Atw roll-over)."""
    # Probation ends Sun 5 Apr 2026 + 30 days = Tue 5 May 2026 (holiday) -> Wed 6 May.
    assert placement_fee_claim_due(contract_start=D(2026, 2, 5), probation_end=D(2026, 4, 5)) == D(
        2026, 5, 6
    )
    # No probation period: from the start, Mon 2 Mar 2026 + 30 = Wed 1 Apr 2026.
    assert placement_fee_claim_due(contract_start=D(2026, 3, 2), probation_end=None) == D(
        2026, 4, 1
    )
