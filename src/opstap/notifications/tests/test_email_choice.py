"""E-mail at once or as a daily digest, as each user chooses (issue 12, hand-offs); the
choice is the user's own, on a small settings page; the digest is a Celery beat task."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client as WebClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.notifications import services
from opstap.notifications.models import EmailFrequency, Notification
from opstap.notifications.tasks import send_digest_task

pytestmark = pytest.mark.django_db

AMS = dt.timezone(dt.timedelta(hours=2))


def _with_email(user: User) -> User:
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


def test_default_is_an_email_per_notification(
    case_manager: User, django_capture_on_commit_callbacks
) -> None:
    _with_email(case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_send(recipient=case_manager, title="Offerte", body="b")
    assert [m.subject for m in mail.outbox] == ["Opstap: Offerte"]
    note.refresh_from_db()
    assert note.emailed_at is not None and not note.in_digest


def test_digest_users_get_one_mail_a_day(case_manager: User) -> None:
    """Two notifications during the day, one digest mail the next morning; a second run (a
    retried beat job) sends nothing. In the app they appear at once."""
    _with_email(case_manager)
    services.notification_preference_set(actor=case_manager, email_frequency="daily")
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, tzinfo=AMS), tick=False):
        services.notification_send(
            recipient=case_manager, title="Offerte ontvangen", body="", url="/trajecten/7/"
        )
        services.notification_send(recipient=case_manager, title="Plan ontvangen", body="")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=case_manager, read_at__isnull=True).count() == 2
    with time_machine.travel(dt.datetime(2026, 5, 5, 7, 0, tzinfo=AMS), tick=False):
        assert send_digest_task.delay().get() == 1
        assert services.notifications_send_digest() == 0
    (digest,) = mail.outbox
    assert digest.subject == "Opstap: 2 nieuwe melding(en)"
    assert "Offerte ontvangen" in digest.body and "Plan ontvangen" in digest.body
    assert "/trajecten/7/" in digest.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_digest_waits_for_notifications_of_a_user_who_switched_back(
    case_manager: User, django_capture_on_commit_callbacks
) -> None:
    """Notifications created under the digest stay in the digest, even when the user goes
    back to direct e-mail before it runs: nothing is lost, nothing is sent twice."""
    _with_email(case_manager)
    services.notification_preference_set(actor=case_manager, email_frequency="daily")
    services.notification_send(recipient=case_manager, title="A", body="")
    services.notification_preference_set(actor=case_manager, email_frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipient=case_manager, title="B", body="")
    assert [m.subject for m in mail.outbox] == ["Opstap: B"]
    assert services.notifications_send_digest() == 1
    assert mail.outbox[-1].subject == "Opstap: 1 nieuwe melding(en)"


def test_email_leaves_only_after_the_commit(
    case_manager: User, django_capture_on_commit_callbacks
) -> None:
    """R-TRJ-2 hand-offs: a step that rolls back e-mails nobody; the e-mail is sent once,
    after the commit, even when the background task runs twice (a retry)."""
    from django.db import transaction

    from opstap.notifications.tasks import send_email_task

    _with_email(case_manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.notification_send(recipient=case_manager, title="Teruggedraaid", body="")
                raise RuntimeError("a later step of the same change fails")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.filter(title="Teruggedraaid").exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        note = services.notification_send(recipient=case_manager, title="Bewaard", body="")
    assert mail.outbox == [], "nothing is e-mailed before the commit"
    assert len(callbacks) == 1
    callbacks[0]()
    assert send_email_task.delay(note.pk).get() is False, "a retried task sends nothing"
    assert [m.subject for m in mail.outbox] == ["Opstap: Bewaard"]


def test_digest_is_scheduled_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["notification-digest"]
    assert entry["task"] == "opstap.notifications.send_digest"
    assert entry["schedule"].hour == {7}


def test_user_sets_own_choice_on_the_settings_page(case_manager: User) -> None:
    """The page changes only the signed-in user's setting; bad input is a Dutch message."""
    http = WebClient()
    http.force_login(case_manager)
    page = http.get(reverse("notifications:settings")).content.decode()
    assert "Eén keer per dag een overzicht" in page
    response = http.post(reverse("notifications:settings"), {"email_frequency": "daily"})
    assert response.status_code == 302
    assert services.email_frequency_of(case_manager) == EmailFrequency.DAILY
    assert AuditRecord.objects.filter(object_type="notification_preference").exists()
    bad = http.post(reverse("notifications:settings"), {"email_frequency": "hourly"})
    assert bad.status_code == 400
    assert "Kies" in bad.content.decode()
    assert services.email_frequency_of(case_manager) == EmailFrequency.DAILY


def test_settings_page_needs_a_login() -> None:
    response = WebClient().get(reverse("notifications:settings"))
    assert response.status_code in (302, 403)
