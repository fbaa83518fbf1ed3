"""Rebuild the KPI facts per client and month (issue 18, docs/kpis.md): for every
organisation, or one (`--organisation`). Safe while the application runs: each batch of
clients is replaced in its own transaction, and writes meanwhile are refreshed from the queue.
`--today` fixes the date (tests, the demo, a bench); `--from` the first month."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opstap.kpis.services import kpi_facts_rebuild
from opstap.organisations.selectors import organisation_ids


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Geen geldige datum (JJJJ-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Bouw de KPI-feiten per klant en maand opnieuw op."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", type=int, help="Alleen deze organisatie (id).")
        parser.add_argument("--today", type=_date, help="De datum van vandaag (JJJJ-MM-DD).")
        parser.add_argument("--from", dest="built_from", type=_date, help="Eerste maand.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        verbose = options["verbosity"] > 1
        for org_id in organisation_ids(options["organisation"]):
            started = time.monotonic()

            def progress(client_id: int, rows: int, org_id: int = org_id) -> None:
                if verbose:
                    self.stdout.write(
                        f"  organisatie {org_id}: tot klant {client_id}, {rows} rijen"
                    )

            state = kpi_facts_rebuild(
                organisation_id=org_id,
                today=today,
                built_from=options["built_from"],
                progress=progress,
            )
            self.stdout.write(
                f"Organisatie {org_id}: {state.rows} rijen, {state.built_from:%m-%Y} t/m "
                f"{state.built_through:%m-%Y}, in {time.monotonic() - started:.1f} s."
            )
