"""Apply retention (R-SEC-4), or with --dry-run list what would happen.

    manage.py retention_run --dry-run [--today 2037-01-01] [--organisation rsd-de-liemers]

Without a broker, cron runs this daily (without --dry-run) as the Celery beat task would:
also the housekeeping of this machine (stale client import files, `retention_housekeeping`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opstap.organisations.models import Organisation
from opstap.retention.management.commands._options import add_today_argument, today_of
from opstap.retention.services import retention_housekeeping, retention_run
from opstap.retention.terms import ACTION_LABELS_NL, KIND_LABELS_NL, Action, Kind


class Command(BaseCommand):
    help = "Bewaartermijnen toepassen, of met --dry-run tonen wat er zou gebeuren."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="niets wijzigen, alleen tonen")
        add_today_argument(parser)
        parser.add_argument("--organisation", help="slug van de organisatie (standaard alle)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = today_of(options)
        organisations = Organisation.objects.order_by("pk")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError("Onbekende organisatie.")
        for organisation in organisations:
            run = retention_run(
                organisation_id=organisation.pk, today=today, dry_run=options["dry_run"]
            )
            title = "Proefrun" if run.dry_run else "Run"
            self.stdout.write(f"{title} {organisation.name}, peildatum {today:%d-%m-%Y}:")
            for key, value in sorted(run.counts.items()):
                self.stdout.write(f"  {key}: {value}")
            for item in run.items[:50]:
                kind = KIND_LABELS_NL[Kind(item["kind"])]
                action = ACTION_LABELS_NL[Action(item["action"])]
                self.stdout.write(
                    f"  klant {item['client_id']}: {kind} {action} "
                    f"(gesloten {item['closed_on']}, termijn verstreken {item['due_on']})"
                )
        # Not per organisation: the files on this machine, once. A dry run on another
        # reference date counts what would be stale then.
        now = timezone.now()
        if today != timezone.localdate():
            now = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        counts = retention_housekeeping(now=now, dry_run=options["dry_run"])
        self.stdout.write("Opruimen:")
        for key, value in sorted(counts.items()):
            self.stdout.write(f"  {key}: {value}")
