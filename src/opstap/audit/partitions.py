"""The audit trail partitioned by month on PostgreSQL (issue 18, R-SEC-2).

Every read of a dossier adds a record, so the audit table is the fastest-growing table. On
PostgreSQL it is a declaratively partitioned table, `PARTITION BY RANGE ("timestamp")`, one
partition per calendar month in UTC (`audit_auditrecord_p2026_12`), plus a default partition
that catches a record whose month has no partition yet (nothing is ever refused or lost).

- `audit_partitions_ensure` creates the partitions of the current month and the months ahead
  (Celery beat, daily: `opstap.audit.ensure_partitions`). A month's partition is created
  before records arrive, so the default partition stays empty in normal operation.
- `audit_partitions_drop_empty_before` drops whole months before a date once the retention
  policy has removed every record in them (`retention_purge_audit` removes the records per
  organisation with their chain heads; an emptied month is then dropped as a whole). Dropping
  a partition is DDL by the table's owner: the append-only row trigger is never switched off
  for it and never sees it.

Each partition carries the chain's uniqueness `(chain, chain_position)` itself: PostgreSQL
requires the partition key in a unique index on the parent, and a chain (one organisation, one
UTC day) never crosses a month, so per-partition uniqueness is the same rule.

SQLite (demo, quick tests) keeps one plain table; every function here is then a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

__all__ = [
    "PARENT",
    "Partition",
    "audit_partitions",
    "audit_partitions_drop_empty_before",
    "audit_partitions_ensure",
    "is_partitioned",
    "month_start",
    "partition_name",
]

PARENT = "audit_auditrecord"
DEFAULT_PARTITION = f"{PARENT}_default"


@dataclass(frozen=True, slots=True)
class Partition:
    name: str
    month: dt.date | None  # first day of the month; None for the default partition
    rows: int


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def partition_name(month: dt.date) -> str:
    return f"{PARENT}_p{month:%Y_%m}"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "WHERE c.relname = %s AND c.relnamespace = 'public'::regnamespace",
            [PARENT],
        )
        return cursor.fetchone() is not None


def _create_month(cursor: object, month: dt.date) -> bool:
    """Create the partition of `month` with its chain uniqueness; False if it existed."""
    name = partition_name(month)
    cursor.execute("SELECT to_regclass(%s)", [name])  # type: ignore[attr-defined]
    if cursor.fetchone()[0] is not None:  # type: ignore[attr-defined]
        return False
    low = f"{month.isoformat()} 00:00:00+00"
    high = f"{_next_month(month).isoformat()} 00:00:00+00"
    cursor.execute(  # type: ignore[attr-defined]
        f"CREATE TABLE \"{name}\" PARTITION OF \"{PARENT}\" FOR VALUES FROM ('{low}') TO ('{high}')"
    )
    cursor.execute(  # type: ignore[attr-defined]
        f'CREATE UNIQUE INDEX "{name}_chain_pos" ON "{name}" (chain, chain_position) '
        "WHERE NOT (chain = '')"
    )
    return True


def audit_partitions_ensure(*, today: dt.date, months_ahead: int = 3) -> list[str]:
    """Create the partitions from `today`'s month up to `months_ahead` months later (and, the
    first time, those of the months that already hold records in the default partition, which
    are moved into them). Idempotent. Returns the names of the partitions it created."""
    if not is_partitioned():
        return []
    created: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', \"timestamp\" AT TIME ZONE 'UTC')::date "  # noqa: S608 (our constant)
            f'FROM "{DEFAULT_PARTITION}"'
        )
        stranded = sorted(row[0] for row in cursor.fetchall())
        if stranded:
            # Rows in the default partition block creating their month's partition: move them.
            cursor.execute(f'ALTER TABLE "{PARENT}" DETACH PARTITION "{DEFAULT_PARTITION}"')
            created.extend(partition_name(m) for m in stranded if _create_month(cursor, m))
            cursor.execute(f'ALTER TABLE "{DEFAULT_PARTITION}" DISABLE TRIGGER USER')
            cursor.execute(f'INSERT INTO "{PARENT}" SELECT * FROM "{DEFAULT_PARTITION}"')  # noqa: S608
            cursor.execute(f'TRUNCATE "{DEFAULT_PARTITION}"')
            cursor.execute(f'ALTER TABLE "{DEFAULT_PARTITION}" ENABLE TRIGGER USER')
            cursor.execute(f'ALTER TABLE "{PARENT}" ATTACH PARTITION "{DEFAULT_PARTITION}" DEFAULT')
        month = month_start(today)
        for _ in range(months_ahead + 1):
            if _create_month(cursor, month):
                created.append(partition_name(month))
            month = _next_month(month)
    return created


def audit_partitions() -> list[Partition]:
    """The partitions with their month and exact row count (oldest first, default last)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
            [PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
        result: list[Partition] = []
        for name in names:
            cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 (a name from pg_class)
            rows = int(cursor.fetchone()[0])
            month = None
            if name != DEFAULT_PARTITION:
                year, number = name.removeprefix(f"{PARENT}_p").split("_")
                month = dt.date(int(year), int(number), 1)
            result.append(Partition(name=name, month=month, rows=rows))
    result.sort(key=lambda p: (p.month is None, p.month or dt.date.max))
    return result


def audit_partitions_drop_empty_before(*, before: dt.date) -> list[str]:
    """Drop the partitions of whole months that end on or before `before` and hold no record
    any more (the retention policy removed them). A month that still holds a record is kept:
    this never deletes a record. Returns the names dropped."""
    dropped: list[str] = []
    for partition in audit_partitions():
        if partition.month is None or _next_month(partition.month) > before:
            continue
        if partition.rows:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{PARENT}" DETACH PARTITION "{partition.name}"')
            cursor.execute(f'DROP TABLE "{partition.name}"')
        dropped.append(partition.name)
    return dropped
