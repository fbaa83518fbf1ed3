"""`manage.py audit_partitions [--today jjjj-mm-dd] [--ahead N] [--drop-empty-before jjjj-mm-dd]`:
show the monthly partitions of the audit trail (PostgreSQL), create those of this month and
the months ahead, and drop emptied months before a date (issue 18, docs/operations.md).
Creating and dropping partitions is DDL: run it as the owner of the audit table, as migrate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opstap.audit.partitions import (
    audit_partitions,
    audit_partitions_drop_empty_before,
    audit_partitions_ensure,
    is_partitioned,
)


class Command(BaseCommand):
    help = "Maandpartities van de audittrail tonen, aanmaken en lege oude maanden verwijderen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default=None, help="Vandaag (jjjj-mm-dd).")
        parser.add_argument("--ahead", type=int, default=3, help="Maanden vooruit (standaard 3).")
        parser.add_argument(
            "--drop-empty-before", default=None, help="Lege maanden vóór deze datum verwijderen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_partitioned():
            self.stdout.write("De audittrail is niet gepartitioneerd (alleen op PostgreSQL).")
            return
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
            drop = options["drop_empty_before"]
            before = dt.date.fromisoformat(drop) if drop else None
        except ValueError as exc:
            raise CommandError("Geef data als jjjj-mm-dd.") from exc
        for name in audit_partitions_ensure(today=today, months_ahead=options["ahead"]):
            self.stdout.write(f"Aangemaakt: {name}")
        if before is not None:
            for name in audit_partitions_drop_empty_before(before=before):
                self.stdout.write(f"Verwijderd (leeg): {name}")
        for partition in audit_partitions():
            month = f"{partition.month:%m-%Y}" if partition.month else "overig"
            self.stdout.write(f"{partition.name}\t{month}\t{partition.rows} regels")
