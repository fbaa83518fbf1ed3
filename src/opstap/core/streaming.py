"""Reading a large query in constant memory, also behind PgBouncer.

`QuerySet.iterator(chunk_size=...)` streams through a server-side cursor on PostgreSQL. Behind
PgBouncer in transaction mode server-side cursors are off (`DISABLE_SERVER_SIDE_CURSORS`,
settings: OPSTAP_DB_POOLER), and then the driver fetches the whole result into memory before
the first row: a national SRG month would hold millions of rows. `stream_values` pages by
primary key instead (keyset pagination: `pk > last ORDER BY pk LIMIT n`), one short query per
page, so memory stays at one page whatever the database setting."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connections
from django.db.models import QuerySet

__all__ = ["iterator_streams", "stream_values"]


def iterator_streams(alias: str) -> bool:
    """Whether `QuerySet.iterator()` streams on this database: SQLite reads in chunks, and
    PostgreSQL through a server-side cursor unless those are off (behind PgBouncer)."""
    connection = connections[alias]
    return bool(connection.features.can_use_chunked_reads) and not connection.settings_dict.get(
        "DISABLE_SERVER_SIDE_CURSORS"
    )


def stream_values(
    queryset: QuerySet[Any], *fields: str, chunk_size: int = 5_000
) -> Iterator[tuple[Any, ...]]:
    """`queryset.values_list("pk", *fields)` in primary-key order, in constant memory: with
    `.iterator()` where that streams, else page by page on the primary key. Every row starts
    with its primary key."""
    rows = queryset.order_by("pk").values_list("pk", *fields)
    if iterator_streams(queryset.db):
        yield from rows.iterator(chunk_size=chunk_size)
        return
    last: Any = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        chunk = list(page[:chunk_size])
        yield from chunk
        if len(chunk) < chunk_size:
            return
        last = chunk[-1][0]
