"""R-SEC-3: residents log in with DigiD (via an OIDC broker; mocked here): the BSN claim
maps to the resident account linked to the client with that BSN."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from opstap.accounts.models import User
from opstap.accounts.oidc import bsn_is_valid, resolve_resident_by_bsn
from opstap.audit.models import AuditAction, AuditRecord
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality, Organisation

BSN = "111222333"  # passes the 11-check


@pytest.fixture
def resident(make_user: Callable[..., User], org: Organisation, case_manager: User) -> User:
    from opstap.clients.services import client_create, client_link_user

    user = make_user(RoleCode.RESIDENT, username="inwoner")
    client = client_create(
        actor=case_manager,
        organisation=org,
        bsn=BSN,
        client_number="K-1",
        first_name="Ina",
        last_name="Woner",
        date_of_birth=dt.date(1985, 5, 5),
        municipality=Municipality.objects.filter(organisation=org).first(),
        ladder_step="3",
        case_manager=case_manager,
    )
    client_link_user(client=client, user=user)
    return user


def test_bsn_check() -> None:
    assert bsn_is_valid(BSN)
    assert not bsn_is_valid("123456789")
    assert not bsn_is_valid("12345678")


def test_resolve_resident_by_bsn(
    resident: User, org: Organisation, other_org: Organisation
) -> None:
    """R-SEC-3: the BSN maps to the linked resident, only within the organisation."""
    assert resolve_resident_by_bsn(org, BSN) == resident
    assert resolve_resident_by_bsn(other_org, BSN) is None
    assert resolve_resident_by_bsn(org, "123456782") is None
    assert resolve_resident_by_bsn(org, "not-a-bsn") is None
    assert resolve_resident_by_bsn(None, BSN) is None


def test_resolve_is_defensive_without_clients_model(
    monkeypatch: pytest.MonkeyPatch, db: None, org: Organisation
) -> None:
    """Until the clients app has Client.user and Client.bsn, nobody is resolved."""
    from opstap.accounts import oidc

    def missing(*args: Any) -> Any:
        raise LookupError("no clients app")

    monkeypatch.setattr(oidc.apps, "get_model", missing)
    assert resolve_resident_by_bsn(org, BSN) is None


def test_inactive_resident_is_not_resolved(resident: User, org: Organisation) -> None:
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert resolve_resident_by_bsn(org, BSN) is None


@override_settings(OPSTAP_MOCK_OIDC=True)
def test_mock_digid_login(resident: User, org: Organisation, client: Client) -> None:
    """R-SEC-3: DigiD (mock broker) with level midden logs the resident in; audited."""
    response = client.post(
        reverse("accounts:mock_digid"), {"bsn": BSN, "loa": "midden", "organisation": "rsd"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)
    record = AuditRecord.objects.filter(action=AuditAction.LOGIN, actor_id=resident.pk).first()
    assert record is not None and "DigiD" in record.purpose


@override_settings(OPSTAP_MOCK_OIDC=True)
def test_mock_digid_refuses_low_level_and_unknown_bsn(resident: User, client: Client) -> None:
    for bsn, loa in [(BSN, "basis"), ("123456782", "midden")]:
        response = client.post(
            reverse("accounts:mock_digid"), {"bsn": bsn, "loa": loa, "organisation": "rsd"}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 2
