"""The social-return coordinator role (R-NET-10) and the new permissions for existing roles
(roles are data, R-SEC-1; new installations get them from the default matrix)."""

from django.db import migrations

COORDINATOR = "social_return_coordinator"
COORDINATOR_PERMS = [
    "home.view",
    "municipalities.view",
    "providers.view",
    "social_return.coordinate",
    "social_return.view",
]
GRANTS = {
    "contract_manager": ["social_return.view"],
    "provider_staff": ["social_return.report", "social_return.view"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.get_or_create(
        code=COORDINATOR,
        defaults={"name": "Social-return-coördinator", "permissions": COORDINATOR_PERMS},
    )
    for code, perms in GRANTS.items():
        for role in Role.objects.filter(code=code):
            merged = sorted(set(role.permissions or []) | set(perms))
            if merged != role.permissions:
                role.permissions = merged
                role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("social_return", "0001_initial"),
        ("accounts", "0005_alter_role_code"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
