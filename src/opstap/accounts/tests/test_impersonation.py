"""Impersonation for support: only application administrators, only within their
organisation, never superusers, always with a reason, fully audited (R-SEC-2) and bannered."""

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


def _start(client: Client, target: User, reason: str = "Melding 123: scherm controleren"):
    return client.post(START, {"user": target.pk, "reason": reason})


def test_admin_acts_as_user_with_reason_and_everything_is_audited(
    admin: User, case_manager: User, client: Client
) -> None:
    """R-SEC-2: start, stop and every record in between note the real administrator."""
    client.force_login(admin)
    assert _start(client, case_manager).status_code == 302
    page = client.get("/")
    html = page.content.decode()
    assert "handelt nu als" in html  # the banner
    assert page.wsgi_request.user == case_manager
    assert page.wsgi_request.real_user == admin
    # a record written during impersonation (via the request) notes the real user
    audit_log(action=AuditAction.READ, request=page.wsgi_request, object_type="x", object_id=1)
    record = AuditRecord.objects.filter(action=AuditAction.READ).get()
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
    target = make_user(RoleCode.AUDITOR, username="auditor")
    client.force_login(admin)
    _start(client, target)
    client.get(reverse("audit:list"), {"client_id": 42})
    record = AuditRecord.objects.filter(action=AuditAction.SEARCH).get()
    assert record.actor_id == target.pk
    assert record.real_actor_id == admin.pk


def test_reason_is_required(admin: User, case_manager: User, client: Client) -> None:
    client.force_login(admin)
    response = _start(client, case_manager, reason="")
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
    admin: User, case_manager: User, client: Client
) -> None:
    client.force_login(admin)
    _start(client, case_manager)
    admin.roles.clear()
    assert client.get("/toegankelijkheid/").wsgi_request.user == admin
