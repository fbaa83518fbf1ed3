"""Seed the days equated with a holiday by royal decree (Atw art. 3(3), R-TRJ-3) for 2023-2028.

Source: the titles of the two decrees that name them (published in the Staatscourant), as
quoted in docs/deadlines.md section 3. Years before 2023 are not seeded; the application
administrator adds days of earlier or later decrees in the back office. Reversing this
migration removes only these rows.
"""

import datetime as dt

from django.db import migrations

DECREE_2023 = (
    "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 "
    "en 30 mei 2025 met een algemeen erkende feestdag"
)
DECREE_2026 = (
    "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 "
    "en 26 mei 2028 met een algemeen erkende feestdag"
)

SEED = (
    (dt.date(2023, 4, 28), "vrijdag na Koningsdag", DECREE_2023),
    (dt.date(2023, 5, 19), "vrijdag na Hemelvaartsdag", DECREE_2023),
    (dt.date(2024, 5, 10), "vrijdag na Hemelvaartsdag", DECREE_2023),
    (dt.date(2024, 12, 27), "vrijdag na Tweede Kerstdag", DECREE_2023),
    (dt.date(2025, 5, 30), "vrijdag na Hemelvaartsdag", DECREE_2023),
    (dt.date(2026, 1, 2), "vrijdag na Nieuwjaarsdag", DECREE_2026),
    (dt.date(2026, 5, 15), "vrijdag na Hemelvaartsdag", DECREE_2026),
    (dt.date(2027, 5, 7), "vrijdag na Hemelvaartsdag", DECREE_2026),
    (dt.date(2028, 4, 28), "vrijdag na Koningsdag", DECREE_2026),
    (dt.date(2028, 5, 26), "vrijdag na Hemelvaartsdag", DECREE_2026),
)


def seed(apps, schema_editor):
    EquatedDay = apps.get_model("trajectories", "EquatedDay")
    for day, description, decree in SEED:
        EquatedDay.objects.get_or_create(
            day=day, defaults={"description": description, "decree": decree}
        )


def unseed(apps, schema_editor):
    EquatedDay = apps.get_model("trajectories", "EquatedDay")
    EquatedDay.objects.filter(day__in=[day for day, _, _ in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0007_equated_days")]

    operations = [migrations.RunPython(seed, unseed)]
