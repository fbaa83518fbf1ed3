"""Fill the clients' trajectory counters (issue 18) from the trajectories that exist:
`services.tallies` keeps them from here on."""

from django.db import migrations
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    Trajectory = apps.get_model("trajectories", "Trajectory")
    per_client = Subquery(
        Trajectory.objects.filter(client_id=OuterRef("pk"))
        .order_by()
        .values("client_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    actual = Coalesce(per_client, Value(0))
    Client.objects.alias(actual=actual).exclude(trajectory_count=F("actual")).update(
        trajectory_count=actual
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0011_trajectory_count"),
        ("trajectories", "0014_provider_window_index"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
