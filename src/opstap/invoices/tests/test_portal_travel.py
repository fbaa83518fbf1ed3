"""R-BILL-9 with R-POR: the candidate claims travel costs in the portal for their own
trajectory; trips are checked against the attendance register only (dates the candidate
types are not evidence), over 50 km the provider pays, and they see the decision per trip.
Another resident can neither claim for nor see it (R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.invoices import services
from opstap.invoices.models import TravelClaim
from opstap.invoices.services import InvoiceError, TripInput
from opstap.organisations.models import Organisation
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

AMS = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture
def resident(make_user: Callable[..., User], client_k: Client) -> User:
    user = make_user(RoleCode.RESIDENT, username="kees")
    client_link_user(client=client_k, user=user)
    return user


def _attended(trajectory: Trajectory, actor: User, day: dt.date) -> int:
    appointment = trajectory_services.appointment_create(
        actor=actor,
        trajectory=trajectory,
        starts_at=dt.datetime.combine(day, dt.time(9), tzinfo=AMS),
    )
    trajectory_services.attendance_record(actor=actor, appointment=appointment, status="attended")
    return appointment.pk


def test_resident_claims_in_the_portal(
    code3_done: Trajectory,
    resident: User,
    provider_user_a: User,
) -> None:
    """The claim is a form: the attended appointments the provider registered as
    checkboxes with km and costs per trip, and another day typed as dd-mm-jjjj."""
    first = _attended(code3_done, provider_user_a, dt.date(2026, 5, 11))
    second = _attended(code3_done, provider_user_a, dt.date(2026, 5, 12))
    http = WebClient()
    http.force_login(resident)
    url = reverse("portal:travel")
    page = http.get(url).content.decode()
    assert "Ik reisde naar deze afspraak" in page and "maandag 11 mei 2026" in page
    assert "dd-mm-jjjj" in page and "JJJJ-MM-DD" not in page
    p = f"t{code3_done.pk}-"
    response = http.post(
        url,
        {
            "trajectory": code3_done.pk,
            f"{p}trip_{first}": "on",
            f"{p}km_{first}": "12",
            f"{p}amount_{first}": "6,40",
            f"{p}trip_{second}": "on",
            f"{p}km_{second}": "61",
            f"{p}amount_{second}": "30,00",
            f"{p}date_x1": "13-05-2026",
            f"{p}km_x1": "12",
            f"{p}amount_x1": "6,40",
        },
    )
    assert response.status_code == 302
    claim = TravelClaim.objects.get()
    assert claim.attendance_source == "register" and claim.entered_by == resident
    assert (claim.organisation_pays, claim.provider_pays, claim.refused) == (
        Decimal("6.40"),
        Decimal("30.00"),
        Decimal("6.40"),
    )
    page = http.get(url).content.decode()
    # the claimed days are no longer offered
    assert f"{p}trip_{first}" not in page and f"{p}trip_{second}" not in page
    assert "wij betalen u €\u00a036,40" in page
    assert "Niet vergoed</strong>: Geen aanwezigheid geregistreerd op 13-05-2026." in page
    assert AuditRecord.objects.filter(
        object_type="travel_claim", client_id=code3_done.client_id, actor_id=resident.pk
    ).exists()


def test_typed_attendance_is_no_evidence_for_a_resident(
    code3_done: Trajectory,
    resident: User,
) -> None:
    """Without an attendance register the candidate's own dates do not count."""
    claim = services.travel_claim_submit(
        actor=resident,
        trajectory=code3_done,
        trips=[TripInput(dt.date(2026, 5, 11), Decimal("12"), Decimal("6.40"))],
        attended_on=[dt.date(2026, 5, 11)],
    )
    assert claim.refused == Decimal("6.40") and claim.organisation_pays == Decimal("0")


def test_another_resident_cannot_claim_or_see(
    code3_done: Trajectory,
    resident: User,
    org: Organisation,
    make_user: Callable[..., User],
) -> None:
    services.travel_claim_submit(
        actor=resident,
        trajectory=code3_done,
        trips=[TripInput(dt.date(2026, 5, 11), Decimal("12"), Decimal("6.40"))],
    )
    stranger = make_user(RoleCode.RESIDENT, username="ander")
    client_link_user(
        client=make_client(org, first_name="Ander", case_manager=make_user(RoleCode.CASE_MANAGER)),
        user=stranger,
    )
    with pytest.raises(InvoiceError, match="geen toegang"):
        services.travel_claim_submit(
            actor=stranger,
            trajectory=code3_done,
            trips=[TripInput(dt.date(2026, 5, 11), Decimal("12"), Decimal("6.40"))],
        )
    http = WebClient()
    http.force_login(stranger)
    page = http.get(reverse("portal:travel")).content.decode()
    assert "nog geen traject dat is begonnen" in page and "6,40" not in page
    p = f"t{code3_done.pk}-"
    refused = http.post(
        reverse("portal:travel"),
        {
            "trajectory": code3_done.pk,
            f"{p}date_x1": "11-05-2026",
            f"{p}km_x1": "12",
            f"{p}amount_x1": "6,40",
        },
    )
    assert refused.status_code == 400  # not one of this resident's trajectories
    assert TravelClaim.objects.count() == 1
    # R-SEC-2: the attempt is recorded and the resident is told (the page said nothing)
    assert "Uw declaratie is niet verstuurd" in refused.content.decode()
    assert AuditRecord.objects.filter(
        actor_id=stranger.pk,
        action="denied",
        object_type="trajectory",
        object_id=str(code3_done.pk),
    ).exists()


def test_portal_claim_form_refuses_iso_text_and_explains_dutch_dates(
    code3_done: Trajectory,
    resident: User,
) -> None:
    """No free-text trip lines: a date must be dd-mm-jjjj, amounts take a decimal comma."""
    http = WebClient()
    http.force_login(resident)
    p = f"t{code3_done.pk}-"
    response = http.post(
        reverse("portal:travel"),
        {
            "trajectory": code3_done.pk,
            f"{p}date_x1": "2026-05-11",
            f"{p}km_x1": "12",
            f"{p}amount_x1": "zes",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Schrijf de datum als dd-mm-jjjj" in page
    assert "Vul de kosten in als een getal" in page
    assert TravelClaim.objects.count() == 0
    nothing = http.post(reverse("portal:travel"), {"trajectory": code3_done.pk})
    assert "Kies minstens één afspraak" in nothing.content.decode()


def test_a_trip_in_the_future_is_refused_not_stored(
    code3_done: Trajectory,
    resident: User,
) -> None:
    """R-BILL-9: travel costs are claimed afterwards. A trip dated after today (14-08-2026)
    was stored as a claim and refused per trip ("geen aanwezigheid geregistreerd op
    01-01-2099"); now the form says why and nothing is stored. Today itself is fine."""
    http = WebClient()
    http.force_login(resident)
    p = f"t{code3_done.pk}-"
    response = http.post(
        reverse("portal:travel"),
        {
            "trajectory": code3_done.pk,
            f"{p}date_x1": "15-08-2026",
            f"{p}km_x1": "12",
            f"{p}amount_x1": "6,40",
        },
    )
    assert response.status_code == 400
    assert "De reis van 15-08-2026 ligt in de toekomst" in response.content.decode()
    assert TravelClaim.objects.count() == 0
    services.travel_claim_submit(
        actor=resident,
        trajectory=code3_done,
        trips=[TripInput(dt.date(2026, 8, 14), Decimal(12), Decimal("6.40"))],
    )
    assert TravelClaim.objects.count() == 1
