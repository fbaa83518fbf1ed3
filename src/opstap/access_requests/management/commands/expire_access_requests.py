"""Cron equivalent of the `opstap.access_requests.expire` Celery task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opstap.access_requests.services import (
    access_requests_expire_due,
    access_requests_fail_stale,
)


class Command(BaseCommand):
    help = (
        "Verwijder inzage-exports waarvan de bewaartermijn is verstreken en markeer "
        "vastgelopen samenstellingen als mislukt."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        stale = access_requests_fail_stale()
        if stale:
            self.stdout.write(f"{stale} vastgelopen inzageverzoek(en) als mislukt gemarkeerd.")
        count = access_requests_expire_due()
        self.stdout.write(f"{count} inzage-export(s) verwijderd.")
