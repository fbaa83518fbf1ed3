"""Give the existing case-manager roles the new permission `clients.brp_lookup` (R-INT-3;
roles are data, R-SEC-1; new installations get it from the default matrix)."""

from django.db import migrations

PERM = "clients.brp_lookup"


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="case_manager"):
        perms = set(role.permissions or [])
        if PERM not in perms:
            role.permissions = sorted(perms | {PERM})
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_income_coach_assignment"),
        ("accounts", "0002_seed_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
