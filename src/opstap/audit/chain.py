"""The tamper-evident audit trail (R-SEC-2): a hash chain per organisation and day.

Pure: no ORM. Each record's hash covers the previous record's hash in the same chain and the
record's canonical content (every stored field, normalised, as sorted compact JSON):

    row_hash = sha256(prev_hash + "\\n" + canonical(record))

A changed record no longer matches its own hash; a removed record breaks the link of the
next one (its `prev_hash`); removed records at the end are found by comparing with the chain
head (its length and last hash), which is kept in another table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

#: The stored fields a record's hash covers (everything except the chain columns and id).
CHAINED_FIELDS = (
    "timestamp",
    "organisation_id",
    "actor_id",
    "actor_username",
    "actor_roles",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "purpose",
    "result",
    "ip_address",
    "real_actor_id",
    "real_actor_username",
    "changes",
)


def chain_key(organisation_id: int | None, timestamp: dt.datetime) -> str:
    """One chain per organisation and UTC day ('0' for records without an organisation)."""
    return f"{organisation_id or 0}:{timestamp.astimezone(dt.UTC).date().isoformat()}"


def plain(value: Any) -> Any:
    """A value as the canonical JSON holds it (a moment in UTC, a date as ISO text)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def json_text(value: Any) -> str:
    """`value` in the canonical JSON's notation (sorted keys, compact, UTF-8 as is): an
    object of several fields is `{` + each `json_text(name):json_text(value)` in name order
    joined by `,` + `}`, byte for byte what `canonical` gives."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical(record: Mapping[str, Any]) -> bytes:
    content = {name: plain(record.get(name)) for name in CHAINED_FIELDS}
    return json_text(content).encode()


def row_hash_of(prev_hash: str, canonical_record: bytes) -> str:
    """`row_hash` of a record whose canonical bytes are known."""
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical_record).hexdigest()


def row_hash(prev_hash: str, record: Mapping[str, Any]) -> str:
    return row_hash_of(prev_hash, canonical(record))


@dataclass(frozen=True)
class Problem:
    chain: str
    record_id: int | None
    message: str


def verify_chain(
    chain: str,
    rows: Iterable[tuple[int, int, str, str, Mapping[str, Any]]],
    *,
    head_length: int | None,
    head_hash: str | None,
) -> list[Problem]:
    """Check one chain. `rows` are (id, position, prev_hash, row_hash, content) in position
    order; the head is what the chain table says its length and last hash are."""
    problems: list[Problem] = []
    expected_prev = GENESIS
    count = 0
    for record_id, position, prev, stored, content in rows:
        count += 1
        if position != count:
            problems.append(
                Problem(chain, record_id, f"positie {position} verwacht {count}: regel ontbreekt")
            )
        if prev != expected_prev:
            problems.append(
                Problem(
                    chain,
                    record_id,
                    "de verwijzing naar de vorige regel klopt niet (regel ontbreekt of gewijzigd)",
                )
            )
        if row_hash(prev, content) != stored:
            problems.append(Problem(chain, record_id, "de inhoud is gewijzigd (hash klopt niet)"))
        expected_prev = stored
        count = position
    if head_length is not None and (count != head_length or expected_prev != head_hash):
        problems.append(
            Problem(
                chain,
                None,
                f"de keten telt {count} regels maar hoort er {head_length} te hebben "
                "(regels verwijderd)",
            )
        )
    return problems
