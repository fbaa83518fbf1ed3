"""Issue 18: on PostgreSQL the audit trail becomes a table partitioned by month (declarative
partitioning on "timestamp", UTC months), see opstap/audit/partitions.py.

The existing table is renamed, a partitioned table with the same columns, defaults and
identity takes its name, every month that already holds records gets its partition (plus a
default partition), the rows are copied, the old table is dropped, and the indexes and the
append-only trigger are created again on the partitioned table. The primary key becomes
(id, timestamp), as PostgreSQL requires the partition key in it; ids stay unique (one identity
sequence). SQLite keeps its single table. The model state does not change.
"""

import datetime as dt

from django.db import migrations

PARENT = "audit_auditrecord"
OLD = "audit_auditrecord_unpartitioned"
CHAIN_INDEX = "audit_chain_position_unique"


def _next_month(month):
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _partition(cursor, name, bounds):
    if bounds is None:
        cursor.execute(f'CREATE TABLE "{name}" PARTITION OF "{PARENT}" DEFAULT')
    else:
        low, high = bounds
        cursor.execute(
            f'CREATE TABLE "{name}" PARTITION OF "{PARENT}" '
            f"FOR VALUES FROM ('{low.isoformat()} 00:00:00+00') "
            f"TO ('{high.isoformat()} 00:00:00+00')"
        )
    # A chain (one organisation, one UTC day) never crosses a month: unique per partition.
    cursor.execute(
        f'CREATE UNIQUE INDEX "{name}_chain_pos" ON "{name}" (chain, chain_position) '
        "WHERE NOT (chain = '')"
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' AND tablename = %s",
            [PARENT],
        )
        indexes = [
            (name, definition)
            for name, definition in cursor.fetchall()
            if name != f"{PARENT}_pkey" and name != CHAIN_INDEX
        ]
        cursor.execute(f'ALTER TABLE "{PARENT}" RENAME TO "{OLD}"')
        cursor.execute(f'ALTER TABLE "{OLD}" RENAME CONSTRAINT "{PARENT}_pkey" TO "{OLD}_pkey"')
        for name, _definition in indexes:
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:55]}_old"')
        cursor.execute(f'ALTER INDEX "{CHAIN_INDEX}" RENAME TO "{CHAIN_INDEX}_old"')
        cursor.execute(
            f'CREATE TABLE "{PARENT}" (LIKE "{OLD}" INCLUDING DEFAULTS INCLUDING IDENTITY '
            f'INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) '
            f'PARTITION BY RANGE ("timestamp")'
        )
        cursor.execute(
            f'ALTER TABLE "{PARENT}" ADD CONSTRAINT "{PARENT}_pkey" PRIMARY KEY (id, "timestamp")'
        )
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', \"timestamp\" AT TIME ZONE 'UTC')::date "
            f'FROM "{OLD}"'
        )
        for (month,) in sorted(cursor.fetchall()):
            _partition(cursor, f"{PARENT}_p{month:%Y_%m}", (month, _next_month(month)))
        _partition(cursor, f"{PARENT}_default", None)
        cursor.execute(f'INSERT INTO "{PARENT}" SELECT * FROM "{OLD}"')
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{PARENT}', 'id'), "
            f'COALESCE((SELECT max(id) FROM "{OLD}"), 0) + 1, false)'
        )
        cursor.execute(f'DROP TABLE "{OLD}"')
        for _name, definition in indexes:
            cursor.execute(definition)  # CREATE INDEX name ON public.audit_auditrecord ...
        cursor.execute(
            f"CREATE TRIGGER audit_auditrecord_append_only BEFORE UPDATE OR DELETE ON "
            f'"{PARENT}" FOR EACH ROW EXECUTE FUNCTION opstap_audit_append_only()'
        )


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' AND tablename = %s",
            [PARENT],
        )
        indexes = [(n, d) for n, d in cursor.fetchall() if n != f"{PARENT}_pkey"]
        cursor.execute(f'ALTER TABLE "{PARENT}" RENAME TO "{OLD}"')
        cursor.execute(f'ALTER TABLE "{OLD}" RENAME CONSTRAINT "{PARENT}_pkey" TO "{OLD}_pkey"')
        for name, _definition in indexes:
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:55]}_old"')
        cursor.execute(
            f'CREATE TABLE "{PARENT}" (LIKE "{OLD}" INCLUDING DEFAULTS INCLUDING IDENTITY '
            f"INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)"
        )
        cursor.execute(f'ALTER TABLE "{PARENT}" ADD CONSTRAINT "{PARENT}_pkey" PRIMARY KEY (id)')
        cursor.execute(f'INSERT INTO "{PARENT}" SELECT * FROM "{OLD}"')
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{PARENT}', 'id'), "
            f'COALESCE((SELECT max(id) FROM "{OLD}"), 0) + 1, false)'
        )
        cursor.execute(f'DROP TABLE "{OLD}" CASCADE')
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(
            f'CREATE UNIQUE INDEX "{CHAIN_INDEX}" ON "{PARENT}" (chain, chain_position) '
            "WHERE NOT (chain = '')"
        )
        cursor.execute(
            f"CREATE TRIGGER audit_auditrecord_append_only BEFORE UPDATE OR DELETE ON "
            f'"{PARENT}" FOR EACH ROW EXECUTE FUNCTION opstap_audit_append_only()'
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_denied_read_action")]

    operations = [migrations.RunPython(forward, reverse)]
