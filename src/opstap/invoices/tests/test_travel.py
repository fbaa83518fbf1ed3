"""Travel-cost claims of candidates (R-BILL-9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opstap.invoices.rules.travel import (
    TravelDecision,
    TravelReasonCode,
    TripClaim,
    check_travel_claim,
)

D = Decimal
ATTENDED = {date(2024, 3, 4), date(2024, 3, 11), date(2024, 3, 18)}


@pytest.mark.parametrize(
    ("trip", "decision", "code"),
    [
        pytest.param(
            TripClaim(date(2024, 3, 4), D("12"), D("4.56")),
            TravelDecision.APPROVED,
            None,
            id="attended-short-trip",
        ),
        pytest.param(
            TripClaim(date(2024, 3, 11), D("50"), D("19.00")),
            TravelDecision.APPROVED,
            None,
            id="exactly-50-km",
        ),
        pytest.param(
            TripClaim(date(2024, 3, 11), D("50.1"), D("19.04")),
            TravelDecision.PROVIDER_EXPENSE,
            TravelReasonCode.OVER_50_KM,
            id="over-50-km-provider-pays",
        ),
        pytest.param(
            TripClaim(date(2024, 3, 5), D("12"), D("4.56")),
            TravelDecision.REFUSED,
            TravelReasonCode.NO_ATTENDANCE,
            id="no-attendance",
        ),
    ],
)
def test_trip_checked_against_attendance_register(
    trip: TripClaim, decision: TravelDecision, code: TravelReasonCode | None
) -> None:
    """R-BILL-9: trips are checked against the attendance register; single trips over 50 km
    are at the provider's expense."""
    (verdict,) = check_travel_claim([trip], ATTENDED).verdicts
    assert verdict.decision is decision
    assert verdict.reason_code is code


def test_travel_claim_totals_per_payer() -> None:
    """R-BILL-9: the organisation pays attended trips up to 50 km; the rest is split out."""
    result = check_travel_claim(
        [
            TripClaim(date(2024, 3, 4), D("12"), D("4.56")),
            TripClaim(date(2024, 3, 4), D("12"), D("4.56")),  # the same trip twice
            TripClaim(date(2024, 3, 11), D("60"), D("22.80")),
            TripClaim(date(2024, 3, 12), D("12"), D("4.56")),
            TripClaim(date(2024, 3, 18), D("8"), D("3.04")),
        ],
        ATTENDED,
    )
    assert (result.organisation_pays, result.provider_pays, result.refused) == (
        D("7.60"),
        D("22.80"),
        D("9.12"),
    )
    assert result.verdicts[1].reason_code is TravelReasonCode.DUPLICATE_TRIP
