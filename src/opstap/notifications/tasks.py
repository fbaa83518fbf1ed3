"""Background work of the notifications app (Celery beat; in-process without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="opstap.notifications.send_digest")
def send_digest_task() -> int:
    """Daily: one e-mail per user who chose the digest, with the day's notifications."""
    from .services import notifications_send_digest

    return notifications_send_digest()


@shared_task(name="opstap.notifications.send_email")
def send_email_task(notification_id: int) -> bool:
    """One notification's e-mail, after the transaction that stored it committed."""
    from .services import notification_email_now

    return notification_email_now(notification_id=notification_id)
