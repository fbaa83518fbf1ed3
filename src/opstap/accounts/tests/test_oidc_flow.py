"""R-SEC-3: the real OIDC code flows (staff SSO and the DigiD broker) end to end, with the
identity provider's token and userinfo calls replaced by fakes (tests never reach the
network)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from opstap.accounts import oidc
from opstap.accounts.models import User
from opstap.audit.models import AuditAction, AuditRecord

from .test_resident_login import BSN, resident  # noqa: F401  (fixture)

_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "opstap.accounts.backends.RequestUserBackend",
    "opstap.accounts.oidc.StaffOIDCBackend",
    "opstap.accounts.oidc.ResidentDigiDBackend",
]
_OIDC = {
    "AUTHENTICATION_BACKENDS": _BACKENDS,
    "OIDC_RP_CLIENT_ID": "opstap",
    "OIDC_RP_CLIENT_SECRET": "geheim",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.org/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.org/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.org/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.org/jwks",
    "OIDC_DIGID_RP_CLIENT_ID": "opstap-digid",
    "OIDC_DIGID_RP_CLIENT_SECRET": "geheim2",
    "OIDC_DIGID_OP_AUTHORIZATION_ENDPOINT": "https://broker.example.org/authorize",
    "OIDC_DIGID_OP_TOKEN_ENDPOINT": "https://broker.example.org/token",
    "OIDC_DIGID_OP_USER_ENDPOINT": "https://broker.example.org/userinfo",
    "OIDC_DIGID_OP_JWKS_ENDPOINT": "https://broker.example.org/jwks",
}


def _fake_idp(monkeypatch: pytest.MonkeyPatch, backend: type, claims: dict[str, Any]) -> list[str]:
    seen: list[str] = []

    def get_token(self: Any, payload: dict[str, Any]) -> dict[str, str]:
        seen.append(payload["client_id"])
        return {"id_token": "id", "access_token": "access"}

    def verify_token(self: Any, token: str, **kwargs: Any) -> dict[str, Any]:
        return {"nonce": kwargs.get("nonce")}

    monkeypatch.setattr(backend, "get_token", get_token)
    monkeypatch.setattr(backend, "verify_token", verify_token)
    monkeypatch.setattr(backend, "get_userinfo", lambda self, a, i, p: claims)
    return seen


def _flow(client: Client, init: str, callback: str) -> Any:
    start = client.get(reverse(init))
    assert start.status_code == 302
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    return client.get(reverse(callback), {"code": "abc", "state": state})


@override_settings(**_OIDC)
def test_staff_sso_flow_logs_in_existing_staff(
    monkeypatch: pytest.MonkeyPatch, case_manager: User, client: Client
) -> None:
    """R-SEC-3: staff SSO maps the username claim to an existing staff account."""
    seen = _fake_idp(
        monkeypatch, oidc.StaffOIDCBackend, {"preferred_username": "klantmanager", "sub": "1"}
    )
    response = _flow(client, "accounts:oidc_init", "accounts:oidc_callback")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(case_manager.pk)
    assert seen == ["opstap"]
    assert AuditRecord.objects.filter(action=AuditAction.LOGIN, actor_id=case_manager.pk).exists()


@override_settings(**_OIDC)
def test_staff_sso_flow_refuses_unknown_user(
    monkeypatch: pytest.MonkeyPatch, case_manager: User, client: Client
) -> None:
    _fake_idp(monkeypatch, oidc.StaffOIDCBackend, {"preferred_username": "nobody", "sub": "1"})
    response = _flow(client, "accounts:oidc_init", "accounts:oidc_callback")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


@override_settings(**_OIDC, OPSTAP_DIGID_ORGANISATION="rsd")
def test_digid_flow_maps_bsn_to_resident(
    monkeypatch: pytest.MonkeyPatch,
    resident: User,  # noqa: F811
    client: Client,
) -> None:
    """R-SEC-3: the DigiD broker's BSN claim (level midden) logs in the linked resident,
    using the broker's own client id."""
    seen = _fake_idp(monkeypatch, oidc.ResidentDigiDBackend, {"bsn": BSN, "loa": "midden"})
    response = _flow(client, "accounts:digid_init", "accounts:digid_callback")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)
    assert seen == ["opstap-digid"]


@override_settings(**_OIDC, OPSTAP_DIGID_ORGANISATION="rsd")
def test_digid_flow_refuses_low_assurance(
    monkeypatch: pytest.MonkeyPatch,
    resident: User,  # noqa: F811
    client: Client,
) -> None:
    _fake_idp(monkeypatch, oidc.ResidentDigiDBackend, {"bsn": BSN, "loa": "basis"})
    _flow(client, "accounts:digid_init", "accounts:digid_callback")
    assert "_auth_user_id" not in client.session
