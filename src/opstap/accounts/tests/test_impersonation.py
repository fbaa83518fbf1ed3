"""Impersonation for support: only application administrators, only within their
organisation, never superusers, always with a reason, fully audited (R-SEC-2) and bannered;
only of users who agreed themselves, never of sensitive roles (issue 19, R-SEC-1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from opstap.accounts.models import User
from opstap.audit.models import AuditAction, AuditRecord
from opstap.audit.services import audit_log
from opstap.core.roles import RoleCode

START = reverse("accounts:impersonate")
STOP = reverse("accounts:impersonate_stop")


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.APP_ADMIN, username="beheerder")


@pytest.fixture
def consenting(make_user: Callable[..., User]) -> User:
    """A policy officer who agreed to support access (set by themself)."""
    from opstap.accounts.impersonation import support_consent_set

    user = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    return support_consent_set(actor=user, user=user, allow=True)


def _start(client: Client, target: User, reason: str = "Melding 123: scherm controleren"):
    return client.post(START, {"user": target.pk, "reason": reason})


def test_admin_acts_as_user_with_reason_and_everything_is_audited(
    admin: User, consenting: User, client: Client
) -> None:
    """R-SEC-2: start, stop and every record in between note the real administrator."""
    case_manager = consenting
    client.force_login(admin)
    assert _start(client, case_manager).status_code == 302
    page = client.get("/")
    html = page.content.decode()
    assert "handelt nu als" in html  # the banner
    assert page.wsgi_request.user == case_manager
    assert page.wsgi_request.real_user == admin
    # a record written during impersonation (via the request) notes the real user
    audit_log(action=AuditAction.READ, request=page.wsgi_request, object_type="x", object_id=1)
    record = AuditRecord.objects.filter(action=AuditAction.READ, object_type="x").get()
    assert record.actor_id == case_manager.pk
    assert record.real_actor_id == admin.pk and record.real_actor_username == "beheerder"
    assert client.post(STOP).status_code == 302
    assert client.get("/").wsgi_request.user == admin
    starts = AuditRecord.objects.filter(action=AuditAction.IMPERSONATE).order_by("id")
    assert [r.actor_id for r in starts] == [admin.pk, admin.pk]
    assert "Melding 123" in starts[0].purpose and starts[0].object_id == str(case_manager.pk)
    assert "Einde" in starts[1].purpose


def test_records_made_by_views_while_impersonating_note_real_user(
    admin: User, make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-2: a view's own audit record during impersonation carries the real admin."""
    from opstap.accounts.impersonation import support_consent_set

    target = make_user(RoleCode.CONTRACT_MANAGER, username="cm")
    support_consent_set(actor=target, user=target, allow=True)
    client.force_login(admin)
    _start(client, target)
    client.get("/")  # the start page writes its own read record
    record = AuditRecord.objects.filter(action=AuditAction.READ, object_type="home").get()
    assert record.actor_id == target.pk
    assert record.real_actor_id == admin.pk


def test_reason_is_required(admin: User, consenting: User, client: Client) -> None:
    client.force_login(admin)
    response = _start(client, consenting, reason="")
    assert response.status_code == 200
    assert client.get("/").wsgi_request.user == admin
    assert not AuditRecord.objects.filter(action=AuditAction.IMPERSONATE).exists()


def test_cannot_impersonate_superuser_or_other_organisation(
    admin: User, make_user: Callable[..., User], other_org, client: Client
) -> None:
    super_user = make_user(RoleCode.CASE_MANAGER, username="root")
    super_user.is_superuser = True
    super_user.save(update_fields=["is_superuser"])
    elsewhere = make_user(RoleCode.CASE_MANAGER, username="elders", organisation=other_org)
    client.force_login(admin)
    for target in (super_user, elsewhere):
        response = _start(client, target)
        assert response.status_code == 200  # not a choice in the form
        assert client.get("/").wsgi_request.user == admin


def test_only_admins_may_impersonate(case_manager: User, make_user, client: Client) -> None:
    other = make_user(RoleCode.INCOME_COACH)
    client.force_login(case_manager)
    assert client.get(START).status_code == 403
    assert _start(client, other).status_code == 403


def test_impersonation_ends_when_admin_loses_the_right(
    admin: User, consenting: User, client: Client
) -> None:
    client.force_login(admin)
    _start(client, consenting)
    admin.roles.clear()
    assert client.get("/toegankelijkheid/").wsgi_request.user == admin


def test_only_users_who_agreed_themselves(
    admin: User, make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-1 (issue 19): without the user's own consent no impersonation (before: any
    user); the administrator cannot give it for them; the user can withdraw it."""
    from opstap.accounts.impersonation import ImpersonationError, support_consent_set

    target = make_user(RoleCode.CONTRACT_MANAGER, username="cm")
    client.force_login(admin)
    assert _start(client, target).status_code == 200  # not a choice in the form
    assert client.get("/").wsgi_request.user == admin
    with pytest.raises(ImpersonationError):
        support_consent_set(actor=admin, user=target, allow=True)
    own = Client()
    own.force_login(target)
    assert own.post(reverse("accounts:support_consent"), {"allow": "on"}).status_code == 302
    target.refresh_from_db()
    assert target.allows_support_access
    assert AuditRecord.objects.filter(object_type="user", object_id=str(target.pk)).exists()
    assert _start(client, target).status_code == 302
    client.post(STOP)
    own.post(reverse("accounts:support_consent"), {})
    assert _start(client, target).status_code == 200
    assert client.get("/").wsgi_request.user == admin


@pytest.mark.parametrize("role", [RoleCode.CASE_MANAGER, RoleCode.AUDITOR, RoleCode.INCOME_COACH])
def test_sensitive_roles_are_never_impersonated(
    admin: User, make_user: Callable[..., User], client: Client, role: RoleCode
) -> None:
    """R-SEC-1 (issue 19): acting as a case manager, income coach or auditor would give the
    administrator dossiers or the audit trail: refused even with consent (no four-eyes
    variant: documented in docs/access.md)."""
    from opstap.accounts.impersonation import (
        ImpersonationError,
        impersonation_check,
        support_consent_set,
    )

    target = make_user(role, username=f"gevoelig-{role.value}")
    support_consent_set(actor=target, user=target, allow=True)
    with pytest.raises(ImpersonationError):
        impersonation_check(actor=admin, target=target)
    client.force_login(admin)
    assert _start(client, target).status_code == 200
    assert client.get("/").wsgi_request.user == admin
