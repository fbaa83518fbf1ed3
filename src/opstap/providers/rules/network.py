"""Network rules (R-NET-2, R-NET-8, R-NET-9): evidence expiry, inactivity, signal threshold.

Pure functions over dates and counts; the services feed them from the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta

DEFAULT_EVIDENCE_WARNING_DAYS = 60
DEFAULT_INACTIVITY_MONTHS = 12
DEFAULT_SIGNAL_THRESHOLD = 3
DEFAULT_SIGNAL_WINDOW_MONTHS = 12


class EvidenceState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


def evidence_state(
    *, valid_from: dt.date, valid_until: dt.date | None, on: dt.date, warning_days: int
) -> EvidenceState:
    """State of one piece of evidence on `on`; `valid_until` is inclusive, None = no end."""
    if on < valid_from:
        return EvidenceState.NOT_YET_VALID
    if valid_until is None:
        return EvidenceState.VALID
    if on > valid_until:
        return EvidenceState.EXPIRED
    if valid_until - on <= dt.timedelta(days=warning_days):
        return EvidenceState.EXPIRING
    return EvidenceState.VALID


def expiry_warning_until(on: dt.date, warning_days: int) -> dt.date:
    """R-NET-2: evidence whose validity ends on or before this day is in (or past) the warning
    window on `on`; the same window as `evidence_state`'s EXPIRING."""
    return on + dt.timedelta(days=warning_days)


def is_valid_on(*, valid_from: dt.date, valid_until: dt.date | None, on: dt.date) -> bool:
    return valid_from <= on and (valid_until is None or on <= valid_until)


def inactive_since_cutoff(on: dt.date, months: int = DEFAULT_INACTIVITY_MONTHS) -> dt.date:
    """A provider whose last activity is on or before this date is inactive on `on`."""
    return on - relativedelta(months=months)


def is_inactive(
    *,
    last_activity_on: dt.date | None,
    active_since: dt.date,
    on: dt.date,
    months: int = DEFAULT_INACTIVITY_MONTHS,
) -> bool:
    """R-NET-8: no activity for any client for `months` months. A provider that never had
    activity counts from the day it joined (`active_since`)."""
    reference = last_activity_on or active_since
    return reference <= inactive_since_cutoff(on, months)


def signal_window_start(on: dt.date, months: int = DEFAULT_SIGNAL_WINDOW_MONTHS) -> dt.date:
    return on - relativedelta(months=months)


@dataclass(frozen=True)
class SignalDecision:
    open_evaluation: bool
    count_in_window: int


def signal_threshold_reached(
    *,
    signal_dates: list[dt.date],
    on: dt.date,
    threshold: int = DEFAULT_SIGNAL_THRESHOLD,
    window_months: int = DEFAULT_SIGNAL_WINDOW_MONTHS,
    evaluation_open: bool = False,
) -> SignalDecision:
    """R-NET-9: `threshold` signals within the window open an evaluation (unless one is open)."""
    start = signal_window_start(on, window_months)
    count = sum(1 for d in signal_dates if start < d <= on)
    return SignalDecision(
        open_evaluation=count >= threshold and not evaluation_open, count_in_window=count
    )
