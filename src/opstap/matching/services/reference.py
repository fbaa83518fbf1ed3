"""Reference data of matching: occupations (ISCO) and PC4 centroids."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping

from django.db import transaction

from opstap.matching.models import Occupation, Pc4Centroid

from ._common import MatchingError


@transaction.atomic
def reference_data_load(
    *, occupations: Iterable[Mapping[str, str]], centroids: Iterable[Mapping[str, str]]
) -> tuple[int, int]:
    """Load (insert or update) ISCO-08 occupations and PC4 centroids from CSV rows. Refuses
    the whole file on a bad row (transaction), naming the line."""
    n_occ = n_pc4 = 0
    for line, row in enumerate(occupations, start=2):
        code = (row.get("code") or "").strip()
        title = (row.get("title") or "").strip()
        if not (len(code) == 4 and code.isdigit()) or not title:
            raise MatchingError(f"Beroepen, regel {line}: een ISCO-08-code heeft 4 cijfers.")
        Occupation.objects.update_or_create(code=code, defaults={"title": title})
        n_occ += 1
    for line, row in enumerate(centroids, start=2):
        pc4 = (row.get("pc4") or "").strip()
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, TypeError, ValueError) as exc:
            raise MatchingError(f"Postcodes, regel {line}: ongeldige coördinaten.") from exc
        if not (len(pc4) == 4 and pc4.isdigit()) or not (50 < lat < 54 and 3 < lon < 8):
            raise MatchingError(f"Postcodes, regel {line}: ongeldige PC4 of coördinaten.")
        Pc4Centroid.objects.update_or_create(
            pc4=pc4,
            defaults={
                "place": (row.get("place") or "").strip(),
                "municipality": (row.get("municipality") or "").strip(),
                "latitude": lat,
                "longitude": lon,
            },
        )
        n_pc4 += 1
    return n_occ, n_pc4


def read_reference_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))
