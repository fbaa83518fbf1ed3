"""/api/v1/social-return (R-NET-10): providers see only their own monitor (matrix over the
roles), the coordinator sees all; providers register blocks (problem+json on refusal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.invoices.models import Invoice
from opstap.providers.models import Provider
from opstap.social_return import services

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    approved_a: Invoice, contracted_b: Provider, provider_user_b: User, provider_user_a: User
) -> dict[str, Provider]:
    for user, provider in ((provider_user_a, approved_a.provider), (provider_user_b, contracted_b)):
        services.block_register(
            actor=user,
            provider=provider,
            block_code="training",
            start_date=dt.date(2026, 3, 1),
            external_person=f"Persoon {provider.pk}",
            on=TODAY,
        )
    return {"a": approved_a.provider, "b": contracted_b}


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b"),
    [
        ("provider_a", True, False),
        ("provider_b", False, True),
        ("coordinator", True, True),
        ("contract_manager", True, True),
        ("case_manager", False, False),
        ("policy_officer", False, False),
    ],
)
def test_monitor_visibility_matrix(
    world: dict[str, Provider],
    who: str,
    sees_a: bool,
    sees_b: bool,
    provider_user_a: User,
    provider_user_b: User,
    coordinator: User,
    contract_manager: User,
    make_user: Callable[..., User],
    api_as: Callable[[User], APIClient],
) -> None:
    """R-SEC-1: a provider cannot see another provider's monitor (404, not 403), nor its
    blocks or its row in the overview; roles without social_return.view get 403."""
    users = {
        "provider_a": provider_user_a,
        "provider_b": provider_user_b,
        "coordinator": coordinator,
        "contract_manager": contract_manager,
        "case_manager": make_user(RoleCode.CASE_MANAGER),
        "policy_officer": make_user(RoleCode.POLICY_OFFICER),
    }
    api = api_as(users[who])
    allowed = sees_a or sees_b
    for key, expected in (("a", sees_a), ("b", sees_b)):
        response = api.get(f"/api/v1/social-return/providers/{world[key].pk}")
        assert response.status_code == (200 if expected else (404 if allowed else 403)), key
    listing = api.get("/api/v1/social-return/providers?year=2026")
    blocks = api.get("/api/v1/social-return/blocks")
    if not allowed:
        assert listing.status_code == blocks.status_code == 403
        return
    seen = {row["providerId"] for row in listing.json()}
    assert (world["a"].pk in seen) == sees_a  # a has an obligation in 2026
    block_providers = {row["providerId"] for row in blocks.json()}
    assert block_providers == {world[k].pk for k, s in (("a", sees_a), ("b", sees_b)) if s}


def test_monitor_shape(
    world: dict[str, Provider], coordinator: User, api_as: Callable[..., APIClient]
) -> None:
    data = api_as(coordinator).get(f"/api/v1/social-return/providers/{world['a'].pk}").json()
    year = next(y for y in data["years"] if y["year"] == 2026)
    assert year["obligation"] == "3250.00" and year["realised"] == "2083.33"
    assert data["blocks"][0]["perYear"] == {"2026": "2083.33", "2027": "416.67"}


def test_provider_registers_a_block_through_the_api(
    contracted_a: Provider, provider_user_a: User, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(provider_user_a)
    created = api.post(
        "/api/v1/social-return/blocks",
        {
            "blockCode": "pw_24_plus",
            "startDate": "2026-07-01",
            "hoursPerWeek": "18",
            "contractMonths": 12,
            "externalPerson": "J. de Vries",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["value"] == "25000.00"
    refused = api.post(
        "/api/v1/social-return/blocks",
        {
            "blockCode": "pw_24_plus",
            "startDate": "2026-07-01",
            "contractMonths": 3,
            "hoursPerWeek": "36",
            "externalPerson": "X",
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "contractMonths" in str(refused.json())


def test_other_provider_id_and_coordinator_post_are_refused(
    contracted_a: Provider,
    contracted_b: Provider,
    provider_user_b: User,
    coordinator: User,
    api_as: Callable[..., APIClient],
) -> None:
    body = {
        "providerId": contracted_a.pk,
        "blockCode": "training",
        "startDate": "2026-07-01",
        "externalPerson": "X",
    }
    assert (
        api_as(provider_user_b)
        .post("/api/v1/social-return/blocks", body, format="json")
        .status_code
        == 404
    )
    assert (
        api_as(coordinator).post("/api/v1/social-return/blocks", body, format="json").status_code
        == 403
    )


@pytest.mark.parametrize(
    ("year", "message"),
    [("2099", "tot en met 2026"), ("1800", "tot en met 2026"), ("x", "jaartal")],
)
def test_overview_names_an_unknown_year(
    world: dict[str, Provider],
    coordinator: User,
    api_as: Callable[..., APIClient],
    year: str,
    message: str,
) -> None:
    """R-NET-10: ?year=2099 answered zero obligations for every provider as if measured; an
    unreadable or future year is a problem+json 400 that names the parameter."""
    response = api_as(coordinator).get(f"/api/v1/social-return/providers?year={year}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.content.decode()
    assert "year" in body and message in body


@pytest.mark.parametrize("months", [601, 2**31, 10**20])
def test_an_implausible_contract_duration_is_refused_at_its_field(
    months: int,
    contracted_a: Provider,
    provider_user_a: User,
    api_as: Callable[..., APIClient],
) -> None:
    """R-NET-10, R-SEC-6: a block's contract duration beyond 600 months (the plausibility
    bound of outcomes, R-TRJ-7) is refused at contractMonths with a Dutch reason. Before,
    2**31 months reached the database: PostgreSQL answered 500 ('smallint out of range'),
    SQLite stored it."""
    api = api_as(provider_user_a)
    refused = api.post(
        "/api/v1/social-return/blocks",
        {
            "blockCode": "pw_24_plus",
            "startDate": "2026-07-01",
            "hoursPerWeek": "36",
            "contractMonths": months,
            "externalPerson": "J. de Vries",
        },
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert refused["Content-Type"].startswith("application/problem+json")
    params = refused.json()["invalidParams"]
    assert [p["name"] for p in params] == ["contractMonths"]
    assert "600" in params[0]["reason"]
