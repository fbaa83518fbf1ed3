"""A tamper-evident audit trail that the application cannot erase (R-SEC-2, issue 19 item 6).

- every record is linked in a hash chain per organisation and day, also the multi-row insert
  of `audit_log_many`; `audit_verify` names a changed record, a removed one and a cut tail;
- on PostgreSQL the application role (grants of docs/operations.md) can neither TRUNCATE the
  audit table nor disable its append-only trigger."""

from __future__ import annotations

import io
import itertools
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from opstap.audit.chain import GENESIS, row_hash, verify_chain
from opstap.audit.db_roles import grants_sql
from opstap.audit.models import AuditChainHead, AuditRecord
from opstap.audit.services import audit_log, audit_log_many

DOCS = Path(__file__).resolve().parents[4] / "docs" / "operations.md"


def _owner_sql(sql: str, params: list[Any]) -> None:
    """Change the trail as the table owner would: around the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditrecord_no_update")
            cursor.execute(sql, params)
            import importlib

            from opstap.audit.migrations import __path__ as _  # noqa: F401

            trigger = importlib.import_module("opstap.audit.migrations.0003_append_only_trigger")
            cursor.execute(trigger.SQLITE_FORWARD)


def _verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _write(org: Any) -> list[AuditRecord]:
    audit_log(action="read", object_type="client", object_id=1, organisation_id=org.pk)
    audit_log_many(
        [
            {"organisation_id": org.pk, "action": "list", "object_type": "client", "object_id": i}
            for i in range(5)
        ]
    )
    audit_log(
        action="update",
        object_type="client",
        object_id=2,
        organisation_id=org.pk,
        changes={"city": ["Duiven", "Zevenaar"], "n": 3},
        purpose="Adres gewijzigd",
    )
    return list(AuditRecord.objects.order_by("chain_position"))


def test_every_record_is_linked_also_the_multi_row_insert(org: Any) -> None:
    """R-SEC-2: audit_log and the multi-row audit_log_many link each record to the previous
    one; the chain head holds the length and the last hash; verify is clean."""
    records = _write(org)
    assert [r.chain_position for r in records] == [1, 2, 3, 4, 5, 6, 7]
    assert records[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(records))
    head = AuditChainHead.objects.get(chain=records[0].chain)
    assert (head.length, head.last_hash) == (7, records[-1].row_hash)
    assert "In orde: 7 regels" in _verify()


def test_verify_names_a_changed_record(org: Any) -> None:
    """R-SEC-2 (issue 19): a record changed by the table owner (trigger disabled) is found
    and named by audit_verify."""
    records = _write(org)
    target = records[3]
    _owner_sql("UPDATE audit_auditrecord SET purpose = %s WHERE id = %s", ["gewist", target.pk])
    with pytest.raises(CommandError, match="aangetast"):
        out = io.StringIO()
        call_command("audit_verify", stdout=out)
    assert f"regel {target.pk}: de inhoud is gewijzigd" in out.getvalue()


def test_verify_finds_removed_records(org: Any) -> None:
    """R-SEC-2: a record removed from the middle breaks the next link; one removed at the
    end makes the chain shorter than its head."""
    records = _write(org)
    _owner_sql(
        "DELETE FROM audit_auditrecord WHERE id IN (%s, %s)", [records[2].pk, records[-1].pk]
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", stdout=out)
    text = out.getvalue()
    assert f"regel {records[3].pk}: de verwijzing naar de vorige regel klopt niet" in text
    assert "einde van de keten: de keten telt 6 regels maar hoort er 7" in text


@given(st.lists(st.text(max_size=20), min_size=1, max_size=8), st.data())
def test_any_single_change_is_detected(purposes: list[str], data: st.DataObject) -> None:
    """R-SEC-2 (property, pure): changing any field of any record breaks the chain there."""
    import datetime as dt

    rows = []
    prev = GENESIS
    for position, purpose in enumerate(purposes, start=1):
        content = {"purpose": purpose, "timestamp": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
        digest = row_hash(prev, content)
        rows.append((position, position, prev, digest, content))
        prev = digest
    assert verify_chain("1:2026-01-01", rows, head_length=len(rows), head_hash=prev) == []
    index = data.draw(st.integers(0, len(rows) - 1))
    record_id, position, before, digest, content = rows[index]
    rows[index] = (
        record_id,
        position,
        before,
        digest,
        {**content, "purpose": content["purpose"] + "x"},
    )
    problems = verify_chain("1:2026-01-01", rows, head_length=len(rows), head_hash=prev)
    assert [p.record_id for p in problems] == [record_id]


def test_docs_give_the_grants_that_are_tested() -> None:
    """The grants in docs/operations.md are the ones the PostgreSQL test applies."""
    assert grants_sql() in DOCS.read_text()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and TRUNCATE")
def test_app_role_can_neither_truncate_nor_disable_the_trigger(org: Any) -> None:
    """R-SEC-2 (issue 19 item 6): on PostgreSQL TRUNCATE and DISABLE TRIGGER bypassed the
    append-only guard. Connected as the application role with the documented grants, both
    fail (and so do UPDATE and DELETE), while the application's own writes still work."""
    audit_log(action="read", object_type="client", object_id=1, organisation_id=org.pk)
    role = f"opstap_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(grants_sql(role))
        cursor.execute(f"SET ROLE {role}")
        try:
            for sql in (
                "TRUNCATE audit_auditrecord",
                "TRUNCATE audit_auditrecord CASCADE",
                "ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_auditrecord_append_only",
                "ALTER TABLE audit_auditrecord DISABLE TRIGGER ALL",
                "DROP TRIGGER audit_auditrecord_append_only ON audit_auditrecord",
                "UPDATE audit_auditrecord SET purpose = 'x'",
                "DELETE FROM audit_auditrecord",
            ):
                with pytest.raises(Exception) as info, transaction.atomic():
                    cursor.execute(sql)
                assert "permission denied" in str(info.value) or "must be owner" in str(
                    info.value
                ), (sql, info.value)
            with transaction.atomic():  # the application itself still writes and reads
                audit_log(action="read", object_type="client", object_id=2, organisation_id=org.pk)
                audit_log_many([{"organisation_id": org.pk, "action": "list", "object_id": 3}])
            cursor.execute("SELECT count(*) FROM audit_auditrecord")
            assert cursor.fetchone()[0] == 3
        finally:
            cursor.execute("RESET ROLE")
    assert "In orde: 3 regels" in _verify()
