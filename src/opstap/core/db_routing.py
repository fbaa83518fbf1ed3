"""Reporting reads on a streaming replica, writes and everything else on the primary (issue 18).

When `OPSTAP_DATABASE_REPLICA_URL` is set, the settings add a database alias `replica` (a hot
standby fed by PostgreSQL streaming replication) and `ReplicaRouter`. The router sends a read
to the replica only while a *reporting read* is running:

- a view or API view marked with `reporting_view` (KPI pages and API, indicators, their
  exports), for GET and HEAD requests, through `ReportingReadsMiddleware`;
- code inside `with reporting_reads():` (background exports and deliveries).

Everything else (dossiers, work lists, every write and every read inside a transaction) uses
the primary. **Read-your-writes:** a user who has just changed something (any successful POST,
PUT, PATCH or DELETE) is pinned to the primary for `OPSTAP_REPLICA_PIN_SECONDS` (default 30),
so a report never hides the change that user just made while the replica catches up. The pin
lives in the shared cache (Redis in production), so it holds across web workers and servers.

Without a replica nothing changes: the router answers "no opinion" and Django uses `default`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

__all__ = [
    "REPLICA",
    "ReplicaRouter",
    "ReportingAPIMixin",
    "ReportingReadsMiddleware",
    "pin_to_primary",
    "replica_configured",
    "reporting_reads",
    "reporting_reads_active",
    "reporting_view",
]

REPLICA = "replica"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reporting: contextvars.ContextVar[bool] = contextvars.ContextVar("opstap_reporting", default=False)

V = TypeVar("V")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reporting_reads() -> Iterator[None]:
    """Reads inside this block may go to the replica (see the module docstring)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_reads_active() -> bool:
    """Whether reads may go to the replica now (a reporting read is running)."""
    return _reporting.get() and replica_configured()


def reporting_view(view: V) -> V:
    """Mark a view function or an API view class as a reporting read (GET/HEAD only)."""
    view.opstap_reporting = True  # type: ignore[attr-defined]
    return view


def _pin_key(user_id: object) -> str:
    return f"opstap:replica-pin:{user_id}"


def pin_to_primary(user_id: object) -> None:
    """The user just wrote: their reports read the primary for a while (read-your-writes)."""
    seconds = int(getattr(settings, "OPSTAP_REPLICA_PIN_SECONDS", 30))
    if seconds > 0:
        cache.set(_pin_key(user_id), 1, timeout=seconds)


def _pinned(user_id: object) -> bool:
    return bool(cache.get(_pin_key(user_id)))


class ReplicaRouter:
    """Database router: reporting reads to `replica`, all else to `default`."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if (
            _reporting.get()
            and replica_configured()
            # A read inside a transaction on the primary must see that transaction's rows.
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows (the replica is a copy of the primary).
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"


class ReportingAPIMixin:
    """For a DRF view that is a reporting read: marks it, and after authentication (a token
    user is known only then) keeps a user who just wrote on the primary."""

    opstap_reporting = True

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        user = request.user
        if getattr(user, "is_authenticated", False) and _pinned(user.pk):
            _reporting.set(False)  # the middleware restores its own value afterwards


def _is_reporting(view: Any) -> bool:
    return bool(
        getattr(view, "opstap_reporting", False)
        or getattr(getattr(view, "view_class", None), "opstap_reporting", False)
        or getattr(getattr(view, "cls", None), "opstap_reporting", False)
    )


class ReportingReadsMiddleware:
    """Runs marked views as reporting reads, and pins a user who wrote to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
        if request.method not in _SAFE_METHODS:
            response = self.get_response(request)
            # `request.user` may only be known after the view (token authentication).
            user = getattr(request, "user", None)
            if getattr(user, "is_authenticated", False) and response.status_code < 400:
                pin_to_primary(user.pk)  # type: ignore[union-attr]
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if not _is_reporting(match.func) or (user_id is not None and _pinned(user_id)):
            return self.get_response(request)
        if transaction.get_autocommit():
            with reporting_reads():
                return self.get_response(request)
        return self.get_response(request)
