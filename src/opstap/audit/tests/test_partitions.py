"""The audit trail partitioned by month on PostgreSQL (issue 18, R-SEC-2): a record lands in
its month's partition or, for a month without one yet, in the default partition, never lost;
the daily job creates the months ahead and moves stranded records into their month; an
emptied old month is dropped whole; the append-only guard and the hash chain hold throughout.
On SQLite the trail is one plain table and these functions change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from opstap.audit.management.commands.audit_verify import verify
from opstap.audit.models import AuditRecord
from opstap.audit.partitions import (
    audit_partitions,
    audit_partitions_drop_empty_before,
    audit_partitions_ensure,
    is_partitioned,
    partition_name,
)
from opstap.audit.services import audit_log
from opstap.audit.tasks import ensure_partitions_task

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def _rows_in(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 (test constant)
        return int(cursor.fetchone()[0])


def test_sqlite_keeps_one_table_and_the_functions_change_nothing() -> None:
    if POSTGRES:
        assert is_partitioned()
        return
    assert not is_partitioned()
    assert audit_partitions_ensure(today=dt.date(2026, 12, 3)) == []
    assert audit_partitions() == []
    assert audit_partitions_drop_empty_before(before=dt.date(2030, 1, 1)) == []


def test_records_land_in_their_month_and_stranded_ones_are_moved() -> None:
    if not POSTGRES:
        return
    with time_machine.travel(dt.datetime(2031, 3, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        stranded = audit_log(action="read", object_type="client", object_id=1, purpose="test")
    assert _rows_in("audit_auditrecord_default") >= 1, "a month without partition: default"
    created = audit_partitions_ensure(today=dt.date(2031, 3, 15), months_ahead=2)
    assert created == [partition_name(dt.date(2031, m, 1)) for m in (3, 4, 5)]
    assert _rows_in("audit_auditrecord_default") == 0
    assert _rows_in("audit_auditrecord_p2031_03") == 1
    assert AuditRecord.objects.get(pk=stranded.pk).purpose == "test"
    # Idempotent; the next record of that month goes straight into its partition.
    assert audit_partitions_ensure(today=dt.date(2031, 3, 16), months_ahead=2) == []
    with time_machine.travel(dt.datetime(2031, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        audit_log(action="read", object_type="client", object_id=2, purpose="test")
    assert _rows_in("audit_auditrecord_p2031_03") == 2
    _chains, records, problems = verify()
    assert problems == [] and records >= 2


def test_append_only_holds_in_every_partition() -> None:
    if not POSTGRES:
        return
    audit_partitions_ensure(today=dt.date(2031, 3, 15), months_ahead=0)
    with time_machine.travel(dt.datetime(2031, 3, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        record = audit_log(action="read", object_type="client", object_id=3, purpose="test")
    for statement in (
        "UPDATE audit_auditrecord SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditrecord WHERE id = %s",
        "UPDATE \"audit_auditrecord_p2031_03\" SET purpose = 'x' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).purpose == "test"


def test_only_emptied_old_months_are_dropped() -> None:
    """A month that still holds a record is never dropped; an empty one before the date is."""
    if not POSTGRES:
        return
    assert ensure_partitions_task.delay().get() is not None  # the beat task runs
    audit_partitions_ensure(today=dt.date(2031, 1, 10), months_ahead=2)
    with time_machine.travel(dt.datetime(2031, 2, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        audit_log(action="read", object_type="client", object_id=4, purpose="test")
    dropped = audit_partitions_drop_empty_before(before=dt.date(2031, 4, 1))
    assert partition_name(dt.date(2031, 1, 1)) in dropped
    assert partition_name(dt.date(2031, 3, 1)) in dropped
    assert partition_name(dt.date(2031, 2, 1)) not in dropped
    names = {p.name for p in audit_partitions()}
    assert partition_name(dt.date(2031, 2, 1)) in names
    assert "audit_auditrecord_default" in names
