"""Issue 18 with R-SEC-1/R-SEC-3: a signed-in request reads its user, organisation, roles and
second factor in one statement after the session's (accounts/backends.py), and every change
to them still counts on the very next request: nothing is kept between requests."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from opstap.accounts.models import Role, User
from opstap.core.roles import Perm, RoleCode

from .test_oidc_flow import _OIDC


def _bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _who(request: HttpRequest) -> HttpResponse:
    user = request.user
    body = {
        "user": user.pk,
        "organisation": getattr(getattr(request, "organisation", None), "slug", None),
        "roles": sorted(getattr(user, "role_codes", ())),
        "perms": sorted(getattr(user, "opstap_perms", ())),
        "verified": bool(getattr(user, "is_verified", lambda: False)()),
    }
    return HttpResponse(json.dumps(body), content_type="application/json")


urlpatterns = [
    path("__bare__/", _bare),
    path("__who__/", _who),
    path("", include("opstap.urls")),
]

pytestmark = pytest.mark.urls(__name__)

#: A signed-in request that does nothing: the user with its organisation, roles and confirmed
#: TOTP devices; the session comes from the cache (cached_db). Issue 18: was 5 (session, user,
#: TOTP device, roles, organisation), then 2 (session, user); may only go down.
BARE_REQUEST_STATEMENTS = 1


def _verified_login(client: Client, user: User) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Opstap", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def _who_is(client: Client) -> dict[str, object]:
    response = client.get("/__who__/")
    assert response.status_code == 200, response.status_code
    return dict(json.loads(response.content))


@override_settings(OPSTAP_REQUIRE_2FA=True)
def test_bare_signed_in_request_sends_one_statement(
    make_user: Callable[..., User], client: Client
) -> None:
    """Issue 18 (R-SEC-3 kept): staff with a verified second factor, a view that does
    nothing: one statement for user, organisation, roles and device, the session read from
    the cache (was 5, then 2 with the session row). On SQLite and on PostgreSQL
    (DATABASE_URL)."""
    staff = make_user(RoleCode.APP_ADMIN, username="beheer")
    _verified_login(client, staff)
    client.get("/__bare__/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/__bare__/").content == b"ok"
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == BARE_REQUEST_STATEMENTS, statements
    assert "organisations_organisation" in statements[0]
    assert not any("django_session" in s for s in statements)
    # and the request knew everything the old five statements told it
    with CaptureQueriesContext(connection) as captured:
        who = _who_is(client)
    assert len(captured.captured_queries) == BARE_REQUEST_STATEMENTS
    assert who == {
        "user": staff.pk,
        "organisation": "rsd",
        "roles": [RoleCode.APP_ADMIN.value],
        "perms": sorted(Role.objects.get(code=RoleCode.APP_ADMIN).permissions),
        "verified": True,
    }


def test_a_removed_role_counts_on_the_next_request(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-1: a role taken away (or given) changes the permissions of the very next request,
    also on a real page."""
    user = make_user(RoleCode.CASE_MANAGER, RoleCode.CONTRACT_MANAGER, username="tweerollen")
    client.force_login(user)
    assert _who_is(client)["roles"] == sorted([RoleCode.CASE_MANAGER, RoleCode.CONTRACT_MANAGER])
    assert client.get("/klanten/").status_code == 200
    user.roles.set([Role.objects.get(code=RoleCode.POLICY_OFFICER)])
    who = _who_is(client)
    assert who["roles"] == [RoleCode.POLICY_OFFICER.value]
    assert Perm.CLIENT_VIEW.value not in who["perms"]  # type: ignore[operator]
    assert client.get("/klanten/").status_code == 403
    user.roles.clear()
    assert _who_is(client)["perms"] == []


def test_a_changed_role_permission_counts_on_the_next_request(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-1 (roles as data): a permission removed from a role counts on the next request
    of everyone holding it."""
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    client.force_login(user)
    assert Perm.CLIENT_VIEW.value in _who_is(client)["perms"]  # type: ignore[operator]
    role = Role.objects.get(code=RoleCode.CASE_MANAGER)
    role.permissions = [p for p in role.permissions if p != Perm.CLIENT_VIEW.value]
    role.save()
    assert Perm.CLIENT_VIEW.value not in _who_is(client)["perms"]  # type: ignore[operator]
    assert client.get("/klanten/").status_code == 403


def test_a_deactivated_user_is_signed_out_on_the_next_request(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3: a deactivated account's session ends with its next request."""
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    client.force_login(user)
    assert _who_is(client)["user"] == user.pk
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _who_is(client)["user"] is None
    assert client.get("/klanten/")["Location"].startswith(reverse("accounts:login"))


@override_settings(**_OIDC)
def test_a_deactivated_user_signed_in_by_sso_is_signed_out_too(
    make_user: Callable[..., User],
) -> None:
    """R-SEC-3: the OIDC backends read the user like the password backend and refuse a
    deactivated account (mozilla-django-oidc's own get_user returned it: its session lived
    on after deactivation, against accounts.services.user_deactivate's promise)."""
    from opstap.accounts.oidc import ResidentDigiDBackend, StaffOIDCBackend

    user = make_user(RoleCode.CASE_MANAGER, username="km")
    for backend in (StaffOIDCBackend(), ResidentDigiDBackend()):
        found = backend.get_user(user.pk)
        assert found is not None and found.has_role(RoleCode.CASE_MANAGER)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert StaffOIDCBackend().get_user(user.pk) is None
    assert ResidentDigiDBackend().get_user(user.pk) is None


@override_settings(OPSTAP_REQUIRE_2FA=True)
@pytest.mark.parametrize("change", ["deleted", "unconfirmed", "other_user"])
def test_a_removed_device_ends_the_second_factor_on_the_next_request(
    change: str, make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3: the device that verified the session counts only while it exists, is
    confirmed and belongs to the user: otherwise the next request asks for the second factor
    again and the device leaves the session."""
    staff = make_user(RoleCode.APP_ADMIN, username="beheer")
    device = _verified_login(client, staff)
    assert _who_is(client)["verified"] is True
    if change == "deleted":
        device.delete()
    elif change == "unconfirmed":
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    else:
        TOTPDevice.objects.filter(pk=device.pk).update(user=make_user(RoleCode.APP_ADMIN))
    response = client.get("/__who__/")
    assert response.status_code == 302
    assert response["Location"].startswith(
        (reverse("accounts:2fa_verify"), reverse("accounts:2fa_setup"))
    )
    assert DEVICE_ID_SESSION_KEY not in client.session


@override_settings(OPSTAP_REQUIRE_2FA=True)
def test_a_device_of_another_user_in_the_session_does_not_verify(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3: a session naming someone else's confirmed device is not verified."""
    staff = make_user(RoleCode.APP_ADMIN, username="beheer")
    other = TOTPDevice.objects.create(user=make_user(RoleCode.APP_ADMIN), confirmed=True)
    TOTPDevice.objects.create(user=staff, name="Opstap", confirmed=True)
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = other.persistent_id
    session.save()
    assert client.get("/__who__/").status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_changed_password_ends_the_other_sessions(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3: a password changed elsewhere ends this session on its next request (Django's
    session auth hash, from the user row read with everything else)."""
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    client.force_login(user)
    assert _who_is(client)["user"] == user.pk
    user.set_password("Een-heel-ander-wachtwoord-2026")
    user.save()
    assert _who_is(client)["user"] is None


def test_impersonation_reads_the_target_with_its_roles(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-1 (impersonation kept): the impersonated user's organisation and roles come from
    the same one-statement read; a role the target loses counts on the next request."""
    from opstap.accounts.impersonation import support_consent_set

    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    target = make_user(RoleCode.POLICY_OFFICER, RoleCode.CONTRACT_MANAGER, username="beleid")
    support_consent_set(actor=target, user=target, allow=True)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:impersonate"), {"user": target.pk, "reason": "Melding 1: scherm"}
    )
    assert response.status_code == 302
    client.get("/__bare__/")
    with CaptureQueriesContext(connection) as captured:
        who = _who_is(client)
    # the administrator, the target (the session from the cache): no statement for
    # organisation or roles
    assert len(captured.captured_queries) == 2, [q["sql"] for q in captured.captured_queries]
    assert who["user"] == target.pk and who["organisation"] == "rsd"
    assert who["roles"] == sorted([RoleCode.POLICY_OFFICER, RoleCode.CONTRACT_MANAGER])
    target.roles.set([Role.objects.get(code=RoleCode.POLICY_OFFICER)])
    assert _who_is(client)["roles"] == [RoleCode.POLICY_OFFICER.value]
