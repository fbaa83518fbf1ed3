"""Travel-cost claims of residents (R-BILL-9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor
from opstap.core.dutch import format_date, parse_date
from opstap.core.money import parse_amount
from opstap.core.roles import Perm, RoleCode
from opstap.invoices.models import (
    TravelClaim,
    TravelTrip,
)
from opstap.invoices.money import (
    to_cents,
)
from opstap.invoices.rules.travel import TripClaim, check_travel_claim
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import Trajectory

from ._common import InvoiceError, _is_finance, _now, _req_money, _require_visible


@dataclass(frozen=True, slots=True)
class TripInput:
    trip_date: dt.date
    single_trip_km: Decimal
    amount: Decimal


def attended_dates(trajectory: Trajectory) -> set[dt.date]:
    """The attendance register of a trajectory: days with an appointment marked attended."""
    return trajectory_selectors.attended_dates(trajectory)


def trip_lines_parse(text: str) -> list[TripInput]:
    """Trips typed one per line as `dd-mm-jjjj km-enkele-reis bedrag` (also jjjj-mm-dd; comma
    or point), as on
    the staff page and in the portal; a Dutch message names the first bad line."""
    trips: list[TripInput] = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        try:
            day = parse_date(parts[0])
            if day is None:
                raise ValueError(parts[0])
            trips.append(
                TripInput(
                    day,
                    parse_amount(parts[1]),
                    parse_amount(parts[2]),
                )
            )
        except (IndexError, ValueError, ArithmeticError) as exc:
            raise InvoiceError(
                f"Rit {number}: gebruik 'dd-mm-jjjj km bedrag'.", field="trips"
            ) from exc
    if not trips:
        raise InvoiceError("Voer minstens één rit in.", field="trips")
    return trips


def _is_resident(actor: Actor) -> bool:
    return bool(
        actor is not None
        and actor.has_opstap_perm(Perm.PORTAL_VIEW)
        and not actor.has_opstap_perm(Perm.CLIENT_VIEW)
    )


@transaction.atomic
def travel_claim_submit(
    *,
    actor: Actor,
    trajectory: Trajectory,
    trips: Sequence[TripInput],
    attended_on: Iterable[dt.date] = (),
) -> TravelClaim:
    """Enter a candidate's travel claim (R-BILL-9): each trip is checked against the
    trajectory's attendance register (appointments marked attended); only when the trajectory
    has no register yet, against the attended dates entered with the claim. Single trips over
    50 km are at the provider's expense.

    The candidate may claim for their own trajectory in the portal (R-POR); their claim is
    checked against the attendance register only (attended dates they type are ignored)."""
    resident = _is_resident(actor)
    if (
        actor is None
        or actor.has_role(RoleCode.PROVIDER_STAFF)
        or not (actor.has_opstap_perm(Perm.TRAJECTORY_ORDER) or _is_finance(actor) or resident)
    ):
        raise InvoiceError(
            "Reiskosten worden ingevoerd door de klantmanager of de administratie.",
            code="forbidden",
        )
    if resident:
        attended_on = ()
    _require_visible(actor, trajectory, "Dit traject")
    if not trips:
        raise InvoiceError("Voer minstens één rit in.", field="trips")
    register = attended_dates(trajectory)
    source = "register" if register else "claim"
    attended = register or set(attended_on)
    parsed = [
        TripClaim(
            trip_date=t.trip_date,
            single_trip_km=_req_money(t.single_trip_km, field="trips", label="de afstand"),
            amount=_req_money(t.amount, field="trips", label="het bedrag"),
        )
        for t in trips
    ]
    if any(t.single_trip_km < 0 or t.amount < 0 for t in parsed):
        raise InvoiceError("Afstand en bedrag kunnen niet negatief zijn.", field="trips")
    today = timezone.localdate(_now())
    future = sorted({t.trip_date for t in parsed if t.trip_date > today})
    if future:
        # A trip not yet made cannot be claimed: it was stored and then refused per trip
        # ("geen aanwezigheid geregistreerd op 01-01-2099"), a claim the person could not undo.
        raise InvoiceError(
            f"De reis van {format_date(future[0])} ligt in de toekomst. Declareer reiskosten "
            "na de reis, met de datum waarop gereisd is.",
            field="trips",
        )
    result = check_travel_claim(parsed, attended)
    claim = TravelClaim.objects.create(
        organisation_id=trajectory.organisation_id,
        client_id=trajectory.client_id,
        trajectory=trajectory,
        entered_by=actor,
        entered_at=_now(),
        attendance_source=source,
        organisation_pays=result.organisation_pays,
        provider_pays=result.provider_pays,
        refused=result.refused,
    )
    TravelTrip.objects.bulk_create(
        [
            TravelTrip(
                claim=claim,
                trip_date=v.trip.trip_date,
                single_trip_km=v.trip.single_trip_km,
                amount=to_cents(v.trip.amount),
                decision=v.decision.value,
                reason=v.reason[:255],
            )
            for v in result.verdicts
        ]
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="travel_claim",
        object_id=claim.pk,
        client_id=claim.client_id,
        purpose="Reiskostendeclaratie ingevoerd",
        changes={
            "organisation_pays": [None, str(result.organisation_pays)],
            "provider_pays": [None, str(result.provider_pays)],
        },
        organisation_id=claim.organisation_id,
    )
    return claim
