"""The audit of listed rows is on the path of every list (R-SEC-2, issue 18): a page of 25 rows
writes 25 `list` records linked in the hash chain. What it writes is fixed by the other audit
tests; these hold how it is computed to the same bytes, and its cost.

- `_canonical_many` (each field's text made once per distinct value) gives, byte for byte, what
  `chain.canonical(_normalised(record))` gives, for records of every kind;
- `audit_listed` of 25 rows writes the 25 records with their fields, in a chain that verifies,
  in a budget of Python calls (9,800 before 7 December 2026: the chain head read and updated
  through the ORM, every field of every row normalised, written and prepared on its own)."""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import itertools
import pstats
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.audit import chain as hash_chain
from opstap.audit.models import AuditRecord
from opstap.audit.services import _canonical_many, _normalised, audit_listed

_TEXT = st.text(max_size=12)
_ID = st.one_of(st.none(), st.integers(-(2**40), 2**40))
_MOMENT = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),
    max_value=dt.datetime(2030, 1, 1),
    timezones=st.sampled_from(
        [dt.UTC, dt.timezone(dt.timedelta(hours=1)), dt.timezone(-dt.timedelta(hours=5))]
    ),
)
_CHANGE = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["city", "password", "Token", "n", "ë"]),
        st.one_of(
            _TEXT,
            st.integers(),
            st.booleans(),
            st.none(),
            st.dates().map(lambda d: [d, None]),
            st.decimals(allow_nan=False, places=2, min_value=-1000, max_value=1000),
        ),
        max_size=3,
    ),
)


@st.composite
def _records(draw: Any) -> list[dict[str, Any]]:
    """A call's records: shared values (as a list's rows have) and values of their own, of
    every type a field may be given (ids as int, bool or text; absent fields)."""
    shared = {
        "timestamp": draw(_MOMENT),
        "organisation_id": draw(_ID),
        "actor_username": draw(_TEXT),
        "action": draw(st.sampled_from(["list", "read", "update"])),
    }
    records = []
    for _ in range(draw(st.integers(1, 6))):
        record = dict(shared)
        record["object_id"] = draw(st.one_of(_TEXT, st.integers(0, 10**6), st.booleans()))
        record["client_id"] = draw(st.one_of(_ID, st.booleans()))
        if draw(st.booleans()):
            record["purpose"] = draw(_TEXT)
        if draw(st.booleans()):
            record["changes"] = draw(_CHANGE)
        if draw(st.booleans()):
            record["ip_address"] = draw(st.sampled_from([None, "10.0.0.1", "::1"]))
        if draw(st.booleans()):
            record["actor_id"] = draw(st.one_of(_ID, st.just(True), st.just("7")))
        records.append(record)
    return records


@settings(max_examples=300, deadline=None)
@given(_records())
def test_canonical_many_writes_what_canonical_writes(records: list[dict[str, Any]]) -> None:
    """R-SEC-2: the hash covers the same canonical bytes, however they are computed."""
    assert _canonical_many(records) == [
        hash_chain.canonical(_normalised(record)) for record in records
    ]


class _Row:
    def __init__(self, pk: int) -> None:
        self.pk, self.client_id = pk, 1000 + pk


def _listed(user: User) -> tuple[Any, list[_Row]]:
    request = RequestFactory().get("/klanten/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    return request, [_Row(pk) for pk in range(1, 26)]


def test_audit_listed_writes_one_record_per_row_in_a_chain_that_verifies(
    case_manager: User,
) -> None:
    """R-SEC-2: 25 listed rows, 25 `list` records with the user, roles, object, client,
    purpose and address; linked one after the other; `audit_verify` finds no problem."""
    request, rows = _listed(case_manager)
    audit_listed(request, rows, object_type="client", purpose="Caseload bekijken")
    audit_listed(request, rows[:3], object_type="client", purpose="Caseload bekijken")
    records = list(AuditRecord.objects.order_by("chain", "chain_position"))
    assert [(r.object_id, r.client_id) for r in records] == [
        (str(n), 1000 + n) for n in [*range(1, 26), 1, 2, 3]
    ]
    roles = ",".join(sorted(case_manager.role_codes))
    assert {
        (
            r.organisation_id,
            r.actor_id,
            r.actor_username,
            r.actor_roles,
            r.action,
            r.object_type,
            r.purpose,
            r.result,
            r.ip_address,
            r.changes,
            r.real_actor_id,
            r.real_actor_username,
        )
        for r in records
    } == {
        (
            case_manager.organisation_id,
            case_manager.pk,
            case_manager.username,
            roles,
            "list",
            "client",
            "Caseload bekijken",
            "ok",
            "10.1.2.3",
            None,
            None,
            "",
        )
    }
    assert [r.chain_position for r in records] == list(range(1, 29))
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(records))
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "fout" not in out.getvalue().lower()


def test_audit_listed_of_25_rows_stays_within_its_budget(case_manager: User) -> None:
    """Issue 18: auditing a page of 25 rows is one link of the chain (head read and locked,
    advanced once) and one INSERT, in at most 5,000 Python calls (before 7 December 2026: 9,800
    on PostgreSQL, 7,800 on SQLite; since then 4,000 and 2,900). On PostgreSQL the link and the
    INSERT are ONE statement (R-SEC-2; before 7 December 2026, session 21: three, inside
    BEGIN and COMMIT)."""
    request, rows = _listed(case_manager)
    audit_listed(request, rows, object_type="client", purpose="Caseload bekijken")  # warm
    with CaptureQueriesContext(connection) as queries:
        audit_listed(request, rows, object_type="client", purpose="Caseload bekijken")
    writes = [q["sql"] for q in queries.captured_queries]
    assert sum("audit_auditrecord" in sql for sql in writes) == 1
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and "opstap_audit_link(" in writes[0], writes
    else:
        assert sum("audit_auditchainhead" in sql for sql in writes) == 2  # locked, advanced
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(5):
        audit_listed(request, rows, object_type="client", purpose="Caseload bekijken")
    profile.disable()
    calls = pstats.Stats(profile).total_calls / 5  # type: ignore[attr-defined]
    assert calls <= 5_000, calls
    if connection.vendor == "postgresql":  # one statement: 2,500 (session 21)
        assert calls <= 3_000, calls
