"""Cron equivalent of the `opstap.access_requests.send_deadline_notices` Celery task: tell
the handler and the privacy officer of access requests that are due soon or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opstap.access_requests.services import (
    AccessRequestError,
    access_requests_send_deadline_notices,
)


class Command(BaseCommand):
    help = "Stuur meldingen over inzageverzoeken waarvan de termijn nadert of is verstreken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Peildatum (jjjj-mm-dd); standaard vandaag.")
        parser.add_argument(
            "--days-before",
            type=int,
            default=None,
            help="Aantal dagen vooraf melden (standaard de instelling, 7).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("Geef de peildatum als jjjj-mm-dd.") from exc
        try:
            sent = access_requests_send_deadline_notices(
                today=today, days_before=options["days_before"]
            )
        except AccessRequestError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Meldingen over termijnen van inzageverzoeken verstuurd: {sent}")
