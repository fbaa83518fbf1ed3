"""Sending and reading in-app notifications. The only way they are created.

- `notification_send` stores one notification (in-app, always) and e-mails it at once or
  leaves it for the daily digest, as the recipient chose. With a `dedupe_key` it is sent at
  most once per recipient: the key is unique in the database (a constraint), and a second
  send — also one racing in another process — returns the stored notification unchanged and
  sends no e-mail.
- `notifications_send_digest` (Celery beat, daily) e-mails each digest user one overview.
- `notification_preference_set` is the user's own choice (settings page).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError

from .models import EmailFrequency, Notification, NotificationPreference
from .tasks import send_email_task


class NotificationError(InvalidInputError):
    """A refused notification step, with a Dutch message."""


def email_frequency_of(user: Actor) -> str:
    """The user's e-mail choice; no preference row means direct."""
    preference = NotificationPreference.objects.filter(user_id=user.pk).first()
    return preference.email_frequency if preference else EmailFrequency.IMMEDIATE.value


def _absolute(url: str) -> str:
    base = getattr(settings, "OPSTAP_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def notification_send(
    *,
    recipient: Any,
    title: str,
    body: str,
    url: str = "",
    dedupe_key: str | None = None,
) -> Notification:
    """In-app notification ("Meldingen", start page) for one user, plus an e-mail now or in
    the daily digest (the user's choice). A `dedupe_key` makes it once-only per recipient."""
    if recipient.organisation_id is None:
        raise NotificationError("Een melding kan alleen naar een gebruiker van een organisatie.")
    digest = email_frequency_of(recipient) == EmailFrequency.DAILY.value
    values = {
        "organisation_id": recipient.organisation_id,
        "title": title[:200],
        "body": body,
        "url": url[:300],
        "in_digest": digest,
    }
    if dedupe_key:
        # get_or_create creates inside a savepoint and, on a unique-constraint race, reads
        # the row the other process stored: never two, and the loser sends no e-mail.
        notification, created = Notification.objects.get_or_create(
            recipient=recipient, dedupe_key=dedupe_key[:200], defaults=values
        )
        if not created:
            return notification
    else:
        notification = Notification.objects.create(recipient=recipient, **values)
    if recipient.email and not digest:
        # The e-mail leaves only once the step that caused it is committed: a state change
        # that rolls back (a lost race, a refused later step) never reaches anyone's inbox.
        notification_id = notification.pk
        transaction.on_commit(lambda: send_email_task.delay(notification_id))
    return notification


def notification_email_now(*, notification_id: int) -> bool:
    """E-mail one stored notification now (the background task after the commit). Once-only:
    the row is claimed by setting `emailed_at` where it was empty, so a retried or doubled
    task sends nothing the second time. Returns whether an e-mail was sent."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False
    send_mail(
        subject=f"Opstap: {notification.title}",
        message=f"{notification.body}\n\n{_absolute(notification.url)}".strip(),
        from_email=None,
        recipient_list=[recipient.email],
        fail_silently=True,
    )
    return True
    return notification


def notifications_send_digest(*, now: dt.datetime | None = None) -> int:
    """E-mail every user with notifications waiting for the digest one overview of them, and
    mark them e-mailed. Idempotent: a second run the same day finds nothing. Returns the
    number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(in_digest=True, emailed_at__isnull=True, created_at__lte=now)
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "id")
        )
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for notification in waiting:
            by_user[notification.recipient_id].append(notification)
        for notifications in by_user.values():
            user = notifications[0].recipient
            if user.email and user.is_active:
                lines = [
                    f"- {n.title}" + (f"\n  {_absolute(n.url)}" if n.url else "")
                    for n in notifications
                ]
                send_mail(
                    subject=f"Opstap: {len(notifications)} nieuwe melding(en)",
                    message="Uw meldingen van de afgelopen dag:\n\n" + "\n".join(lines),
                    from_email=None,
                    recipient_list=[user.email],
                    fail_silently=True,
                )
                sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=now)
    return sent


@transaction.atomic
def notification_preference_set(*, actor: Actor, email_frequency: str) -> NotificationPreference:
    """The user's own choice: e-mail per notification, or a daily digest (audited)."""
    if actor is None or not actor.is_authenticated:
        raise NotificationError("Log in om uw voorkeur te wijzigen.")
    if email_frequency not in EmailFrequency.values:
        raise NotificationError("Kies 'direct' of 'één keer per dag'.", field="email_frequency")
    preference, created = NotificationPreference.objects.select_for_update().get_or_create(
        user=actor, defaults={"email_frequency": email_frequency}
    )
    old = EmailFrequency.IMMEDIATE.value if created else preference.email_frequency
    if old != email_frequency:
        preference.email_frequency = email_frequency
        preference.save(update_fields=["email_frequency", "updated_at"])
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="notification_preference",
        object_id=preference.pk,
        purpose="Meldingsvoorkeur gewijzigd",
        changes={"email_frequency": [old, email_frequency]},
    )
    return preference


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise NotificationError("Deze melding is niet voor u.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of `actor` as read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
