"""The transactional outbox of a facts table (issue 18): rows whose facts may have changed
are queued in the writing transaction, and a refresh after the commit recomputes them and
empties the queue. A rollback takes the queue rows and the refresh with it.

A queue is a model with `organisation_id` and one unique id column (`key`, e.g.
`trajectory_id`); the app keeps its own queue model, its refresh of one organisation and
its Celery task. The indicator facts and the KPI facts are kept this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction

__all__ = [
    "outbox_drain",
    "outbox_forget",
    "outbox_mark",
    "outbox_queue",
    "refresh_inline_or_queued",
]


def outbox_queue(
    queue: type[models.Model],
    *,
    organisation_id: int | None,
    key: str,
    ids: Iterable[Any],
    after_commit: Callable[[], None],
) -> None:
    """Queue `ids` (None skipped, each once) of one organisation and run `after_commit` once
    the transaction commits; nothing without an organisation or ids."""
    unique = sorted({int(pk) for pk in ids if pk is not None})
    if not unique or organisation_id is None:
        return
    queue._default_manager.bulk_create(
        [queue(organisation_id=organisation_id, **{key: pk}) for pk in unique],
        ignore_conflicts=True,
    )
    transaction.on_commit(after_commit)


def refresh_inline_or_queued(refresh: Callable[[], object], task: Any) -> None:
    """The refresh task on the broker, or `refresh()` inline without one (demo, tests)."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        refresh()
    else:
        task.delay()


def outbox_drain(
    queue: type[models.Model],
    *,
    key: str,
    limit: int,
    refresh: Callable[[int, list[int]], None],
) -> int:
    """Empty the queue `limit` rows at a time, each batch one transaction: `refresh(
    organisation_id, ids)` per organisation (in id order), then the batch's rows go. Returns
    how many rows were refreshed. Concurrent drains skip each other's rows (SKIP LOCKED on
    PostgreSQL)."""
    done = 0
    while True:
        with transaction.atomic():
            queued = list(
                queue._default_manager.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "organisation_id", key)[:limit]
            )
            if not queued:
                return done
            per_org: dict[int, list[int]] = {}
            for _pk, org_id, pk in queued:
                per_org.setdefault(org_id, []).append(pk)
            for org_id, pks in sorted(per_org.items()):
                refresh(org_id, pks)
            queue._default_manager.filter(pk__in=[pk for pk, _o, _k in queued]).delete()
            done += len(queued)


def outbox_mark(queue: type[models.Model], *, organisation_id: int) -> int | None:
    """Where a full rebuild of one organisation starts: its newest queued row (None: none).
    The rebuild recomputes everything queued up to it (`outbox_forget` at its end); rows
    queued later are the refresh's."""
    pk: int | None = (
        queue._default_manager.filter(organisation_id=organisation_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return pk


def outbox_forget(queue: type[models.Model], *, organisation_id: int, mark: int | None) -> None:
    """At the end of a full rebuild: drop the organisation's rows queued up to `mark`."""
    if mark is not None:
        queue._default_manager.filter(organisation_id=organisation_id, pk__lte=mark).delete()
