"""Which handover the dossier shows first to the new case manager (R-CLI-3)."""

from __future__ import annotations

import datetime as dt

import pytest

from opstap.clients.models import ClientEvent, ClientEventKind
from opstap.clients.selectors import recent_handover_to

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
ME, OTHER = 7, 8


def _event(kind: str, to: int, days_ago: int) -> ClientEvent:
    return ClientEvent(
        kind=kind,
        data={"to_case_manager": to},
        occurred_at=NOW - dt.timedelta(days=days_ago),
        summary="x",
    )


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([_event(ClientEventKind.HANDOVER, ME, 0)], 0),  # just received: shown
        ([_event(ClientEventKind.HANDOVER, ME, 30)], 0),  # day 30 still counts
        ([_event(ClientEventKind.HANDOVER, ME, 31)], None),  # older than 30 days: not first
        ([_event(ClientEventKind.HANDOVER, OTHER, 1)], None),  # handed to someone else
        (
            [_event(ClientEventKind.HANDOVER, OTHER, 1), _event(ClientEventKind.HANDOVER, ME, 5)],
            1,  # the handover to me, not the later one to a colleague
        ),
    ],
)
def test_recent_handover_to(events: list[ClientEvent], expected: int | None) -> None:
    """R-CLI-3: the new case manager sees the handover to them of the last 30 days first."""
    found = recent_handover_to(events, case_manager_id=ME, now=NOW)
    assert found is (events[expected] if expected is not None else None)
