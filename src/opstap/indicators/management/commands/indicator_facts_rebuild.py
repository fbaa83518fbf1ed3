"""Rebuild the indicator facts per provider, product and day (issue 18, docs/performance.md):
for every organisation, or one (`--organisation`). Safe while the application runs: each
step is its own transaction under the organisation's fact lock, and writes meanwhile are
refreshed from the queue."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from opstap.indicators.models import IndicatorDay
from opstap.indicators.services import indicator_facts_rebuild
from opstap.organisations.selectors import organisation_ids


class Command(BaseCommand):
    help = "Bouw de indicatorfeiten per aanbieder, product en dag opnieuw op."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", type=int, help="Alleen deze organisatie (id).")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        for org_id in organisation_ids(options["organisation"]):
            started = time.monotonic()

            def progress(
                stage: str, count: int, org_id: int = org_id, started: float = started
            ) -> None:
                if verbose:
                    self.stdout.write(
                        f"  organisatie {org_id}: {stage} {count} "
                        f"({time.monotonic() - started:.1f} s)"
                    )

            state = indicator_facts_rebuild(organisation_id=org_id, progress=progress)
            self.stdout.write(
                f"Organisatie {org_id}: {state.rows} rijen indicatorfeiten, "
                f"in {time.monotonic() - started:.1f} s."
            )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The page reads the facts from their index alone once the visibility map is
            # set, and plans with fresh statistics: vacuum and analyse the rebuilt table now.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {IndicatorDay._meta.db_table}")
