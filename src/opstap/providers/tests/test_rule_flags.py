"""Flags pages show, computed by the rule modules (issue 13): the contract term limit
(R-NET-3) and the evidence warning window (R-NET-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from opstap.providers.models import Contract, ContractStatus
from opstap.providers.rules import contracts as contract_rules
from opstap.providers.rules.network import EvidenceState, evidence_state, expiry_warning_until


@pytest.mark.parametrize(
    ("status", "terms", "expected"),
    [
        (ContractStatus.ACTIVE, 1, True),
        (ContractStatus.ACTIVE, 3, True),
        (ContractStatus.ACTIVE, 4, False),  # 1+1+1+1 years: the maximum
        (ContractStatus.ENDED, 2, False),  # an ended contract is not extended
    ],
)
def test_contract_can_extend(status: str, terms: int, expected: bool) -> None:
    """R-NET-3: the page's extend form follows the rule module's limit."""
    contract = Contract(status=status, terms_granted=terms)
    assert contract.can_extend is expected
    assert contract.max_terms == contract_rules.MAX_TERMS == 4


@pytest.mark.parametrize("warning_days", [0, 1, 30, 60])
def test_warning_window_matches_the_expiring_state(warning_days: int) -> None:
    """R-NET-2: evidence ending on the last day of the window is 'expiring'; a day later it
    is outside the window and still valid."""
    on = dt.date(2026, 3, 1)
    until = expiry_warning_until(on, warning_days)
    start = dt.date(2025, 1, 1)
    assert (
        evidence_state(valid_from=start, valid_until=until, on=on, warning_days=warning_days)
        == EvidenceState.EXPIRING
    )
    assert (
        evidence_state(
            valid_from=start,
            valid_until=until + dt.timedelta(days=1),
            on=on,
            warning_days=warning_days,
        )
        == EvidenceState.VALID
    )
