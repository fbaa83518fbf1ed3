"""R-TRJ-7: the outcome's contract type is now one of the contract types (after 0019 mapped the
free texts), as matching's vacancies and placements have it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0019_outcome_contract_type_choice"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outcome",
            name="contract_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("permanent", "Vast (onbepaalde tijd)"),
                    ("fixed", "Bepaalde tijd"),
                    ("agency", "Uitzendwerk"),
                    ("trial", "Proefplaatsing"),
                    ("wsw", "Beschut werk (dienstbetrekking)"),
                ],
                help_text="Soort contract (leeg = onbekend).",
                max_length=10,
                verbose_name="soort contract",
            ),
        ),
    ]
