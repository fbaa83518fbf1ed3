"""The transactional outbox of the facts tables (`core.outbox`), on the KPI facts' queue."""

from __future__ import annotations

from typing import Any

import pytest

from opstap.core.outbox import outbox_drain, outbox_forget, outbox_mark, outbox_queue
from opstap.kpis.models import KpiFactQueue

pytestmark = pytest.mark.django_db


def _queued() -> list[tuple[int, int]]:
    return list(KpiFactQueue.objects.order_by("pk").values_list("organisation_id", "client_id"))


def test_queue_takes_each_id_once_and_nothing_without_organisation_or_ids(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def queue(organisation_id: int | None, ids: list[int | None]) -> None:
        outbox_queue(
            KpiFactQueue,
            organisation_id=organisation_id,
            key="client_id",
            ids=ids,
            after_commit=lambda: None,
        )

    with django_capture_on_commit_callbacks() as callbacks:
        queue(7, [3, None, 3, 2])
        queue(7, [2])
        queue(None, [5])
        queue(7, [None])

    assert _queued() == [(7, 2), (7, 3)]
    assert len(callbacks) == 2  # a refresh after the commit, only where something was queued


def test_drain_refreshes_per_organisation_in_id_order_and_empties_the_queue() -> None:
    KpiFactQueue.objects.bulk_create(
        KpiFactQueue(organisation_id=org, client_id=client)
        for org, client in [(9, 1), (4, 2), (9, 3), (4, 4), (9, 5)]
    )
    calls: list[tuple[int, list[int]]] = []

    done = outbox_drain(
        KpiFactQueue, key="client_id", limit=3, refresh=lambda org, ids: calls.append((org, ids))
    )

    assert done == 5
    # Batches of three rows by pk; within a batch the organisations in id order.
    assert calls == [(4, [2]), (9, [1, 3]), (4, [4]), (9, [5])]
    assert _queued() == []


def test_a_rebuild_forgets_what_was_queued_up_to_its_mark_only() -> None:
    assert outbox_mark(KpiFactQueue, organisation_id=4) is None
    KpiFactQueue.objects.create(organisation_id=4, client_id=1)
    KpiFactQueue.objects.create(organisation_id=8, client_id=2)
    mark = outbox_mark(KpiFactQueue, organisation_id=4)
    KpiFactQueue.objects.create(organisation_id=4, client_id=3)  # written during the rebuild

    outbox_forget(KpiFactQueue, organisation_id=4, mark=mark)
    outbox_forget(KpiFactQueue, organisation_id=8, mark=None)

    assert _queued() == [(8, 2), (4, 3)]
