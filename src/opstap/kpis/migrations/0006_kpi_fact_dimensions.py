"""The client's current municipality, ladder step and sub-status on the KPI facts rows (issue
18, "dimensions on the row", ADR 0007), so that the guided counts per step and municipality
are one scan of a month's rows.

Keeps a running production correct without a rebuild: one transaction (PostgreSQL) adds the
columns, fills them from the clients table, makes them NOT NULL and builds the new index.
`KpiFactState.ready` stays as it is. Until this commits the table is locked, so nobody reads
a row without its dimensions; a refresh of the previous code version that runs after the
commit fails on the NOT NULL columns and leaves its queue rows for the new code (the beat
repeats the refresh every minute), so no row is ever written without them."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_dimensions(apps, schema_editor):
    fact = apps.get_model("kpis", "KpiClientMonth")
    client = apps.get_model("clients", "Client")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # Immediate FK checks: no deferred trigger events left for the ALTER TABLE below.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"UPDATE {fact._meta.db_table} f SET municipality_id = c.municipality_id, "  # noqa: S608
                "ladder_step = c.ladder_step, ladder_sub_status = c.ladder_sub_status "
                f"FROM {client._meta.db_table} c WHERE c.id = f.client_id"
            )
        return
    of_client = client.objects.filter(pk=OuterRef("client_id"))
    fact.objects.update(
        municipality_id=Subquery(of_client.values("municipality_id")[:1]),
        ladder_step=Subquery(of_client.values("ladder_step")[:1]),
        ladder_sub_status=Subquery(of_client.values("ladder_sub_status")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0009_help_texts_without_rule_ids"),
        ("kpis", "0005_kpi_facts"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="kpiclientmonth", name="kpi_fact_org_month"),
        migrations.AddField(
            model_name="kpiclientmonth",
            name="municipality",
            field=models.ForeignKey(
                db_index=False,
                help_text="De huidige gemeente van de klant.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.municipality",
                verbose_name="gemeente",
            ),
        ),
        migrations.AddField(
            model_name="kpiclientmonth",
            name="ladder_step",
            field=models.CharField(
                default="",
                help_text="De huidige trede van de klant.",
                max_length=2,
                verbose_name="trede",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="kpiclientmonth",
            name="ladder_sub_status",
            field=models.CharField(
                blank=True,
                default="",
                help_text="De huidige substatus van de klant (alleen bij trede 6).",
                max_length=20,
                verbose_name="substatus trede 6",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_dimensions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="kpiclientmonth",
            name="municipality",
            field=models.ForeignKey(
                db_index=False,
                help_text="De huidige gemeente van de klant.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.municipality",
                verbose_name="gemeente",
            ),
        ),
        migrations.AddIndex(
            model_name="kpiclientmonth",
            index=models.Index(
                fields=["organisation", "month", "municipality", "ladder_step"],
                include=(
                    "ladder_sub_status",
                    "client",
                    "trajectory_days",
                    "activity_days",
                    "last_activity_before",
                ),
                name="kpi_fact_org_month_dims",
            ),
        ),
    ]
