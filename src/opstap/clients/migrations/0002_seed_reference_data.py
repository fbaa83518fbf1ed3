"""Seed the spec defaults as data: unit mapping (R-LAD-2), track mapping (R-LAD-3) and the
participatierotonde exits (R-LAD-4). Administrators change them by adding rows with new
validity dates; code reads the row valid on the relevant date."""

import datetime as dt

from django.db import migrations

VALID_FROM = dt.date(2000, 1, 1)

UNIT = [
    ("1", "", "care"),
    ("2a", "", "care"),
    ("2b", "", "work"),
    ("3", "", "work"),
    ("4", "", "work"),
    ("5", "", "work"),
    ("6", "with_growth", "work"),
    ("6", "without_growth", "care"),
    ("6", "not_work_ready", "work"),
]
TRACK = [
    ("1", "", "3"),
    ("2a", "", "3"),
    ("2b", "", "3"),
    ("3", "", "2"),
    ("4", "", "2"),
    ("5", "", "1"),
    ("6", "", "1"),
]
EXITS = [
    ("regular", 1, "Regulier werk", "Betaald werk bij een reguliere werkgever."),
    ("supported", 2, "Ondersteund werk", "Garantiebaan met loonkostensubsidie (doelgroepregister)."),
    ("sheltered", 3, "Beschut werk", "Werk in een beschutte omgeving (Nieuw Beschut Werk)."),
    (
        "activating",
        4,
        "Activerend werk / maatschappelijke participatie",
        "Vrijwilligerswerk, dagbesteding of andere maatschappelijke participatie.",
    ),
]


def seed(apps, schema_editor):
    LadderMapping = apps.get_model("clients", "LadderMapping")
    RotondeExitReference = apps.get_model("clients", "RotondeExitReference")
    for kind, rows in (("unit", UNIT), ("track", TRACK)):
        for step, sub, value in rows:
            LadderMapping.objects.get_or_create(
                organisation=None,
                kind=kind,
                step=step,
                sub_status=sub,
                valid_from=VALID_FROM,
                defaults={"value": value},
            )
    for code, order, name, description in EXITS:
        RotondeExitReference.objects.get_or_create(
            code=code,
            defaults={
                "order": order,
                "name": name,
                "description": description,
                "valid_from": VALID_FROM,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("clients", "LadderMapping").objects.filter(organisation=None).delete()
    apps.get_model("clients", "RotondeExitReference").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
