"""Index for the provider's trajectory list (portal page and API, issue 6 at national scale):
`provider = ? AND organisation = ? AND (actual_end_date IS NULL OR actual_end_date >= ?)`
ordered by `-order_date, -id`. The COUNT becomes an index-only scan over the provider's
entries, the first page an ordered walk that stops after the page size."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0002_grant_trajectory_view"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trajectory",
            index=models.Index(
                fields=["provider", "organisation", "order_date", "id", "actual_end_date"],
                name="trj_provider_order",
            ),
        ),
    ]
