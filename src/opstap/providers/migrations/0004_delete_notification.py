"""Notification moved to the notifications app: only Django's model state changes here; the
table `providers_notification` stays and now belongs to `notifications.Notification`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0003_reference_data"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
