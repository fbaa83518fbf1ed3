"""Index for the provider indicators (R-PI-1): trajectories per provider by plan approval."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0005_overview_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trajectory",
            index=models.Index(fields=["provider", "plan_approved_on"], name="trj_provider_plan"),
        ),
    ]
