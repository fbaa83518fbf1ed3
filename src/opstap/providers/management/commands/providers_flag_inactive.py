"""Daily job (cron or Celery beat): flag providers without activity for 12 months (R-NET-8)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from opstap.organisations.selectors import organisations_all
from opstap.providers.services import providers_flag_inactive


class Command(BaseCommand):
    help = "Signaleer aanbieders zonder activiteit (R-NET-8) bij hun contractmanager."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        for organisation in organisations_all():
            flagged = providers_flag_inactive(organisation=organisation, on=today)
            self.stdout.write(f"{organisation.name}: {len(flagged)} aanbieder(s) gesignaleerd.")
