"""In-app notifications: sent by services, seen only by their recipient (R-SEC-1) under
"Meldingen" and on the start page; opening one marks it read and follows only a link of this
site."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.notifications import selectors, services
from opstap.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _login(user: User) -> WebClient:
    http = WebClient()
    http.force_login(user)
    return http


def test_send_stores_and_mails(case_manager: User, django_capture_on_commit_callbacks) -> None:
    case_manager.email = "km@example.org"
    case_manager.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_send(
            recipient=case_manager,
            title="Verzuim gemeld",
            body="Problematisch",
            url="/trajecten/1/",
        )
    assert note.organisation_id == case_manager.organisation_id
    assert [m.subject for m in mail.outbox] == ["Opstap: Verzuim gemeld"]
    assert list(selectors.unread_notifications(case_manager)) == [note]


def test_only_the_recipient_sees_and_opens_it(
    case_manager: User, make_user: Callable[..., User]
) -> None:
    """R-SEC-1: another user's notification is a 404 and is not listed."""
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    note = services.notification_send(recipient=case_manager, title="Voor Karin", body="")
    other = _login(colleague)
    assert "Voor Karin" not in other.get(reverse("notifications:list")).content.decode()
    assert other.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    with pytest.raises(services.NotificationError):
        services.notification_mark_read(actor=colleague, notification=note)


def test_open_marks_read_and_follows_only_local_links(case_manager: User) -> None:
    local = services.notification_send(recipient=case_manager, title="A", body="", url="/klanten/")
    foreign = services.notification_send(
        recipient=case_manager, title="B", body="", url="https://example.org/phish"
    )
    http = _login(case_manager)
    response = http.post(reverse("notifications:open", args=[local.pk]))
    assert response.status_code == 302 and response["Location"] == "/klanten/"
    response = http.post(reverse("notifications:open", args=[foreign.pk]))
    assert response["Location"] == reverse("notifications:list")
    assert not selectors.unread_notifications(case_manager).exists()


def test_start_page_panel_and_mark_all_read(case_manager: User) -> None:
    for i in range(3):
        services.notification_send(recipient=case_manager, title=f"Melding {i}", body="")
    http = _login(case_manager)
    home = http.get(reverse("web:home")).content.decode()
    assert "Nieuwe meldingen" in home and "Melding 2" in home
    http.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=case_manager, read_at__isnull=True).exists()
    assert "Nieuwe meldingen" not in http.get(reverse("web:home")).content.decode()


def test_list_query_count_constant(case_manager: User) -> None:
    http = _login(case_manager)
    services.notification_send(recipient=case_manager, title="Eerste", body="")
    http.get(reverse("notifications:list"))
    with CaptureQueriesContext(connection) as one:
        http.get(reverse("notifications:list"))
    for i in range(10):
        services.notification_send(recipient=case_manager, title=f"Nog {i}", body="")
    with CaptureQueriesContext(connection) as eleven:
        body = http.get(reverse("notifications:list")).content.decode()
    assert "Nog 9" in body and "11 ongelezen" in body
    assert len(eleven.captured_queries) == len(one.captured_queries)
