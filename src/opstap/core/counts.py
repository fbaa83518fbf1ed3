"""The counts cache: short-lived, exact caches of counts over one table (issues 4 and 6:
lists at national scale). Used by the clients' caseload and the trajectory lists (pages and
API); the paginators here are used by the API and the overview pages.

A paginated list shows its total, and a chart of a caseload shows counts per group. At
national scale such a count scans tens of thousands of index entries on every page view
(10-80 ms), while paging, sorting and switching pages never change it. A `CountsCache` keeps
those counts in Django's cache, for one table (one *namespace*):

- the key is a hash of the count's SQL and parameters, so the user's scope, every filter and
  the date are part of it: a different scope or filter can never read another one's count;
- only counts over the namespace's table are cached, or over a join of it with the tables of
  the namespaces it `depends_on` (no subquery): those are the ones a write to those tables
  can change, and every write bumps the organisation's version of the table's namespace (the
  owning app calls `connect_writes(Model)` from its `AppConfig.ready`, and
  `changed_now_and_on_commit` after bulk writes and `.update()`). The key holds the version
  of the namespace and of each one it depends on, so a write to any of the joined tables
  makes the count unreachable at once (the case manager's trajectories are those of the
  clients they see: a join with the clients);
- entries live `ttl_seconds` at most, the bound for writes outside the ORM or, with the
  default per-process memory cache, for writes handled by another worker process (point
  CACHES at a shared cache such as Redis, `REDIS_URL`, to make invalidation global).

The rows of a list are never cached: they are read live on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model, QuerySet, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.functional import cached_property

#: The tables whose writes bump each namespace (filled by `connect_writes`).
_TABLES: dict[str, set[str]] = {}
_TABLE_RE = re.compile(r'(?:FROM|JOIN) "([^"]+)"')

T = TypeVar("T")


@dataclass(frozen=True)
class CountsCache:
    prefix: str
    ttl_seconds: int = 60
    depends_on: tuple[CountsCache, ...] = ()

    def _joinable(self, sql: str) -> bool:
        """Whether every table of `sql` is one whose writes bump this namespace or one it
        depends on (a join with an unknown table is never cached)."""
        covered = set(_TABLES.get(self.prefix, ()))
        for other in self.depends_on:
            covered |= _TABLES.get(other.prefix, set())
        tables = set(_TABLE_RE.findall(sql))
        return bool(tables) and tables <= covered

    def _version_key(self, organisation_id: int | None) -> str:
        return f"{self.prefix}:version:{organisation_id}"

    def changed(self, organisation_id: int | None) -> None:
        """Make every cached count of this organisation unreachable (a row was written)."""
        key = self._version_key(organisation_id)
        try:
            cache.incr(key)
        except ValueError:
            # Not there (first write, or evicted): start from the current time in ms, so that
            # a version number used before the eviction is not reused.
            cache.set(key, int(timezone.now().timestamp() * 1000), None)

    def changed_now_and_on_commit(self, organisation_id: int | None) -> None:
        """Bump now (the writing transaction itself reads fresh counts) and again after commit
        (counts another request computed and cached meanwhile, from the data before the
        commit, become unreachable too)."""
        self.changed(organisation_id)
        transaction.on_commit(lambda: self.changed(organisation_id))

    def _version(self, organisation_id: int | None) -> int:
        """The organisation's current version. A missing one (never written, or evicted)
        starts at the current time in ms, never at a number used before, so entries cached
        under an older version cannot become reachable again."""
        key = self._version_key(organisation_id)
        version = cache.get(key)
        if version is None:
            cache.add(key, int(timezone.now().timestamp() * 1000), None)
            version = cache.get(key, 0)
        return int(version)

    def _key(self, qs: QuerySet[Any], organisation_id: int | None) -> str | None:
        try:
            sql, params = qs.query.sql_with_params()
        except EmptyResultSet:
            return None  # nothing visible: answered without a query anyway
        if sql.upper().count("SELECT") != 1 or (" JOIN " in sql and not self._joinable(sql)):
            return None  # depends on other tables: their writes do not bump the version
        version = ".".join(str(c._version(organisation_id)) for c in (self, *self.depends_on))
        digest = hashlib.sha256(repr((sql, tuple(map(str, params)))).encode()).hexdigest()
        return f"{self.prefix}:{organisation_id}:{version}:{digest}"

    def keyed(
        self, identity: tuple[Any, ...], compute: Callable[[], T], *, organisation_id: int | None
    ) -> tuple[T, dt.datetime]:
        """`compute()` and the moment it was computed, cached under `identity` instead of a
        query's SQL (issue 18: compiling a queryset only to find its key cost more than the
        count it found in the cache). The caller guarantees what `_key` checks: `compute`
        counts rows of this namespace's table (or of those it depends on) only, and
        `identity` names everything else the number depends on — what is counted, and the
        user's scope as written-out SQL with its parameters (`client_scope_sql`); the
        versions of the namespaces are added here, as for every key."""
        version = ".".join(str(c._version(organisation_id)) for c in (self, *self.depends_on))
        digest = hashlib.sha256(repr(("keyed", identity)).encode()).hexdigest()
        key = f"{self.prefix}:{organisation_id}:{version}:keyed:{digest}"
        hit = cache.get(key)
        if hit is not None:
            value, computed_at = hit
            return value, computed_at
        value = compute()
        computed_at = timezone.now()
        cache.set(key, (value, computed_at), self.ttl_seconds)
        return value, computed_at

    def counts(
        self, aggregate: QuerySet[Any], *, organisation_id: int | None
    ) -> tuple[dict[str, int], dt.datetime]:
        """`dict(aggregate)` (rows of key, count) and the moment it was computed, from the
        cache when possible."""
        key = self._key(aggregate, organisation_id)
        hit = cache.get(key) if key is not None else None
        if hit is not None:
            counts, computed_at = hit
            return dict(counts), computed_at
        counts = dict(aggregate)
        computed_at = timezone.now()
        if key is not None:
            cache.set(key, (counts, computed_at), self.ttl_seconds)
        return counts, computed_at

    def connect_writes(self, model: type[Model]) -> None:
        """Bump the version of the row's organisation on every save and delete of `model`."""

        def on_write(sender: Any, instance: Any, **kwargs: Any) -> None:
            self.changed_now_and_on_commit(getattr(instance, "organisation_id", None))

        _TABLES.setdefault(self.prefix, set()).add(model._meta.db_table)
        uid = f"{self.prefix}:{model._meta.label_lower}"
        post_save.connect(on_write, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(on_write, sender=model, dispatch_uid=f"{uid}:delete", weak=False)

    def _number(
        self,
        qs: QuerySet[Any],
        column: str,
        kind: str,
        compute: Callable[[], int],
        *,
        organisation_id: int | None,
    ) -> int:
        """One number over `qs` (its kind: `count` or `sum`), cached under the key of `qs`'s
        `column` and the versions, or computed when there is no key."""
        key = self._key(qs.select_related(None).order_by().values_list(column), organisation_id)
        key = f"{key}:{kind}" if key is not None else None
        hit = cache.get(key) if key is not None else None
        if hit is not None:
            return int(hit)
        number = compute()
        if key is not None:
            cache.set(key, number, self.ttl_seconds)
        return number

    def total(self, qs: QuerySet[Any], field: str, *, organisation_id: int | None) -> int:
        """`SUM(field)` over `qs` through the cache (a counter column summed over the rows a
        user sees), under the same versions as a count."""
        return self._number(
            qs,
            field,
            "sum",
            lambda: int(qs.order_by().aggregate(total=Sum(field))["total"] or 0),
            organisation_id=organisation_id,
        )

    def count(self, qs: QuerySet[Any], *, organisation_id: int | None) -> int:
        """`qs.count()` through the cache: paging through a long list counts it once, not on
        every page."""
        return self._number(qs, "pk", "count", qs.count, organisation_id=organisation_id)

    def capped_count(self, qs: QuerySet[Any], limit: int, *, organisation_id: int | None) -> int:
        """`min(qs.count(), limit)`, counting at most `limit` rows (`SELECT COUNT(*) FROM (…
        LIMIT limit)`), through the cache under the key of `qs` and the limit: paging through
        an overview, or opening it again, does not walk the same thousand rows again."""
        return self._number(
            qs,
            "pk",
            f"count-to-{limit}",
            lambda: qs.order_by()[:limit].count(),
            organisation_id=organisation_id,
        )


class CachedCountPaginator(Paginator):  # type: ignore[type-arg]  # not generic at runtime
    """Counts through a `CountsCache` (exact: recounted after any write to the table)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        counts: CountsCache,
        organisation_id: int | None,
        total: Callable[[], int | None] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.counts = counts
        self.organisation_id = organisation_id
        self.total = total

    @cached_property
    def count(self) -> int:
        if self.total is not None:
            known = self.total()  # the list's total known another way (a counter)
            if known is not None:
                return known
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        return self.counts.count(self.object_list, organisation_id=self.organisation_id)


class CountedPaginator(Paginator):  # type: ignore[type-arg]  # not generic at runtime
    """A paginator told the (exact) number of objects, known another way (read with the
    page's rows, or from a chart's aggregate), so it runs no COUNT of its own."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


class CappedCountPaginator(Paginator):  # type: ignore[type-arg]  # not generic at runtime
    """Counts at most `cap` + 1 rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`): a screen
    says "meer dan 1.000" instead of counting every one of 500,000 visible rows, and the
    database stops as soon as it knows. `count_capped` tells the template. With `counts`,
    through that counts cache (`CountsCache.capped_count`: exact, recounted after any write
    to its tables; a query it cannot key is counted every time)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int = 1_000,
        counts: CountsCache | None = None,
        organisation_id: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.counts = counts
        self.organisation_id = organisation_id

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return min(len(self.object_list), self.cap + 1)
        if self.counts is not None:
            return self.counts.capped_count(
                self.object_list, self.cap + 1, organisation_id=self.organisation_id
            )
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def count_capped(self) -> bool:
        return self.count > self.cap
