"""Background work of the notifications app (Celery beat; in-process without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="opstap.notifications.send_digest")
def send_digest_task() -> int:
    """Daily: one e-mail per user who chose the digest, with the day's notifications."""
    from .services import notifications_send_digest

    return notifications_send_digest()
