"""One audit write is one statement on PostgreSQL (R-SEC-2, issue 18).

Every list page and dossier writes audit records linked in the hash chain. On PostgreSQL that
took five round trips (BEGIN, the chain head read FOR UPDATE, its UPDATE, the INSERT, COMMIT);
now `opstap_audit_link` (migration 0007) links the rows inside the INSERT statement. These
tests hold that the rows and hashes are the same (`chain.row_hash_of`, non-ASCII text too),
that a write outside a transaction is the one statement and nothing else, that writers at the
same moment never fork a chain, and that one write spanning chains links each (both
databases)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import threading
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.audit import chain as hash_chain
from opstap.audit.models import AuditChainHead, AuditRecord
from opstap.audit.services import _normalised, audit_listed, audit_log, audit_log_many

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the link function is PostgreSQL's"
)

NON_ASCII = "Zoë \u2019s-Hertogenbosch — café ☕ 𝄞"  # a curly apostrophe


def _verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _stored_hashes_are_row_hash_of() -> int:
    """Recompute every stored record's hash in Python (`chain.row_hash_of` over
    `chain.canonical`) and compare; returns how many were compared."""
    records = list(AuditRecord.objects.order_by("chain", "chain_position"))
    for record in records:
        content = {name: getattr(record, name) for name in hash_chain.CHAINED_FIELDS}
        canonical = hash_chain.canonical(_normalised(content))
        assert record.row_hash == hash_chain.row_hash_of(record.prev_hash, canonical), record.pk
    for chain, rows in itertools.groupby(records, key=lambda r: r.chain):
        chained = list(rows)
        assert [r.chain_position for r in chained] == list(range(1, len(chained) + 1)), chain
        assert chained[0].prev_hash == hash_chain.GENESIS
        assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(chained))
        head = AuditChainHead.objects.get(chain=chain)
        assert (head.length, head.last_hash) == (len(chained), chained[-1].row_hash)
    return len(records)


@postgresql_only
@pytest.mark.django_db
def test_the_link_function_hashes_as_row_hash_of() -> None:
    """R-SEC-2: the database computes `sha256(prev + "\\n" + content)` in hex over the UTF-8
    bytes, as `chain.row_hash_of`, also for text outside ASCII (é, a curly apostrophe, ☕,
    a 4-byte 𝄞); it runs with the caller's rights (SECURITY INVOKER)."""
    contents = ['{"a":1}', f'{{"purpose":"{NON_ASCII}"}}', "", "regel\nmet\nenters"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT o_n, o_chain, o_position, o_prev, o_hash "
            "FROM opstap_audit_link(%s::text[], %s::text[])",
            [["7:2026-12-07"] * len(contents), contents],
        )
        rows = cursor.fetchall()
    prev = hash_chain.GENESIS
    expected = []
    for n, content in enumerate(contents, start=1):
        digest = hashlib.sha256(prev.encode() + b"\n" + content.encode()).hexdigest()
        assert digest == hash_chain.row_hash_of(prev, content.encode())
        expected.append((n, "7:2026-12-07", n, prev, digest))
        prev = digest
    assert rows == expected
    head = AuditChainHead.objects.get(chain="7:2026-12-07")
    assert (head.length, head.last_hash) == (4, prev)
    with connection.cursor() as cursor:  # the caller's rights, never the owner's
        cursor.execute("SELECT prosecdef FROM pg_proc WHERE proname = 'opstap_audit_link'")
        assert cursor.fetchall() == [(False,)]


def test_stored_rows_and_hashes_with_non_ascii_content(case_manager: User) -> None:
    """R-SEC-2: records with non-ASCII text in every text field (user name, purpose, object,
    changes) are stored as given, and their hashes are those Python computes."""
    case_manager.username = f"zoë.{NON_ASCII[:8]}"
    request = RequestFactory().get("/klanten/", REMOTE_ADDR="2001:db8::1")
    request.user = case_manager

    class Row:
        def __init__(self, pk: object, client_id: int | None) -> None:
            self.pk, self.client_id = pk, client_id

    audit_listed(
        request, [Row(f"ë{n}", n) for n in range(3)], object_type="client", purpose=NON_ASCII
    )
    record = audit_log(
        action="update",
        actor=case_manager,
        object_type="cliënt",
        object_id="\u2019s-Hertogenbosch",
        purpose=NON_ASCII,
        changes={"woonplaats": ["Zoë", NON_ASCII], "password": "geheim", "n": 1.5},
    )
    stored = AuditRecord.objects.get(pk=record.pk)
    assert (stored.chain, stored.chain_position, stored.prev_hash, stored.row_hash) == (
        record.chain,
        record.chain_position,
        record.prev_hash,
        record.row_hash,
    )
    assert stored.changes == {"woonplaats": ["Zoë", NON_ASCII], "password": "***", "n": 1.5}
    assert stored.purpose == NON_ASCII and stored.actor_username == case_manager.username
    assert [r.object_id for r in AuditRecord.objects.filter(action="list").order_by("id")] == [
        "ë0",
        "ë1",
        "ë2",
    ]
    assert _stored_hashes_are_row_hash_of() == 4
    assert "In orde: 4 regels" in _verify()


def test_one_write_of_several_chains_links_each(org: Any, other_org: Any) -> None:
    """R-SEC-2: one write with records of two organisations and both sides of a UTC day
    boundary links each chain on its own (each from its head) and keeps the rows in the
    order given (their ids)."""
    late = dt.datetime(2026, 12, 6, 23, 59, 59, 999999, tzinfo=dt.UTC)
    early = dt.datetime(2026, 12, 7, 0, 0, tzinfo=dt.UTC)
    audit_log_many(
        [{"organisation_id": other_org.pk, "timestamp": early, "action": "read", "object_id": 0}]
    )
    records = [
        {"organisation_id": org_id, "timestamp": moment, "action": "list", "object_id": n}
        for n, (org_id, moment) in enumerate(
            itertools.product([other_org.pk, org.pk, None], [early, late, early])
        )
    ]
    audit_log_many(records)
    written = list(AuditRecord.objects.filter(action="list").order_by("id"))
    assert [r.object_id for r in written] == [str(n) for n in range(9)]
    assert [r.chain for r in written] == [
        hash_chain.chain_key(r["organisation_id"], r["timestamp"]) for r in records
    ]
    assert [r.chain_position for r in written][:3] == [2, 1, 3]  # other_org's 7 Dec had 1
    assert _stored_hashes_are_row_hash_of() == 10
    assert "In orde: 10 regels" in _verify()


class _Row:
    def __init__(self, pk: int) -> None:
        self.pk, self.client_id = pk, 1000 + pk


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_audit_write_outside_a_transaction_is_one_statement(case_manager: User) -> None:
    """Issue 18 (R-SEC-2): outside a transaction, `audit_listed` of 25 rows and the read of a
    dossier are one statement each on PostgreSQL: no BEGIN and COMMIT (Django never leaves
    autocommit), no chain head statements. Before: BEGIN, SELECT … FOR UPDATE, UPDATE,
    INSERT, COMMIT."""
    request = RequestFactory().get("/klanten/", REMOTE_ADDR="10.1.2.3")
    request.user = case_manager
    rows = [_Row(pk) for pk in range(1, 26)]
    audit_listed(request, rows[:1], object_type="client", purpose="Caseload bekijken")  # warm
    with (
        mock.patch.object(connection, "set_autocommit", wraps=connection.set_autocommit) as begin,
        CaptureQueriesContext(connection) as queries,
    ):
        audit_listed(request, rows, object_type="client", purpose="Caseload bekijken")
        record = audit_log(
            action="read", request=request, object_type="client", object_id=7, client_id=7
        )
    assert len(queries.captured_queries) == 2, [q["sql"] for q in queries.captured_queries]
    assert begin.call_count == 0
    assert connection.get_autocommit()
    assert (record.chain_position, AuditRecord.objects.get(pk=record.pk).row_hash) == (
        27,
        record.row_hash,
    )
    assert _stored_hashes_are_row_hash_of() == 27
    assert "In orde: 27 regels" in _verify()


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writers_at_the_same_moment_never_fork_the_chain(org: Any) -> None:
    """R-SEC-2: six threads (each its own connection), each appending lists and single
    records to the same chains (and creating the day's head at the same moment), leave
    every chain unforked: positions 1..n without a gap or a double, every link right."""
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait(timeout=30)
            for round_ in range(5):
                audit_log_many(
                    [
                        {"organisation_id": org.pk, "action": "list", "object_id": f"{number}.{n}"}
                        for n in range(4)
                    ]
                )
                audit_log(
                    action="read",
                    object_type="client",
                    object_id=f"{number}.{round_}",
                    organisation_id=org.pk if round_ % 2 else None,
                )
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert _stored_hashes_are_row_hash_of() == 6 * 5 * 5
    assert "In orde: 150 regels" in _verify()
