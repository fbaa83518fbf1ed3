"""Give the existing case-manager roles the new permission `access_requests.handle` (roles
are data, R-SEC-1; new installations get it from the default matrix)."""

from django.db import migrations

PERM = "access_requests.handle"


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="case_manager"):
        perms = set(role.permissions or [])
        if PERM not in perms:
            perms.add(PERM)
            role.permissions = sorted(perms)
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("access_requests", "0001_initial"),
        ("accounts", "0002_seed_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
