"""`manage.py trajectory_counts_rebuild`: recompute the trajectory counter on every client
from the trajectories (issue 18), after loading data outside the services (a bulk load or a
restore). The services keep the counters from then on; this also checks them: it says how
many were off and corrects those."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opstap.organisations.selectors import organisations_all
from opstap.trajectories.services import trajectory_counts_recount


class Command(BaseCommand):
    help = "Tel de trajecten per klant opnieuw (na een bulklading of herstel)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for organisation in organisations_all().order_by("pk"):
            corrected = trajectory_counts_recount(organisation_id=organisation.pk)
            total += corrected
            self.stdout.write(f"{organisation.name}: {corrected} klanten gecorrigeerd")
        self.stdout.write(f"Klaar: {total} klanten gecorrigeerd.")
