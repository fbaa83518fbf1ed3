"""R-MAT: a permanent contract ("Vast (onbepaalde tijd)") has no duration.

Before this migration a vacancy or placement could be saved as permanent *with* a duration (the
demo generator made 29 such vacancies; the placement form copies the vacancy's contract). The
services now refuse that combination; this migration clears the duration of the rows that
already have it: the contract type wins, as the form's hint ("Leeg = onbepaalde tijd") and the
payment rules (no duration = permanent, R-BILL-6) read it. Not reversible in content (the
cleared durations are not kept), so the reverse is a no-op.
"""

from django.db import migrations

PERMANENT = "permanent"


def clear_duration_of_permanent_contracts(apps, schema_editor):
    for model in ("Vacancy", "Placement"):
        apps.get_model("matching", model).objects.filter(
            contract_type=PERMANENT, contract_months__isnull=False
        ).update(contract_months=None)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0007_placement_durability"),
    ]

    operations = [
        migrations.RunPython(clear_duration_of_permanent_contracts, migrations.RunPython.noop),
    ]
