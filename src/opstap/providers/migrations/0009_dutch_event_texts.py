"""The provider history wrote status codes and an English decimal point into its texts
("Status active → suspended: …", "Prijzen geïndexeerd met 3.10% …"); rewrite the rows
written before, from the facts each row holds, so the page reads Dutch (the services write
Dutch since)."""

import re
from decimal import Decimal

from django.db import migrations

LABELS = {"active": "actief", "suspended": "geschorst", "ended": "beëindigd"}
PERCENT = re.compile(r"met (\d+(?:\.\d+)?)% vanaf")


def _percent(value: Decimal) -> str:
    two = value.quantize(Decimal("0.01"))
    text = str(two if two != two.quantize(Decimal("0.1")) else two.quantize(Decimal("0.1")))
    return text.replace(".", ",") + "%"


def rewrite(apps, schema_editor):
    event = apps.get_model("providers", "ProviderEvent")
    for row in event.objects.filter(kind="status_changed").iterator():
        old, new = row.data.get("old"), row.data.get("new")
        prefix = f"Status {old} → {new}"
        if old in LABELS and new in LABELS and row.description.startswith(prefix):
            row.description = f"Status {LABELS[old]} → {LABELS[new]}" + row.description[
                len(prefix) :
            ]
            row.save(update_fields=["description"])
    for row in event.objects.filter(kind="prices_indexed").iterator():
        text = PERCENT.sub(lambda m: f"met {_percent(Decimal(m.group(1)))} vanaf", row.description)
        if text != row.description:
            row.description = text
            row.save(update_fields=["description"])


class Migration(migrations.Migration):
    dependencies = [("providers", "0008_vat_code")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
