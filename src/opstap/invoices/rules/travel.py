"""Travel-cost claims of candidates (R-BILL-9).

Travel costs are not part of the trajectory price: candidates claim them afterwards from the
organisation. Each trip is checked against the attendance register (the dates the candidate
attended an appointment); a trip on a day without attendance is refused. A single trip
(enkele rit) longer than 50 km is at the provider's expense, not the organisation's.

Pure module: no ORM.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from opstap.invoices.money import ZERO, to_cents

#: R-BILL-9: single trips over 50 km are at the provider's expense.
MAX_SINGLE_TRIP_KM = Decimal(50)


class TravelDecision(StrEnum):
    """Outcome of one trip."""

    APPROVED = "approved"  # paid by the organisation
    PROVIDER_EXPENSE = "provider_expense"  # over 50 km single trip: the provider pays
    REFUSED = "refused"  # no attendance on that day


class TravelReasonCode(StrEnum):
    """Stable reason codes of travel claims."""

    NO_ATTENDANCE = "geen_aanwezigheid"
    OVER_50_KM = "enkele_rit_boven_50_km"
    DUPLICATE_TRIP = "rit_dubbel"


@dataclass(frozen=True, slots=True)
class TripClaim:
    """One trip claimed by a candidate: date, single-trip distance (km), amount (euros).

    A trip on the same day with the same distance as an earlier one is a duplicate.
    """

    trip_date: date
    single_trip_km: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class TripVerdict:
    """The decision on one trip, with a Dutch reason when not approved."""

    trip: TripClaim
    decision: TravelDecision
    reason_code: TravelReasonCode | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TravelAssessment:
    """All trips of a claim: per trip a verdict, plus the totals per payer."""

    verdicts: tuple[TripVerdict, ...]
    organisation_pays: Decimal
    provider_pays: Decimal
    refused: Decimal


def check_travel_claim(trips: Sequence[TripClaim], attended: Collection[date]) -> TravelAssessment:
    """Check trips against the attendance register (R-BILL-9)."""
    verdicts: list[TripVerdict] = []
    seen: set[tuple[date, Decimal]] = set()
    for trip in trips:
        key = (trip.trip_date, trip.single_trip_km)
        if trip.trip_date not in attended:
            verdicts.append(
                TripVerdict(
                    trip,
                    TravelDecision.REFUSED,
                    TravelReasonCode.NO_ATTENDANCE,
                    f"Geen aanwezigheid geregistreerd op {trip.trip_date:%d-%m-%Y}.",
                )
            )
        elif key in seen:
            verdicts.append(
                TripVerdict(
                    trip,
                    TravelDecision.REFUSED,
                    TravelReasonCode.DUPLICATE_TRIP,
                    f"Deze rit op {trip.trip_date:%d-%m-%Y} is al gedeclareerd.",
                )
            )
        elif trip.single_trip_km > MAX_SINGLE_TRIP_KM:
            verdicts.append(
                TripVerdict(
                    trip,
                    TravelDecision.PROVIDER_EXPENSE,
                    TravelReasonCode.OVER_50_KM,
                    f"Enkele rit van {trip.single_trip_km} km is langer dan "
                    f"{MAX_SINGLE_TRIP_KM} km: voor rekening van de aanbieder.",
                )
            )
        else:
            verdicts.append(TripVerdict(trip, TravelDecision.APPROVED))
        seen.add(key)

    def total(decision: TravelDecision) -> Decimal:
        return sum((to_cents(v.trip.amount) for v in verdicts if v.decision is decision), ZERO)

    return TravelAssessment(
        verdicts=tuple(verdicts),
        organisation_pays=total(TravelDecision.APPROVED),
        provider_pays=total(TravelDecision.PROVIDER_EXPENSE),
        refused=total(TravelDecision.REFUSED),
    )
