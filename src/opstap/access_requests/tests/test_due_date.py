"""The due date of a right-of-access request ends on a working day (R-SEC-5, AVG art. 12(3)).

One month after receipt; when that day is a Saturday, Sunday, a holiday of the Algemene
termijnenwet or a day equated with one by royal decree, the term ends on the next working day
(Atw art. 1; for the period of an EU regulation EU Regulation 1182/71 art. 3(4)). The holidays
are those of the project's one Atw calendar, `opstap.core.atw` (Good Friday and 5 May every
year included)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.access_requests.terms import due_date
from opstap.core.atw import FIRST_SUPPORTED_YEAR, add_months, is_working_day

D = dt.date

#: The days equated by royal decree for 2023-2028 (trajectories migration 0008, reference data).
EQUATED = frozenset(
    {
        D(2023, 4, 28),
        D(2023, 5, 19),
        D(2024, 5, 10),
        D(2024, 12, 27),
        D(2025, 5, 30),
        D(2026, 1, 2),
        D(2026, 5, 15),
        D(2027, 5, 7),
        D(2028, 4, 28),
        D(2028, 5, 26),
    }
)


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (D(2026, 12, 15), D(2027, 1, 15), "a Friday: a working day, unchanged"),
        (D(2028, 1, 31), D(2028, 2, 29), "clipped to 29 February (leap year), a Tuesday"),
        (D(2026, 3, 12), D(2026, 4, 13), "12 April 2026 is a Sunday"),
        (D(2026, 1, 31), D(2026, 3, 2), "clipped to Saturday 28 February"),
        (D(2027, 1, 31), D(2027, 3, 1), "clipped to Sunday 28 February"),
        (D(2032, 1, 31), D(2032, 3, 1), "clipped to Sunday 29 February (leap year)"),
        (D(2026, 11, 25), D(2026, 12, 28), "Christmas Day (Fri), Boxing Day (Sat), Sunday"),
        (D(2026, 11, 26), D(2026, 12, 28), "Boxing Day on a Saturday"),
        (D(2026, 12, 1), D(2027, 1, 4), "New Year's Day 2027 is a Friday"),
        (D(2026, 3, 6), D(2026, 4, 7), "Easter Monday 6 April 2026"),
        (D(2026, 3, 3), D(2026, 4, 7), "Good Friday 3 April 2026 (Atw art. 3(2)), to Tuesday"),
        (D(2027, 2, 28), D(2027, 3, 30), "Easter Sunday and Easter Monday 2027"),
        (D(2026, 3, 27), D(2026, 4, 28), "King's Day Monday 27 April 2026"),
        (D(2025, 3, 26), D(2025, 4, 28), "King's Day on Saturday 26 April (27th is a Sunday)"),
        (D(2026, 4, 5), D(2026, 5, 6), "5 May, every year (not only lustrum years)"),
        (D(2027, 4, 5), D(2027, 5, 7), "5 May and Ascension Day 2027, back to back"),
        (D(2026, 4, 25), D(2026, 5, 26), "Whit Monday 25 May 2026"),
    ],
)
def test_r_sec_5_due_date_moves_to_the_next_working_day(
    received: dt.date, due: dt.date, why: str
) -> None:
    """R-SEC-5: one month after receipt, on the next working day of the Atw calendar."""
    assert due_date(received) == due, why


@pytest.mark.parametrize(
    ("received", "without", "with_decree"),
    [
        # 1 January 2026 (Thursday), then Friday 2 January equated by royal decree.
        (D(2025, 12, 1), D(2026, 1, 2), D(2026, 1, 5)),
        (D(2025, 12, 2), D(2026, 1, 2), D(2026, 1, 5)),
        # 5 May, Ascension Day (6 May) and Friday 7 May 2027 equated.
        (D(2027, 4, 5), D(2027, 5, 7), D(2027, 5, 10)),
    ],
)
def test_r_sec_5_days_equated_by_royal_decree_are_no_working_days(
    received: dt.date, without: dt.date, with_decree: dt.date
) -> None:
    """R-SEC-5 with Atw art. 3(3): a day equated with a holiday by royal decree ends no term."""
    assert due_date(received) == without
    assert due_date(received, equated_days=EQUATED) == with_decree


receipts = st.dates(min_value=D(FIRST_SUPPORTED_YEAR, 1, 1), max_value=D(2199, 11, 30))


@given(received=receipts)
def test_r_sec_5_due_date_is_a_working_day_a_month_later_at_most_four_days_more(
    received: dt.date,
) -> None:
    """R-SEC-5: always a working day; never before one month after receipt; and at most 4
    days later (the longest run of non-working days: Good Friday to Easter Monday)."""
    month_later = add_months(received, 1)
    due = due_date(received)
    assert is_working_day(due)
    assert month_later <= due <= month_later + dt.timedelta(days=4)
    assert all(
        not is_working_day(month_later + dt.timedelta(days=n))
        for n in range(0, (due - month_later).days)
    )


@given(received=st.dates(min_value=D(2022, 11, 1), max_value=D(2028, 11, 30)))
def test_r_sec_5_with_equated_days_at_most_five_days_more(received: dt.date) -> None:
    """R-SEC-5: with the decree-equated days (27 December 2024 after Christmas: Wednesday to
    Sunday) still a working day, and at most 5 days after one month."""
    month_later = add_months(received, 1)
    due = due_date(received, equated_days=EQUATED)
    assert is_working_day(due, equated_days=EQUATED)
    assert month_later <= due <= month_later + dt.timedelta(days=5)
