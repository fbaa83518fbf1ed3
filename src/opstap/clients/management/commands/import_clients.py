"""`manage.py import_clients FILE --organisation SLUG [--only-valid-rows]`: import clients
from the benefit administration (CSV or xlsx) with a progress bar on the command line."""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opstap.clients.importer import run_import
from opstap.clients.models import ImportJob, ImportStatus
from opstap.organisations.models import Organisation


class Command(BaseCommand):
    help = "Importeer klanten uit een CSV- of xlsx-bestand (zie docs/import-clients.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Pad naar het CSV- of xlsx-bestand.")
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
        source = Path(options["file"])
        if not source.exists() or source.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("Geef een bestaand .csv- of .xlsx-bestand op.")
        orgs = Organisation.objects.all()
        if options["organisation"]:
            orgs = orgs.filter(slug=options["organisation"])
        if orgs.count() != 1:
            raise CommandError("Kies de organisatie met --organisation SLUG.")
        folder = Path(settings.MEDIA_ROOT) / "client-imports"
        folder.mkdir(parents=True, exist_ok=True)
        stored = folder / f"{uuid.uuid4().hex}{source.suffix.lower()}"
        shutil.copyfile(source, stored)
        job = ImportJob.objects.create(
            organisation=orgs.get(),
            file_name=source.name,
            file_path=str(stored),
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

        run_import(job, on_progress=progress)
        if tty:
            self.stdout.write("")
        for err in job.errors:
            self.stdout.write(f"regel {err['line']}, kolom {err['field']}: {err['message']}")
        if job.status == ImportStatus.DONE:
            self.stdout.write(self.style.SUCCESS(job.message))
        else:
            raise CommandError(job.message or "De import is mislukt.")
