"""Indexes for matching at national scale (issue 15): the open vacancies in an occupation,
and the profiles holding an occupation read from the index alone (`matching.ranking`)."""

from django.db import migrations, models

THROUGH = (
    ("matching_workprofile_desired_occupations", "work_profile_desired_occ"),
    ("matching_workprofile_possible_occupations", "work_profile_possible_occ"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_reference_data"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="vacancy",
            index=models.Index(
                fields=["organisation", "state", "occupation"], name="vacancy_state_occupation"
            ),
        ),
        *(
            migrations.RunSQL(
                f"CREATE INDEX {name} ON {table} (occupation_id, workprofile_id)",
                f"DROP INDEX {name}",
            )
            for table, name in THROUGH
        ),
    ]
