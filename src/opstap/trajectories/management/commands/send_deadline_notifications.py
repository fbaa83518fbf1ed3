"""`manage.py send_deadline_notifications`: notify before and when a deadline passes
(R-TRJ-3) and ask about durable placements (R-TRJ-7; also those via the WSP). Idempotent:
run it from cron daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from opstap.trajectories.services import deadlines_send_notifications, durability_checks_run


class Command(BaseCommand):
    help = "Stuur meldingen over naderende en verlopen termijnen van trajecten."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Peildatum (jjjj-mm-dd); standaard vandaag.")
        parser.add_argument(
            "--days-before", type=int, default=3, help="Aantal dagen vooraf melden (standaard 3)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        sent = deadlines_send_notifications(on=on, before_days=options["days_before"])
        asked = durability_checks_run(on=on)
        self.stdout.write(f"Termijnmeldingen verstuurd: {sent}; duurzaamheidscontroles: {asked}")
