"""Load ISCO-08 occupations and PC4 centroids (semicolon CSV with a header):

    manage.py matching_load_reference [--occupations FILE] [--centroids FILE]

Without arguments the shipped files (`matching/data/`) are loaded again. Occupations:
`code;title`; centroids: `pc4;place;municipality;latitude;longitude` (WGS84)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opstap.core.errors import DomainError
from opstap.matching.services import read_reference_csv, reference_data_load

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Laadt ISCO-08-beroepen en PC4-middelpunten (referentiegegevens matching)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--occupations", default=str(DATA / "isco08_nl.csv"))
        parser.add_argument("--centroids", default=str(DATA / "pc4_liemers.csv"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            n_occ, n_pc4 = reference_data_load(
                occupations=read_reference_csv(options["occupations"]),
                centroids=read_reference_csv(options["centroids"]),
            )
        except (OSError, DomainError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{n_occ} beroepen en {n_pc4} postcodegebieden geladen.")
