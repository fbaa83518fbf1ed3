"""Cron equivalent of the `opstap.access_requests.expire` Celery task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opstap.access_requests.services import access_requests_expire_due


class Command(BaseCommand):
    help = "Verwijder inzage-exports waarvan de bewaartermijn is verstreken."

    def handle(self, *args: Any, **options: Any) -> None:
        count = access_requests_expire_due()
        self.stdout.write(f"{count} inzage-export(s) verwijderd.")
