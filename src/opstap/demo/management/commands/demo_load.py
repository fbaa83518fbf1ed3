"""`manage.py demo_load [--scale demo|city|national] [--seed N]`: load the demo organisation
once. A second run sees it exists and returns in a moment."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opstap.demo import generator


class Command(BaseCommand):
    help = "Laadt de demo-organisatie RSD de Liemers (eenmalig)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(generator.SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="De dag waarop de demo 'vandaag' staat (JJJJ-MM-DD); standaard de echte datum.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook laden buiten demo-modus (alleen voor benchmarks).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.OPSTAP_DEMO or settings.DEBUG or options["force"]):
            raise CommandError(
                "Demo-gegevens worden alleen in demo-modus geladen "
                "(OPSTAP_DEMO=true of DEBUG=true)."
            )
        if generator.demo_exists():
            self.stdout.write("Demo-organisatie is al geladen; er wordt niets gewijzigd.")
            return
        start = time.monotonic()
        generator.build(
            scale=options["scale"],
            seed=options["seed"],
            today=options["today"],
            log=lambda msg: self.stdout.write(msg),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo geladen (schaal {options['scale']}) in {time.monotonic() - start:.1f} s."
            )
        )
