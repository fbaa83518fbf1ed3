"""R-SEC-1 (the functional administrator manages the users of the own organisation) with
docs/notifications.md (whoever is affected is told): a user whose roles are changed, or whose
account is deactivated or reactivated on /gebruikers/, is told; the administrator who did it
is not. Before, the user learnt it only by finding pages gone or a login refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.accounts.services import AccountError, user_deactivate, user_reactivate, user_roles_set
from opstap.core.roles import RoleCode
from opstap.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    user = make_user(RoleCode.APP_ADMIN, username="beheer1")
    user.email = "beheer@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def km(make_user: Callable[..., User]) -> User:
    user = make_user(RoleCode.CASE_MANAGER, username="km2")
    user.email = "km2@example.org"
    user.save(update_fields=["email"])
    return user


def _notices(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_r_sec_1_a_role_change_tells_the_user_old_and_new_roles_in_dutch(
    admin: User, km: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user_roles_set(
            actor=admin, user=km, roles=[RoleCode.CASE_MANAGER, RoleCode.AUDITOR], reason="taak"
        )
    (notice,) = _notices(km)
    assert notice.title == "Uw rollen in Opstap zijn gewijzigd"
    assert "Eerst: Klantmanager / regisseur." in notice.body
    assert "Nu: Auditor, Klantmanager / regisseur." in notice.body
    assert "case_manager" not in notice.body and "auditor" not in notice.body
    assert [m.to for m in mail.outbox] == [["km2@example.org"]]
    assert mail.outbox[0].subject == "Opstap: Uw rollen in Opstap zijn gewijzigd"
    assert _notices(admin) == []


def test_r_sec_1_setting_the_same_roles_tells_no_one(
    admin: User, km: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user_roles_set(actor=admin, user=km, roles=[RoleCode.CASE_MANAGER], reason="controle")
    assert _notices(km) == [] and mail.outbox == []


def test_r_sec_1_a_refused_change_tells_no_one(
    admin: User, django_capture_on_commit_callbacks
) -> None:
    """The actor is never told about their own act (and changing oneself is refused)."""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AccountError):
        user_roles_set(actor=admin, user=admin, roles=[RoleCode.AUDITOR], reason="zelf")
    assert _notices(admin) == [] and mail.outbox == []


def test_r_sec_1_deactivation_is_an_email_and_reactivation_a_notice_and_an_email(
    admin: User, km: User, django_capture_on_commit_callbacks
) -> None:
    """A deactivated user cannot sign in: no in-app notice, but an e-mail; reactivated, the
    user finds a notice and gets an e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(actor=admin, user=km, reason="uit dienst")
    assert _notices(km) == []
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Opstap: Uw account in Opstap is gedeactiveerd", ["km2@example.org"])
    ]
    with django_capture_on_commit_callbacks(execute=True):
        user_reactivate(actor=admin, user=km, reason="terug")
    (notice,) = _notices(km)
    assert notice.title == "Uw account in Opstap is weer actief"
    assert mail.outbox[-1].subject == "Opstap: Uw account in Opstap is weer actief"
    assert mail.outbox[-1].to == ["km2@example.org"]
    assert _notices(admin) == []
    assert all(m.to != ["beheer@example.org"] for m in mail.outbox)


def test_r_sec_1_the_user_sees_the_role_change_on_the_start_page(
    admin: User, km: User, django_capture_on_commit_callbacks
) -> None:
    """Through the page: the administrator changes the roles on /gebruikers/, the user finds
    the notice under Meldingen."""
    web = WebClient()
    web.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            f"/gebruikers/{km.pk}/", {"roles": ["case_manager", "auditor"], "reason": "taak"}
        )
    assert response.status_code == 302
    mine = WebClient()
    mine.force_login(km)
    page = mine.get("/meldingen/").content.decode()
    assert "Uw rollen in Opstap zijn gewijzigd" in page
