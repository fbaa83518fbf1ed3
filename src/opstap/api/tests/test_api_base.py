"""The API chain: tokens, API-Version header, problem+json, camelCase, no trailing slash,
committed OpenAPI document (R-INT-1)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from opstap.core.roles import RoleCode

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "openapi.yaml"


def _token_for(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip()


def test_api_token_authenticates_municipalities(case_manager, client: Client) -> None:
    """R-INT-1: bearer tokens per application authenticate."""
    token = _token_for("klantmanager")
    response = client.get("/api/v1/municipalities", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert body["count"] == 3
    duiven = next(m for m in body["results"] if m["name"] == "Duiven")
    # camelCase members
    assert duiven["cbsCode"] == "GM0226"
    assert duiven["inhabitants"] == 25_067
    assert duiven["populationReferenceDate"] == "2021-01-01"


def test_without_token_is_problem_json_401(db: None, client: Client) -> None:
    response = client.get("/api/v1/municipalities")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert body["status"] == 401
    assert body["instance"] == "/api/v1/municipalities"
    assert set(body) >= {"type", "title", "status", "detail", "instance"}


def test_revoked_or_wrong_token_is_401(case_manager, client: Client) -> None:
    response = client.get("/api/v1/municipalities", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401


def test_trailing_slash_is_404_not_redirect(case_manager, client: Client) -> None:
    token = _token_for("klantmanager")
    response = client.get("/api/v1/municipalities/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404


def test_other_organisation_sees_only_its_own_municipalities(make_user, other_org, api_as) -> None:
    """Tenants never mix (spec section 1)."""
    outsider = make_user(RoleCode.CASE_MANAGER, organisation=other_org)
    body = api_as(outsider).get("/api/v1/municipalities").json()
    assert [m["name"] for m in body["results"]] == ["Elderstad"]


def test_role_without_permission_gets_403(make_user, api_as) -> None:
    resident = make_user(RoleCode.RESIDENT)
    response = api_as(resident).get("/api/v1/municipalities")
    assert response.status_code == 403
    assert response.json()["title"] == "Geen toegang"


def test_openapi_json_is_published(db: None, client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_committed_openapi_schema_is_current() -> None:
    """CI fails when src/opstap/api/openapi.yaml is stale: run `make schema`."""
    out = StringIO()
    call_command("spectacular", "--format", "openapi", stdout=out)
    assert SCHEMA_FILE.exists(), "run `make schema` and commit src/opstap/api/openapi.yaml"
    assert out.getvalue() == SCHEMA_FILE.read_text(), (
        "The committed OpenAPI schema is stale: run `make schema` and commit the result."
    )
