"""Reference data of the provider network (R-NET-1, R-BILL-1, R-NET-4, R-NET-7).

Editable afterwards by the application administrator (Django admin); each row has validity.
Employer tiles DW02–DW09 follow VNG's instrument guide Dennis as far as the spec names them
(DW01 Voorzorg … DW10 Nazorg); the administrator corrects names where the guide differs.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

START = dt.date(2020, 1, 1)

WORK_TILES = [
    # (source number, name, EVA code)
    (1, "Diagnostiek (intake)", "EW02"),
    (2, "Maatschappelijk fit", "EW03"),
    (3, "Oriëntatie op de arbeidsmarkt", "EW05"),
    (4, "Werkfit", "EW04"),
    (5, "Opleiden / certificeren / kwalificeren", "EW06"),
    (6, "Bemiddeling", "EW07"),
    (7, "Plaatsing", "EW08"),
    (8, "Nazorg", "EW09"),
]

EMPLOYER_TILES = [
    "Voorzorg",
    "Werkgeversbenadering",
    "Vacatureanalyse",
    "Functiecreatie (jobcarving)",
    "Werving en selectie",
    "Proefplaatsing",
    "Loonkostensubsidie",
    "Jobcoaching",
    "No-riskpolis",
    "Nazorg",
]

PRODUCT_CODES = [
    (1, "Kort, vaste prijs", "korter dan 3 maanden", "fixed", "direct", "aan het einde",
     "0% bij start, 100% na eindrapportage"),
    (2, "Kort, variabele prijs", "korter dan 3 maanden", "variable", "quote", "aan het einde",
     "0% bij start, 100% na eindrapportage"),
    (3, "Lang, vaste prijs", "langer dan 3 maanden", "fixed", "direct",
     "elke 3 maanden en aan het einde", "50% na goedkeuring plan, 50% na eindrapportage"),
    (4, "Lang, variabele prijs", "langer dan 3 maanden", "variable", "quote",
     "elke 3 maanden en aan het einde", "50% na goedkeuring plan, 50% na eindrapportage"),
    (5, "Jobcoaching (regionaal beleid)", "jobcoaching", "hourly", "quote",
     "elke 6 maanden en 2 maanden voor einde arbeidscontract",
     "per kwartaal achteraf, met urenlogboek"),
]

PROMOTED = [
    ("Praktijkdiagnose", [1, 4]),
    ("Oriëntatiecarrousel", [3, 4]),
    ("Maatschappelijk-fit-coach", [2]),
    ("Leerwerktraject", [5, 4, 6, 7]),
    ("Jobfinding", [6, 7]),
]


def load(apps, schema_editor):
    Tile = apps.get_model("providers", "Tile")
    ProductCode = apps.get_model("providers", "ProductCode")
    PromotedModule = apps.get_model("providers", "PromotedModule")
    RateCeiling = apps.get_model("providers", "RateCeiling")
    tiles = {}
    for number, name, code in WORK_TILES:
        tiles[number], _ = Tile.objects.get_or_create(
            code=code,
            defaults={"kind": "work", "number": number, "name": name, "valid_from": START},
        )
    # EW01 Melding: registration, not purchasable; shown last in the UI (number 0 sorts first).
    Tile.objects.get_or_create(
        code="EW01",
        defaults={"kind": "work", "number": 0, "name": "Melding", "purchasable": False,
                  "valid_from": START},
    )
    for i, name in enumerate(EMPLOYER_TILES, start=1):
        Tile.objects.get_or_create(
            code=f"DW{i:02d}",
            defaults={"kind": "employer", "number": i, "name": name, "valid_from": START},
        )
    for code, name, duration, price_type, ordering, reporting, invoicing in PRODUCT_CODES:
        ProductCode.objects.get_or_create(
            code=code,
            defaults={"name": name, "duration_class": duration, "price_type": price_type,
                      "ordering_mode": ordering, "reporting": reporting,
                      "invoicing": invoicing, "valid_from": START},
        )
    for name, numbers in PROMOTED:
        module, created = PromotedModule.objects.get_or_create(
            name=name, organisation=None, defaults={"valid_from": START}
        )
        if created:
            module.tiles.set([tiles[n] for n in numbers])
    RateCeiling.objects.get_or_create(
        organisation=None,
        valid_from=dt.date(2021, 10, 1),
        defaults={"amount": Decimal("80.00")},
    )


def grant_permissions(apps, schema_editor):
    """Add the new permission code to the existing roles (roles are data, R-SEC-1)."""
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="provider_staff"):
        perms = set(role.permissions or [])
        perms.add("products.propose")
        role.permissions = sorted(perms)
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0002_network"),
        ("accounts", "0002_seed_roles"),
    ]
    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
