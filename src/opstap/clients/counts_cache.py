"""The clients' counts cache (issue 4: caseload page at national scale).

The chart "Klanten per trede" and the size of the caseload list come from one grouped count
over everything the user may see. For a case manager of a unit at national scale that is a
quarter of a million rows: ~30-80 ms of index-only scanning on every page view, the largest
cost of the page. Paging, sorting and switching the step filter do not change those counts,
so they are kept in a `opstap.web.counts_cache.CountsCache` (how it stays exact is explained
there). Every client write bumps the organisation's version: post_save/post_delete of Client
(connected here), and `client_counts_changed_now_and_on_commit` after the bulk writes of the
import and the demo loader. The page shows when the counts were computed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from opstap.web.counts_cache import CountsCache

CLIENT_COUNTS = CountsCache("opstap:clients:step-counts")
TTL_SECONDS = CLIENT_COUNTS.ttl_seconds


def client_counts_changed(organisation_id: int | None) -> None:
    CLIENT_COUNTS.changed(organisation_id)


def client_counts_changed_now_and_on_commit(organisation_id: int | None) -> None:
    CLIENT_COUNTS.changed_now_and_on_commit(organisation_id)


def _on_client_write(sender: Any, instance: Any, **kwargs: Any) -> None:
    client_counts_changed_now_and_on_commit(getattr(instance, "organisation_id", None))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Client

    post_save.connect(_on_client_write, sender=Client, dispatch_uid="clients_counts_save")
    post_delete.connect(_on_client_write, sender=Client, dispatch_uid="clients_counts_delete")


def cached_counts(
    aggregate: QuerySet[Any], *, organisation_id: int | None
) -> tuple[dict[str, int], dt.datetime]:
    return CLIENT_COUNTS.counts(aggregate, organisation_id=organisation_id)


def cached_count(qs: QuerySet[Any], *, organisation_id: int | None) -> int:
    return CLIENT_COUNTS.count(qs, organisation_id=organisation_id)
