"""Short-lived cache of the caseload's per-step counts (issue 4: caseload page at national
scale).

The chart "Klanten per trede" and the size of the caseload list come from one grouped count
over everything the user may see. For a case manager of a unit at national scale that is a
quarter of a million rows: ~30-80 ms of index-only scanning on every page view, the largest
cost of the page. Paging, sorting and switching the step filter do not change those counts,
so they are kept in Django's cache:

- the key is a hash of the aggregate's SQL and parameters, so the user's scope (own caseload,
  unit positions from the ladder mapping valid today), every filter and the date are part of
  it: a different scope or filter can never read another one's counts;
- only aggregates over the clients table alone are cached (no join, no subquery): those are
  the ones a client write can change, and every client write bumps the organisation's version
  (post_save/post_delete of Client, and `client_counts_changed` after the bulk writes of the
  import and the demo loader), which makes all its cached counts unreachable at once;
- entries live `TTL_SECONDS` at most, the bound for writes outside the ORM or, with the
  default per-process memory cache, for writes handled by another worker process (point
  CACHES at a shared cache such as Redis to make invalidation global);
- the page shows when the counts were computed.

The rows of the list are never cached: they are read live on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import timezone

TTL_SECONDS = 60
_PREFIX = "opstap:clients:step-counts"


def _version_key(organisation_id: int | None) -> str:
    return f"{_PREFIX}:version:{organisation_id}"


def client_counts_changed(organisation_id: int | None) -> None:
    """Make every cached count of this organisation unreachable (a client was written)."""
    key = _version_key(organisation_id)
    try:
        cache.incr(key)
    except ValueError:
        # Not there (first write, or evicted): start from the current time in ms, so that a
        # version number used before the eviction is not reused.
        cache.set(key, int(timezone.now().timestamp() * 1000), None)


def _version(organisation_id: int | None) -> int:
    """The organisation's current version. A missing one (never written, or evicted from the
    cache) starts at the current time in ms, never at a number used before, so entries cached
    under an older version cannot become reachable again."""
    key = _version_key(organisation_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, int(timezone.now().timestamp() * 1000), None)
        version = cache.get(key, 0)
    return int(version)


def client_counts_changed_now_and_on_commit(organisation_id: int | None) -> None:
    """Bump now (the writing transaction itself reads fresh counts) and again after commit
    (counts another request computed and cached meanwhile, from the data before the commit,
    become unreachable too)."""
    from django.db import transaction

    client_counts_changed(organisation_id)
    transaction.on_commit(lambda: client_counts_changed(organisation_id))


def _on_client_write(sender: Any, instance: Any, **kwargs: Any) -> None:
    client_counts_changed_now_and_on_commit(getattr(instance, "organisation_id", None))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Client

    post_save.connect(_on_client_write, sender=Client, dispatch_uid="clients_counts_save")
    post_delete.connect(_on_client_write, sender=Client, dispatch_uid="clients_counts_delete")


def _key(qs: QuerySet[Any], organisation_id: int | None) -> str | None:
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None  # nothing visible: answered without a query anyway
    if " JOIN " in sql or sql.upper().count("SELECT") != 1:
        return None  # depends on other tables: their writes do not bump the version
    version = _version(organisation_id)
    digest = hashlib.sha256(repr((sql, tuple(map(str, params)))).encode()).hexdigest()
    return f"{_PREFIX}:{organisation_id}:{version}:{digest}"


def cached_counts(
    aggregate: QuerySet[Any], *, organisation_id: int | None
) -> tuple[dict[str, int], dt.datetime]:
    """`dict(aggregate)` (rows of key, count) and the moment it was computed, from the cache
    when possible."""
    key = _key(aggregate, organisation_id)
    hit = cache.get(key) if key is not None else None
    if hit is not None:
        counts, computed_at = hit
        return dict(counts), computed_at
    counts = dict(aggregate)
    computed_at = timezone.now()
    if key is not None:
        cache.set(key, (counts, computed_at), TTL_SECONDS)
    return counts, computed_at


def cached_count(qs: QuerySet[Any], *, organisation_id: int | None) -> int:
    """`qs.count()` through the same cache: paging through a long list (API clients do)
    counts it once, not on every page."""
    ids = qs.select_related(None).order_by().values_list("pk")
    key = _key(ids, organisation_id)
    key = f"{key}:count" if key is not None else None
    hit = cache.get(key) if key is not None else None
    if hit is not None:
        return int(hit)
    count = qs.count()
    if key is not None:
        cache.set(key, count, TTL_SECONDS)
    return count
