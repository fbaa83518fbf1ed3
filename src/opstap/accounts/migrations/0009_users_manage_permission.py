"""Give existing functional-administrator roles the new permission `users.manage` (the user
page, /gebruikers/; roles are data, R-SEC-1; new installations get it from the default
matrix). Fixed here, not read from roles.py, so the migration means the same later."""

from django.db import migrations

PERM = "users.manage"


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="app_admin"):
        perms = set(role.permissions or [])
        if PERM not in perms:
            perms.add(PERM)
            role.permissions = sorted(perms)
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_privacy_officer_role")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
