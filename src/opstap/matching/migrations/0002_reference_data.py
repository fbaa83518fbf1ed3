"""Load the shipped reference data: the compact ISCO-08 table (Dutch titles) and the PC4
centroids of the demo region (de Liemers). `manage.py matching_load_reference` loads
these or fuller files later."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    import csv

    Occupation = apps.get_model("matching", "Occupation")
    Pc4Centroid = apps.get_model("matching", "Pc4Centroid")
    with open(DATA / "isco08_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            Occupation.objects.update_or_create(code=row["code"], defaults={"title": row["title"]})
    with open(DATA / "pc4_liemers.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            Pc4Centroid.objects.update_or_create(
                pc4=row["pc4"],
                defaults={
                    "place": row["place"],
                    "municipality": row["municipality"],
                    "latitude": float(row["latitude"]),
                    "longitude": float(row["longitude"]),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
