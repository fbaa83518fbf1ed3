"""API of access requests (R-SEC-5, R-INT-1): POST /api/v1/clients/{id}/access-requests and
GET /api/v1/access-requests/{id} with its download; staff within scope only (R-SEC-1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from opstap.access_requests import services
from opstap.access_requests.models import AccessRequest
from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode

from .conftest import World

pytestmark = pytest.mark.django_db


def test_staff_registers_and_fetches_the_export(
    world: World, api_as: Callable[[User], Any], django_capture_on_commit_callbacks: Any
) -> None:
    api = api_as(world.case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/clients/{world.client_a.pk}/access-requests",
            {"note": "Per brief"},
            format="json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "staff"
    assert body["state"] == "requested"
    assert "dueOn" in body
    assert body["downloadUrl"] is None

    detail = api.get(f"/api/v1/access-requests/{body['id']}")
    assert detail.status_code == 200
    data = detail.json()
    assert data["state"] == "ready"
    assert data["stateLabel"] == "Klaar om te downloaden"
    assert data["dueOn"] == body["dueOn"]
    assert data["downloadUrl"].endswith(f"/api/v1/access-requests/{body['id']}/download")
    assert AuditRecord.objects.filter(
        action="read", object_type="access_request", client_id=world.client_a.pk
    ).exists()

    download = api.get(f"/api/v1/access-requests/{body['id']}/download")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content)[:2] == b"PK"

    listing = api.get(f"/api/v1/clients/{world.client_a.pk}/access-requests")
    assert [r["id"] for r in listing.json()] == [body["id"]]


def test_second_open_request_is_a_409_problem(world: World, api_as: Callable[[User], Any]) -> None:
    api = api_as(world.case_manager)
    first = api.post(f"/api/v1/clients/{world.client_a.pk}/access-requests", {}, format="json")
    assert first.status_code == 201
    second = api.post(f"/api/v1/clients/{world.client_a.pk}/access-requests", {}, format="json")
    assert second.status_code == 409
    assert second["Content-Type"].startswith("application/problem+json")
    assert "al een overzicht" in second.json()["detail"]


def test_note_too_long_is_a_400_with_invalid_params(
    world: World, api_as: Callable[[User], Any]
) -> None:
    response = api_as(world.case_manager).post(
        f"/api/v1/clients/{world.client_a.pk}/access-requests", {"note": "x" * 301}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "note"
    assert not AccessRequest.objects.exists()


def test_out_of_scope_and_without_permission(
    world: World, api_as: Callable[[User], Any], make_user: Callable[..., User]
) -> None:
    """R-SEC-1: out of scope is 404 (indistinguishable), no permission is 403."""
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    outsider = api_as(make_user(RoleCode.CASE_MANAGER, username="km-elders"))
    assert outsider.get(f"/api/v1/access-requests/{request.pk}").status_code == 404
    assert (
        outsider.post(
            f"/api/v1/clients/{world.client_a.pk}/access-requests", {}, format="json"
        ).status_code
        == 404
    )
    provider = api_as(world.provider_user)
    assert provider.get(f"/api/v1/access-requests/{request.pk}").status_code == 403
    resident = api_as(world.resident)
    assert resident.get(f"/api/v1/access-requests/{request.pk}").status_code == 403


def test_download_before_ready_is_404(world: World, api_as: Callable[[User], Any]) -> None:
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    response = api_as(world.case_manager).get(f"/api/v1/access-requests/{request.pk}/download")
    assert response.status_code == 404
