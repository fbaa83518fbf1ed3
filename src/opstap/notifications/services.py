"""Sending and reading in-app notifications. The only way they are created."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


class NotificationError(Exception):
    """A refused notification step, with a Dutch message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def notification_send(*, recipient: Any, title: str, body: str, url: str = "") -> Notification:
    """In-app notification (start page, "Meldingen") plus e-mail for one user."""
    if recipient.organisation_id is None:
        raise NotificationError("Een melding kan alleen naar een gebruiker van een organisatie.")
    notification = Notification.objects.create(
        organisation_id=recipient.organisation_id,
        recipient=recipient,
        title=title[:200],
        body=body,
        url=url[:300],
    )
    if recipient.email:
        send_mail(
            subject=f"Opstap: {title}",
            message=f"{body}\n\n{url}".strip(),
            from_email=None,
            recipient_list=[recipient.email],
            fail_silently=True,
        )
    return notification


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise NotificationError("Deze melding is niet voor u.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of `actor` as read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
