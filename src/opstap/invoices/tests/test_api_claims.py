"""API for placement fees (R-BILL-6) and travel claims (R-BILL-9): what the portal pages do,
for providers' and the municipality's own systems, with the same scope (R-SEC-1) and audit
(R-SEC-2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.invoices.models import PlacementFeeClaim, TravelClaim
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

FEE = {
    "invoiceNumber": "F-API-1",
    "invoiceDate": "2026-08-10",
    "employer": "Bakkerij Jansen",
    "placementStart": "2026-07-01",
    "hoursPerWeek": "32",
    "contractMonths": 12,
    "probationEnd": "2026-07-31",
}


def test_provider_claims_the_placement_fee_once(
    code3_done: Trajectory,
    provider_user_a: User,
    provider_user_b: User,
    api_as: Callable[..., APIClient],
) -> None:
    """R-BILL-6: multipart with the contract; EUR 500 checked at once; a second claim for the
    same placement is a 400 problem with the reason; another provider cannot claim it."""
    api = api_as(provider_user_a)
    body = {
        **FEE,
        "trajectory": code3_done.pk,
        "contract": SimpleUploadedFile("c.pdf", b"%PDF-1.4 contract", "application/pdf"),
    }
    response = api.post("/api/v1/placement-fee-claims", body, format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["employer"] == "Bakkerij Jansen" and data["hasContract"] is True
    assert data["invoiceVerdict"] == "green"
    claim = PlacementFeeClaim.objects.get()
    assert claim.invoice is not None and str(claim.invoice.amount_excl) == "500.00"
    again = api.post(
        "/api/v1/placement-fee-claims",
        {**FEE, "invoiceNumber": "F-API-2", "trajectory": code3_done.pk},
        format="json",
    )
    assert again.status_code == 400
    assert again["Content-Type"].startswith("application/problem+json")
    assert "één fee per plaatsing" in again.content.decode()
    other = api_as(provider_user_b).post(
        "/api/v1/placement-fee-claims",
        {**FEE, "invoiceNumber": "F-B", "trajectory": code3_done.pk},
        format="json",
    )
    assert other.status_code == 400
    assert "geen toegang" in other.content.decode()


def test_placement_fee_api_names_every_problem_at_once(
    code3_done: Trajectory,
    provider_user_a: User,
    api_as: Callable[..., APIClient],
) -> None:
    """R-BILL-6, R-SEC-6: a claim with no hours and a probation ending before the first working
    day answers one 400 problem+json listing both in invalidParams, as the form page does
    (`placement_fee_problems`); the API named the first only."""
    response = api_as(provider_user_a).post(
        "/api/v1/placement-fee-claims",
        {**FEE, "hoursPerWeek": "0", "probationEnd": "2026-06-15", "trajectory": code3_done.pk},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    params = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert params == {
        "hoursPerWeek": "Het aantal uren per week moet positief zijn.",
        "probationEnd": (
            "Het einde van de proeftijd (15-06-2026) ligt vóór de eerste werkdag (01-07-2026). "
            "Vul de laatste dag van de proeftijd in, of laat het veld leeg als er geen proeftijd "
            "is."
        ),
    }
    assert not PlacementFeeClaim.objects.exists()


def test_placement_fee_claims_are_scoped_and_audited(
    code3_done: Trajectory,
    provider_user_a: User,
    provider_user_b: User,
    api_as: Callable[..., APIClient],
) -> None:
    """R-SEC-1/2: provider B neither lists nor fetches A's claim (404); reads are audited."""
    api = api_as(provider_user_a)
    created = api.post(
        "/api/v1/placement-fee-claims", {**FEE, "trajectory": code3_done.pk}, format="json"
    ).json()
    listed = api.get("/api/v1/placement-fee-claims").json()
    assert [c["id"] for c in listed["results"]] == [created["id"]]
    assert api.get(f"/api/v1/placement-fee-claims/{created['id']}").status_code == 200
    b = api_as(provider_user_b)
    assert b.get("/api/v1/placement-fee-claims").json()["count"] == 0
    assert b.get(f"/api/v1/placement-fee-claims/{created['id']}").status_code == 404
    assert AuditRecord.objects.filter(
        object_type="placement_fee_claim", client_id=code3_done.client_id, action="read"
    ).exists()


TRIPS = {
    "trips": [
        {"tripDate": "2026-05-11", "singleTripKm": "12", "amount": "6.40"},
        {"tripDate": "2026-05-12", "singleTripKm": "61", "amount": "30.00"},
        {"tripDate": "2026-05-13", "singleTripKm": "12", "amount": "6.40"},
    ],
    "attendedOn": ["2026-05-11", "2026-05-12"],
}


def test_case_manager_enters_a_travel_claim(
    code3_done: Trajectory,
    case_manager: User,
    provider_user_a: User,
    api_as: Callable[..., APIClient],
) -> None:
    """R-BILL-9: trips without attendance are refused, over 50 km at the provider's expense;
    the answer holds the decision per trip. Providers cannot enter claims (403)."""
    api = api_as(case_manager)
    response = api.post(
        "/api/v1/travel-claims", {**TRIPS, "trajectory": code3_done.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["organisationPays"], data["providerPays"], data["refused"]) == (
        "6.40",
        "30.00",
        "6.40",
    )
    assert [t["decision"] for t in data["trips"]] == ["approved", "provider_expense", "refused"]
    forbidden = api_as(provider_user_a).post(
        "/api/v1/travel-claims", {**TRIPS, "trajectory": code3_done.pk}, format="json"
    )
    assert forbidden.status_code == 403
    bad = api_as(case_manager).post(
        "/api/v1/travel-claims", {"trajectory": code3_done.pk, "trips": []}, format="json"
    )
    assert bad.status_code == 400 and "minstens één rit" in bad.content.decode()
    assert TravelClaim.objects.count() == 1


def test_travel_claim_list_query_count_constant(
    code3_done: Trajectory,
    case_manager: User,
    api_as: Callable[..., APIClient],
) -> None:
    """The list costs the same number of queries for 1 or 4 claims (trips prefetched)."""
    api = api_as(case_manager)

    def enter() -> Any:
        return api.post(
            "/api/v1/travel-claims", {**TRIPS, "trajectory": code3_done.pk}, format="json"
        )

    enter()
    api.get("/api/v1/travel-claims")
    with CaptureQueriesContext(connection) as one:
        assert api.get("/api/v1/travel-claims").json()["count"] == 1
    for _ in range(3):
        enter()
    with CaptureQueriesContext(connection) as four:
        body = api.get("/api/v1/travel-claims").json()
    assert body["count"] == 4 and len(body["results"][0]["trips"]) == 3
    assert len(four.captured_queries) == len(one.captured_queries)
