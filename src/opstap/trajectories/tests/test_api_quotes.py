"""The quote history and the revised quote through the API (issue 12, R-TRJ-1, R-BILL-1): a
provider's system replaces a wrong approved quote, the case manager's system approves or
rejects it again, and the trajectory's price terms follow only an approved quote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.providers.models import Provider
from opstap.trajectories import services
from opstap.trajectories.models import Trajectory

from .conftest import AMS, ORDER_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted(
    contracted_a: Provider,
    make_product: Callable[..., Any],
    order: Callable[..., Trajectory],
    case_manager: User,
    provider_user_a: User,
    time_machine: Any,
) -> Trajectory:
    """Jobcoaching at € 72.50/h, quote of 10 hours approved; today is explicit."""
    time_machine.move_to(dt.datetime(2026, 5, 1, 10, 0, tzinfo=AMS), tick=False)
    trajectory = order(make_product(contracted_a, 5, price=Decimal("72.50")))
    services.trajectory_transition(
        actor=provider_user_a, trajectory=trajectory, action="submit_quote", on=ORDER_DAY,
        reason="Tien uur jobcoaching",
        payload={"amount": "725.00", "hourly_rate": "72.50", "hours": "10"},
    )  # fmt: skip
    services.trajectory_transition(
        actor=case_manager, trajectory=trajectory, action="approve_quote", on=ORDER_DAY
    )
    return trajectory


def test_revised_quote_through_the_api(
    quoted: Trajectory,
    api_as: Callable[[User], Any],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-1, R-BILL-1: POST a revised quote (provider), it waits; the case manager
    approves it; the detail shows the new price terms; GET lists both versions, audited."""
    base = f"/api/v1/trajectories/{quoted.pk}"
    api = api_as(provider_user_a)
    revised = api.post(
        f"{base}/quotes",
        {"amount": "1450.00", "hourlyRate": "72.50", "hours": "20", "text": "20 uur nodig"},
        format="json",
    )
    assert revised.status_code == 201, revised.json()
    assert (revised.json()["version"], revised.json()["status"]) == (2, "submitted")
    assert api.get(base).json()["agreedHours"] == "10.00", "unchanged until approved"
    # The provider cannot approve its own revision.
    refused = api.post(f"{base}/quotes/_approve", {}, format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"

    api = api_as(case_manager)
    approved = api.post(f"{base}/quotes/_approve", {"reason": "Akkoord"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    detail = api.get(base).json()
    assert (detail["priceBasis"], detail["hourlyRate"], detail["agreedHours"]) == (
        "hourly",
        "72.50",
        "20.00",
    )
    versions = api.get(f"{base}/quotes").json()
    assert [(q["version"], q["status"], q["statusLabel"]) for q in versions] == [
        (1, "superseded", "vervangen"),
        (2, "approved", "goedgekeurd"),
    ]
    assert AuditRecord.objects.filter(
        action="read", client_id=quoted.client_id, purpose="Offertes ophalen via API"
    ).exists()


def test_revised_quote_refusals_are_problem_json(
    quoted: Trajectory,
    api_as: Callable[[User], Any],
    provider_user_a: User,
    provider_user_b: User,
    case_manager: User,
) -> None:
    """Bad input names the field; a rejection needs a reason; another provider does not
    learn that the trajectory exists (R-SEC-1)."""
    base = f"/api/v1/trajectories/{quoted.pk}"
    api = api_as(provider_user_a)
    no_hours = api.post(f"{base}/quotes", {"amount": "725.00", "text": "x"}, format="json")
    assert no_hours.status_code == 400
    assert no_hours["Content-Type"] == "application/problem+json"
    assert {p["name"] for p in no_hours.json()["invalidParams"]} & {"hourlyRate", "hours"}
    negative = api.post(
        f"{base}/quotes", {"amount": "-5", "hourlyRate": "1", "hours": "1"}, format="json"
    )
    assert negative.status_code == 400
    assert "amount" in {p["name"] for p in negative.json()["invalidParams"]}

    assert api_as(provider_user_b).get(f"{base}/quotes").status_code == 404

    api = api_as(case_manager)
    nothing = api.post(f"{base}/quotes/_approve", {}, format="json")
    assert nothing.status_code == 400
    assert any(
        p["name"] == "quote" and "geen herziene offerte" in p["reason"]
        for p in nothing.json()["invalidParams"]
    )
    api_as(provider_user_a).post(
        f"{base}/quotes", {"amount": "145.00", "hourlyRate": "72.50", "hours": "2",
                           "text": "Minder uren"}, format="json",
    )  # fmt: skip
    api = api_as(case_manager)
    no_reason = api.post(f"{base}/quotes/_reject", {}, format="json")
    assert no_reason.status_code == 400
    assert "reason" in {p["name"] for p in no_reason.json()["invalidParams"]}
    rejected = api.post(f"{base}/quotes/_reject", {"reason": "Te weinig uren"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert api.get(base).json()["agreedHours"] == "10.00"
