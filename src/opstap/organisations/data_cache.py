"""Organisation data cached across requests, exactly (issue 18, R-SEC-1).

Every page of a case manager reads the same organisation data: the municipalities and the
case managers of a list's filters, the case manager's unit and the ladder mapping valid today
(the client scope). They change a few times a year, but were read on every request, one round
trip each. `organisation_data` keeps them in Django's cache (Redis in production, so shared by
every worker; the per-process memory cache in the demo and tests) under a key that holds

- the organisation's id (the tenant: one organisation's data is never another's),
- `Organisation.data_version`, a counter on the organisation's row,
- what is cached (e.g. the unit of user 7), and the day where validity matters (the ladder
  mapping is dated: the key holds the day it was read for, never "the latest").

**How it stays exact.** Every write that changes cached data bumps `data_version` in the
writer's own transaction, *after* the write (`organisation_data_changed`: connected to
`post_save`/`post_delete` of the models concerned by `connect_organisation_data`, and called
explicitly after a `queryset.update()` or `bulk_create` on them). The reader takes the
version from the organisation row the request reads anyway (the signed-in user's
organisation), before it reads the data. So:

- a reader that read the old version and computes before the writer commits stores the old
  data under the old key: correct for that version;
- a reader that read the old version and computes after the writer's commit stores the new
  data under the old key: harmless — only readers that started before the commit can ask
  for that key, and they get fresher data than they could have read themselves;
- nobody ever finds old data under the new version: the new version becomes visible only with
  the writer's commit, which also makes the new data visible, and a reader reads the data
  after the version (READ COMMITTED: every statement sees what was committed before it).

So a case manager moved to another unit sees the new unit's clients on the very next request,
and a changed mapping, a new municipality or case manager, or a deactivated one shows at once.

Guards that keep the argument true:

- the shared cache is used only inside a request's `request_memo()` (every page's GET, the
  list APIs): there the user and organisation were just read. Elsewhere (services,
  background work, writes) an object may be older than the data, so it computes afresh;
- never inside a transaction (other than a test's): a version a rolled-back transaction
  saw could be reused by the next write, and with it whatever was cached under it;
- never while reads may go to the reporting replica (`core.db_routing`): a lagging replica
  could return old data for a version read on the primary.

The version lives in the database row, never in the cache: an eviction cannot bring an old
version back. Entries expire after `TTL_SECONDS` only to free memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save

from opstap.core.db_routing import reporting_reads_active
from opstap.core.request_memo import memo_active, memo_peek, memoised

from .models import Organisation

__all__ = [
    "ALL_ORGANISATIONS",
    "TTL_SECONDS",
    "connect_organisation_data",
    "organisation_data",
    "organisation_data_changed",
    "organisation_data_for_user",
]

T = TypeVar("T")

#: Entries live a day at most (memory only: exactness comes from the version, not the TTL).
TTL_SECONDS = 24 * 3600

#: What `organisation_of` returns for a row that holds for every organisation (a default
#: ladder mapping row): every organisation's version is bumped.
ALL_ORGANISATIONS = object()


def organisation_data_changed(organisation_id: int | object | None) -> None:
    """Bump the organisation's `data_version` in the caller's transaction (after the write):
    every cached value of that organisation becomes unreachable once the write commits.
    `ALL_ORGANISATIONS` bumps every organisation's; None (no organisation) bumps nothing."""
    if organisation_id is None:
        return
    rows = Organisation.objects.all()
    if isinstance(organisation_id, int):
        rows = rows.filter(pk=organisation_id)
    elif organisation_id is not ALL_ORGANISATIONS:
        raise TypeError(f"Onbekende organisatie: {organisation_id!r}")
    rows.update(data_version=F("data_version") + 1)


def connect_organisation_data(
    model: type[Model],
    organisation_of: Callable[[Any], int | object | None],
    *,
    changes: Callable[[Any, frozenset[str] | None], bool] | None = None,
) -> None:
    """Bump the organisation's version on every save and delete of `model` (the safety net:
    every ORM write, inline in the writer's transaction). `organisation_of(row)` names the
    organisation; `changes(row, update_fields)` may say a save changes nothing cached (a
    user's `last_login`). `queryset.update()` and `bulk_create` send no signals: code that
    uses them on `model` calls `organisation_data_changed` itself."""

    def saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
        fields = frozenset(update_fields) if update_fields is not None else None
        if changes is None or changes(instance, fields):
            organisation_data_changed(organisation_of(instance))

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        organisation_data_changed(organisation_of(instance))

    uid = f"opstap_organisation_data_{model._meta.label_lower}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)


def _in_transaction() -> bool:
    """Inside a transaction of the code (a test's own wrapping transaction does not count:
    to the code under test its rows are committed)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


def _usable() -> bool:
    return memo_active() and not _in_transaction() and not reporting_reads_active()


def _organisation_key(organisation_id: int) -> tuple[str, int]:
    return ("opstap.organisation", organisation_id)


def organisation_data_for_user(
    user: Any,
    what: tuple[Hashable, ...],
    compute: Callable[[], T],
    *,
    on: dt.date | None = None,
) -> T:
    """`compute()`, cached across requests for the signed-in `user`'s organisation as this
    request read it (the organisation row, with its `data_version`; see the module docstring),
    under `what` (everything else the value depends on, e.g. a user's id) and `on` (the day,
    for dated data). Without an organisation, outside a request's `request_memo()`, inside a
    transaction or during reporting reads: computed afresh (and the organisation row is not
    read for it). The value must be picklable; callers read it, never change it.

    The organisation row is remembered for the rest of the request, so that
    `organisation_data` (by organisation id) finds the same version."""
    if getattr(user, "organisation_id", None) is None or not _usable():
        return compute()
    organisation: Organisation = user.organisation
    key = _organisation_key(organisation.pk)
    if memo_peek(key) is None:
        memoised(key, lambda: organisation)
    return _cached(memo_peek(key), what, compute, on)


def organisation_data(
    organisation_id: int | None,
    what: tuple[Hashable, ...],
    compute: Callable[[], T],
    *,
    on: dt.date | None = None,
) -> T:
    """`organisation_data_for_user` by organisation id: cached only when this request has
    already read that organisation's row through `organisation_data_for_user` (the version
    must come from a row the request read, never from a look-up of its own)."""
    if organisation_id is None or not _usable():
        return compute()
    organisation = memo_peek(_organisation_key(organisation_id))
    if organisation is None:
        return compute()
    return _cached(organisation, what, compute, on)


def _cached(
    organisation: Organisation,
    what: tuple[Hashable, ...],
    compute: Callable[[], T],
    on: dt.date | None,
) -> T:
    parts = (organisation.pk, organisation.data_version, *what, on.isoformat() if on else "")
    key = "opstap:orgdata:" + ":".join(map(str, parts))

    def shared() -> T:
        hit = cache.get(key)
        if hit is not None:
            return hit[0]
        value = compute()
        cache.set(key, (value,), TTL_SECONDS)
        return value

    return memoised(key, shared)
