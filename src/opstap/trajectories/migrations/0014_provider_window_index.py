"""The provider's window (`provider_window_q`: running, or ended within the reporting period
and not past its planned end + grace) read from the index alone: `planned_end_date` joins the
columns of the provider's order index (issue 18). The new index is built before the old one
is dropped, so the provider's list always has one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0013_help_texts_without_rule_ids"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trajectory",
            index=models.Index(
                fields=[
                    "provider",
                    "organisation",
                    "order_date",
                    "id",
                    "actual_end_date",
                    "planned_end_date",
                ],
                name="trj_provider_window",
            ),
        ),
        migrations.RemoveIndex(model_name="trajectory", name="trj_provider_order"),
    ]
