"""The KPI breakdown by target group as an index-only scan (docs/performance.md, "KPI pages")."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0014_folded_name_search"),
        ("organisations", "0002_organisation_data_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["organisation", "ladder_step"],
                include=(
                    "id",
                    "date_of_birth",
                    "migration_background",
                    "ldr_registered",
                    "nbw_indication",
                    "lks_status",
                    "benefit_type",
                ),
                name="client_org_step_groups",
            ),
        ),
    ]
