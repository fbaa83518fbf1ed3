"""Give existing functional-administrator roles the new permission `retention.manage` (roles are
data, R-SEC-1; new installations get it from the default matrix)."""

from django.db import migrations

PERM = "retention.manage"


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="app_admin"):
        perms = set(role.permissions or [])
        if PERM not in perms:
            perms.add(PERM)
            role.permissions = sorted(perms)
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0002_seed_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
