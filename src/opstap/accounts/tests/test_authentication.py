"""R-SEC-3: strong authentication for staff (TOTP when required), session timeout per role,
lockout after repeated failed logins — each logged in the audit trail (R-SEC-2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from opstap.accounts.models import User
from opstap.audit.models import AuditAction, AuditRecord
from opstap.conftest import TEST_PASSWORD
from opstap.core.roles import RoleCode

LOGIN = "/account/inloggen/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _password_login(client: Client, username: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _totp(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_password_login_and_logout_are_audited(case_manager: User, client: Client) -> None:
    """R-SEC-2/R-SEC-3: login and logout leave audit records."""
    response = _password_login(client, "klantmanager")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    actions = list(
        AuditRecord.objects.filter(actor_id=case_manager.pk).values_list("action", flat=True)
    )
    assert AuditAction.LOGIN in actions and AuditAction.LOGOUT in actions


def test_lockout_after_five_failed_attempts(case_manager: User, client: Client) -> None:
    """R-SEC-3: after 5 wrong passwords the account is locked, even for the right one."""
    for _ in range(5):
        response = _password_login(client, "klantmanager", "fout-wachtwoord")
    assert response.status_code in {403, 429}
    assert AuditRecord.objects.filter(action=AuditAction.LOCKOUT).count() == 1
    response = _password_login(client, "klantmanager")
    assert response.status_code in {403, 429}
    assert "geblokkeerd" in response.content.decode()
    assert client.get("/").status_code == 302  # still not logged in
    failed = AuditRecord.objects.filter(action=AuditAction.LOGIN_FAILED, object_id="klantmanager")
    assert failed.count() >= 5
    assert failed.first().organisation_id == case_manager.organisation_id  # type: ignore[union-attr]
    # every attempt while locked is logged as a lockout too
    assert AuditRecord.objects.filter(action=AuditAction.LOCKOUT).count() >= 1


def test_four_failures_do_not_lock(case_manager: User, client: Client) -> None:
    for _ in range(4):
        _password_login(client, "klantmanager", "fout-wachtwoord")
    assert _password_login(client, "klantmanager").status_code == 302
    assert AuditRecord.objects.filter(action=AuditAction.LOCKOUT).count() == 0


@override_settings(OPSTAP_REQUIRE_2FA=True)
def test_staff_without_device_must_set_up_totp(case_manager: User, client: Client) -> None:
    """R-SEC-3: with production-like settings, staff set up TOTP before any other page."""
    with time_machine.travel(START, tick=False):
        _password_login(client, "klantmanager")
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:2fa_setup"))
        page = client.get(reverse("accounts:2fa_setup"))
        assert page.status_code == 200
        assert b"<svg" in page.content
        device = TOTPDevice.objects.get(user=case_manager)
        assert not device.confirmed
        # the API is closed too until the second factor is there
        assert client.get("/api/v1/municipalities").status_code == 403
        response = client.post(reverse("accounts:2fa_setup"), {"token": _totp(device), "next": "/"})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/municipalities").status_code == 200


@override_settings(OPSTAP_REQUIRE_2FA=True)
def test_staff_with_device_must_verify_token(case_manager: User, client: Client) -> None:
    """R-SEC-3: staff with a device verify a TOTP code after the password."""
    device = TOTPDevice.objects.create(user=case_manager, name="Opstap", confirmed=True)
    with time_machine.travel(START, tick=False):
        _password_login(client, "klantmanager")
        response = client.get("/")
        assert response["Location"].startswith(reverse("accounts:2fa_verify"))
        wrong = client.post(reverse("accounts:2fa_verify"), {"token": "000000", "next": "/"})
        assert wrong.status_code == 200
        assert client.get("/").status_code == 302
        assert AuditRecord.objects.filter(
            action=AuditAction.LOGIN_FAILED, purpose="Onjuiste TOTP-code"
        ).exists()
    with time_machine.travel(START + dt.timedelta(seconds=95), tick=False):
        ok = client.post(reverse("accounts:2fa_verify"), {"token": _totp(device), "next": "/"})
        assert ok.status_code == 302 and ok["Location"] == "/"
        assert client.get("/").status_code == 200


@override_settings(OPSTAP_REQUIRE_2FA=True)
def test_residents_need_no_totp(make_user: Callable[..., User], client: Client) -> None:
    resident = make_user(RoleCode.RESIDENT, username="inwoner")
    client.force_login(resident)
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200


@override_settings(OPSTAP_REQUIRE_2FA=False)
def test_two_factor_off_in_demo_and_tests(case_manager: User, client: Client) -> None:
    _password_login(client, "klantmanager")
    assert client.get("/").status_code == 200


def test_staff_idle_timeout_is_60_minutes(case_manager: User, client: Client) -> None:
    """R-SEC-3: staff sessions end after 60 idle minutes, server-side; the page carries the
    idle time for the warning."""
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(case_manager)
        response = client.get("/")
        assert 'data-idle-seconds="3600"' in response.content.decode()
        traveller.shift(dt.timedelta(minutes=59))
        assert client.get("/").status_code == 200  # activity resets the clock
        traveller.shift(dt.timedelta(minutes=61))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session


def test_resident_idle_timeout_is_15_minutes(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3: resident sessions end after 15 idle minutes."""
    resident = make_user(RoleCode.RESIDENT, username="inwoner")
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(resident)
        response = client.get("/toegankelijkheid/")
        assert 'data-idle-seconds="900"' in response.content.decode()
        traveller.shift(dt.timedelta(minutes=14))
        client.get("/toegankelijkheid/")
        assert "_auth_user_id" in client.session
        traveller.shift(dt.timedelta(minutes=16))
        response = client.get("/toegankelijkheid/")
        assert "data-idle-seconds" not in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_idle_logout_by_middleware_is_audited(case_manager: User, client: Client) -> None:
    """R-SEC-3: the middleware itself ends a session whose last activity is too old, even
    when the session store would still keep it (belt and braces)."""
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(case_manager)
        client.get("/")
        session = client.session
        session.set_expiry(24 * 3600)  # pretend the store keeps it longer
        session.save()
        traveller.shift(dt.timedelta(minutes=61))
        response = client.get("/")
        assert response.status_code == 302
        assert "sessie=verlopen" in response["Location"]
        assert "automatisch uitgelogd" in client.get(response["Location"]).content.decode()
    assert AuditRecord.objects.filter(
        action=AuditAction.LOGOUT, purpose__icontains="inactiviteit"
    ).exists()


def _session_writes(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in captured.captured_queries)


def test_last_activity_is_written_at_most_once_a_minute(case_manager: User, client: Client) -> None:
    """R-SEC-3 without a database write per page: within a minute of the last written activity
    a request leaves the session alone; after a minute it writes the activity and the expiry."""
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(case_manager)
        assert _session_writes(client, "/") == 0
        traveller.shift(dt.timedelta(seconds=59))
        assert _session_writes(client, "/") == 0
        traveller.shift(dt.timedelta(seconds=1))
        assert _session_writes(client, "/") == 1
        assert client.session["opstap_last_activity"] == int(START.timestamp()) + 60
        assert client.session.get_expiry_age() == 3600


def test_idle_timeout_is_never_longer_than_the_policy(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3: requests that did not write the activity do not extend the session: the
    resident is logged out 15 minutes after the last *written* activity, at most a minute
    before 15 minutes after the last request, never after."""
    resident = make_user(RoleCode.RESIDENT, username="inwoner")
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(resident)
        assert client.session.get_expiry_age() == 900  # set at login, not only on a refresh
        traveller.shift(dt.timedelta(seconds=50))
        client.get("/toegankelijkheid/")  # within the minute: not written
        traveller.shift(dt.timedelta(seconds=15 * 60 - 50 + 1))
        client.get("/toegankelijkheid/")
        assert "_auth_user_id" not in client.session


@override_settings(OPSTAP_MOCK_OIDC=True)
def test_mock_staff_sso_logs_in_existing_staff(case_manager: User, client: Client) -> None:
    """R-SEC-3: staff single sign-on (mock identity provider) maps the username claim."""
    response = client.post(reverse("accounts:mock_oidc"), {"username": "klantmanager"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    record = AuditRecord.objects.filter(action=AuditAction.LOGIN, actor_id=case_manager.pk).first()
    assert record is not None and "SSO" in record.purpose


@override_settings(OPSTAP_MOCK_OIDC=True)
def test_mock_staff_sso_refuses_unknown_or_resident(
    make_user: Callable[..., User], client: Client
) -> None:
    make_user(RoleCode.RESIDENT, username="inwoner")
    for username in ("onbekend", "inwoner"):
        response = client.post(reverse("accounts:mock_oidc"), {"username": username})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


@override_settings(OPSTAP_MOCK_OIDC=False)
def test_mock_sso_is_off_outside_demo(case_manager: User, client: Client) -> None:
    assert client.get(reverse("accounts:mock_oidc")).status_code == 404
    assert client.get(reverse("accounts:mock_digid")).status_code == 404
    assert (
        client.post(reverse("accounts:mock_oidc"), {"username": "klantmanager"}).status_code == 404
    )


def test_real_oidc_is_off_unless_configured(db: None, client: Client) -> None:
    assert client.get(reverse("accounts:oidc_init")).status_code == 404
    assert client.get(reverse("accounts:digid_init")).status_code == 404


@override_settings(
    OIDC_RP_CLIENT_ID="opstap",
    OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.example.org/authorize",
)
def test_real_oidc_redirects_to_identity_provider(db: None, client: Client) -> None:
    response = client.get(reverse("accounts:oidc_init"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.example.org/authorize?")
    assert "client_id=opstap" in response["Location"]


@override_settings(
    OIDC_DIGID_RP_CLIENT_ID="opstap-digid",
    OIDC_DIGID_OP_AUTHORIZATION_ENDPOINT="https://digid-broker.example.org/authorize",
)
def test_digid_redirects_to_broker_with_its_own_client(db: None, client: Client) -> None:
    response = client.get(reverse("accounts:digid_init"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://digid-broker.example.org/authorize?")
    assert "client_id=opstap-digid" in location
    assert "digid%2Fcallback" in location


def test_session_age_is_set_per_role(case_manager: User, client: Client) -> None:
    client.force_login(case_manager)
    client.get("/")
    assert client.session.get_expiry_age() == 3600
    assert timezone.now() < client.session.get_expiry_date()


@pytest.mark.parametrize(
    "level,ok", [("basis", False), ("midden", True), ("hoog", True), ("", False)]
)
def test_digid_assurance_level(level: str, ok: bool) -> None:
    """R-SEC-3: DigiD logins below the configured level (default: midden) are refused."""
    from opstap.accounts.oidc import loa_sufficient

    assert loa_sufficient(level) is ok
