"""The client portal's first slice (R-POR): a resident sees only themselves (R-SEC-1) and
every view is audited (R-SEC-2)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from opstap.audit.models import AuditRecord
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.conftest import TEST_PASSWORD
from opstap.core.roles import RoleCode


@pytest.fixture
def resident_with_client(org, make_user, case_manager):  # type: ignore[no-untyped-def]
    resident = make_user(RoleCode.RESIDENT, username="inwoner")
    client = make_client(org, first_name="Ingrid", last_name="Willems", case_manager=case_manager)
    client_link_user(client=client, user=resident)
    make_client(org, first_name="Andere", last_name="Inwoner", case_manager=case_manager)
    return resident, client


def test_resident_lands_in_portal_after_login(resident_with_client, client: HttpClient) -> None:
    response = client.post("/account/inloggen/", {"username": "inwoner", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/mijn/"


def test_resident_sees_own_case_manager_and_not_others(
    resident_with_client, client: HttpClient
) -> None:
    """R-SEC-1: a client sees only themselves; R-SEC-2: the read is audited once."""
    resident, own = resident_with_client
    client.force_login(resident)
    before = AuditRecord.objects.count()
    html = client.get("/mijn/").content.decode()
    assert "Welkom, Ingrid Willems" in html
    assert own.case_manager.display_name in html
    assert "Andere" not in html
    records = AuditRecord.objects.all()[: AuditRecord.objects.count() - before]
    assert [(r.action, r.client_id) for r in records] == [("read", own.pk)]


def test_staff_cannot_open_the_portal(case_manager, client: HttpClient) -> None:
    client.force_login(case_manager)
    assert client.get("/mijn/").status_code == 403


def test_resident_without_client_file_gets_404(make_user, client: HttpClient) -> None:
    client.force_login(make_user(RoleCode.RESIDENT, username="los"))
    assert client.get("/mijn/").status_code == 404
