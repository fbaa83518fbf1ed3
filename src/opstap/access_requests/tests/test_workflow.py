"""The access-request workflow table and its terms, pure and table-driven (R-SEC-5)."""

from __future__ import annotations

import datetime as dt

import pytest

from opstap.access_requests.terms import add_months, days_left, due_date, expires_at
from opstap.access_requests.workflow import (
    TRANSITIONS,
    Action,
    IllegalTransitionError,
    State,
    available_actions,
    check_transition,
)

ALLOWED = {
    (State.REQUESTED, Action.START): State.COMPILING,
    (State.REQUESTED, Action.FAIL): State.FAILED,
    (State.COMPILING, Action.COMPLETE): State.READY,
    (State.COMPILING, Action.FAIL): State.FAILED,
    (State.FAILED, Action.RETRY): State.REQUESTED,
    (State.READY, Action.DOWNLOAD): State.DOWNLOADED,
    (State.DOWNLOADED, Action.DOWNLOAD): State.DOWNLOADED,
    (State.READY, Action.EXPIRE): State.EXPIRED,
    (State.DOWNLOADED, Action.EXPIRE): State.EXPIRED,
    # A person without a dossier is answered that we hold no data (R-SEC-5, AVG art. 15).
    (State.REQUESTED, Action.ANSWER_NO_DATA): State.NO_DATA,
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_action_pair(state: State, action: Action) -> None:
    """R-SEC-5: requested → compiling → ready → downloaded / expired, failed → retry; every
    other step is refused with a Dutch message."""
    expected = ALLOWED.get((state, action))
    if expected is None:
        with pytest.raises(IllegalTransitionError) as info:
            check_transition(state=state, action=action)
        assert "kan niet bij een inzageverzoek met status" in info.value.message
    else:
        assert check_transition(state=state, action=action).to_state is expected


def test_table_has_no_duplicates_and_expired_is_final() -> None:
    keys = [(t.from_state, t.action) for t in TRANSITIONS]
    assert len(keys) == len(set(keys))
    assert available_actions(State.EXPIRED) == ()
    assert available_actions(State.NO_DATA) == ()
    assert set(available_actions(State.READY)) == {Action.DOWNLOAD, Action.EXPIRE}


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 3, 12), dt.date(2026, 4, 12)),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
        (dt.date(2026, 8, 31), dt.date(2026, 9, 30)),
    ],
)
def test_one_month_is_the_same_day_number_next_month(received: dt.date, due: dt.date) -> None:
    """R-SEC-5 / AVG art. 12(3): answer within one month of receipt; the month before the Atw
    roll-over (the due date itself, rolled to a working day, is in test_due_date.py)."""
    assert add_months(received, 1) == due
    assert due_date(received) >= due


def test_add_months_over_years() -> None:
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 5, 1), 12) == dt.date(2027, 5, 1)


def test_expiry_and_days_left() -> None:
    ready = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    assert expires_at(ready, 30) == dt.datetime(2026, 5, 31, 12, 0, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="minstens één dag"):
        expires_at(ready, 0)
    assert days_left(dt.date(2026, 5, 10), dt.date(2026, 5, 1)) == 9
    assert days_left(dt.date(2026, 5, 1), dt.date(2026, 5, 3)) == -2
