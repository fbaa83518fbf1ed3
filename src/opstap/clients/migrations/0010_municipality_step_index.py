"""The municipality index also holds the ladder step and sub-status (issue 18): the KPI
populations per municipality and step, and one municipality's, are index-only counts. The new
index is built before the old one is dropped, so the municipality filter always has one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0009_help_texts_without_rule_ids"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["organisation", "municipality", "ladder_step", "ladder_sub_status"],
                name="client_org_mun_step",
            ),
        ),
        migrations.RemoveIndex(model_name="client", name="client_org_mun"),
    ]
