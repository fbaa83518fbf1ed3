"""`manage.py send_notification_digest`: the daily e-mail overview for users who chose it.
Idempotent (what was e-mailed is marked): run it from cron once a day without Celery beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opstap.notifications.services import notifications_send_digest


class Command(BaseCommand):
    help = "Stuur het dagelijkse overzicht van meldingen per e-mail."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notifications_send_digest()
        self.stdout.write(f"Dagoverzichten verstuurd: {sent}")
