"""Seed the roles of spec section 1 with the default permission matrix (R-SEC-1)."""

from django.db import migrations


def seed_roles(apps, schema_editor):
    from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, ROLE_NAMES_NL

    Role = apps.get_model("accounts", "Role")
    for code, perms in DEFAULT_ROLE_PERMISSIONS.items():
        Role.objects.get_or_create(
            code=code.value,
            defaults={"name": ROLE_NAMES_NL[code], "permissions": sorted(p.value for p in perms)},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
