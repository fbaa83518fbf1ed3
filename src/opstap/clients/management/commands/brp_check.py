"""Run the BRP check now (the same as the daily Celery beat task): clients who moved out of
the organisation's municipalities or died are signalled to their case manager (R-INT-3)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opstap.clients.tasks import brp_check_task


class Command(BaseCommand):
    help = "Controleer klanten in de BRP op verhuizing buiten de gemeenten en overlijden."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(brp_check_task())
