"""Contract managers and finance clerks read trajectories organisation-wide (R-SEC-1)."""

from django.db import migrations

ROLES = ("contract_manager", "finance_clerk")


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=ROLES):
        perms = set(role.permissions or [])
        perms.add("trajectories.view")
        role.permissions = sorted(perms)
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0001_initial"),
        ("accounts", "0002_seed_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
