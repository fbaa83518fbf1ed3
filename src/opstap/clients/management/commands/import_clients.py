"""`manage.py import_clients FILE --organisation SLUG [--only-valid-rows] [--bevestig]`:
import clients from the benefit administration (CSV or xlsx) with a progress bar on the command
line. Without --bevestig only the preview is made (nothing saved); `--terugdraaien ID` undoes a
committed import as a whole (R-SEC-6)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opstap.clients.importer import (
    ImportActionError,
    describe_changes,
    import_undo,
    run_import,
    store_import_file,
)
from opstap.clients.models import ImportJob, ImportStatus
from opstap.organisations.models import Organisation


class Command(BaseCommand):
    help = "Importeer klanten uit een CSV- of xlsx-bestand (zie docs/import-clients.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Pad naar het CSV- of xlsx-bestand.")
        parser.add_argument(
            "--bevestig",
            action="store_true",
            help="Sla de wijzigingen meteen op (zonder: alleen de controle en het overzicht).",
        )
        parser.add_argument(
            "--terugdraaien",
            type=int,
            default=None,
            metavar="ID",
            help="Draai een bevestigde import (nummer) in zijn geheel terug.",
        )
        parser.add_argument(
            "--organisation",
            default=None,
            help="Korte naam (slug) van de organisatie; verplicht als er meer dan één is.",
        )
        parser.add_argument(
            "--only-valid-rows",
            action="store_true",
            help="Importeer de geldige regels en rapporteer de foute (standaard: alles of niets).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["terugdraaien"] is not None:
            job = ImportJob.objects.filter(pk=options["terugdraaien"]).first()
            if job is None:
                raise CommandError("Onbekende import.")
            try:
                job = import_undo(actor=None, job=job)
            except ImportActionError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(self.style.SUCCESS(job.message))
            return
        if not options["file"]:
            raise CommandError("Geef een bestand op (of --terugdraaien ID).")
        source = Path(options["file"])
        if not source.exists() or source.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("Geef een bestaand .csv- of .xlsx-bestand op.")
        orgs = Organisation.objects.all()
        if options["organisation"]:
            orgs = orgs.filter(slug=options["organisation"])
        if orgs.count() != 1:
            raise CommandError("Kies de organisatie met --organisation SLUG.")
        with source.open("rb") as fh:
            stored = store_import_file(fh, suffix=source.suffix)
        job = ImportJob.objects.create(
            organisation=orgs.get(),
            file_name=source.name,
            file_path=stored,
            only_valid_rows=options["only_valid_rows"],
        )
        tty = sys.stdout.isatty()

        def progress(j: ImportJob) -> None:
            phase = "controleren" if j.status == ImportStatus.VALIDATING else "opslaan"
            line = f"{phase}: {j.processed_rows} regels"
            if tty:
                self.stdout.write("\r" + line, ending="")
            elif j.processed_rows % 50_000 < 2_000:
                self.stdout.write(line)

        run_import(job, on_progress=progress, commit=options["bevestig"])
        if tty:
            self.stdout.write("")
        for err in job.errors:
            self.stdout.write(f"regel {err['line']}, kolom {err['field']}: {err['message']}")
        if job.status == ImportStatus.PREVIEW:
            for row in describe_changes(job.organisation_id, list(job.changes.all()[:50])):
                change = row["change"]
                fields = "; ".join(
                    f"{f.label}: {f.old} → {f.new}"
                    if change.kind == "update"
                    else f"{f.label}: {f.new}"
                    for f in row["fields"]
                )
                self.stdout.write(f"regel {change.line} {change.client_number}: {fields}")
            self.stdout.write(job.message)
            self.stdout.write(f"Bevestig met --bevestig (import {job.pk}).")
        elif job.status == ImportStatus.DONE:
            self.stdout.write(self.style.SUCCESS(f"{job.message} (import {job.pk})"))
        else:
            raise CommandError(job.message or "De import is mislukt.")
