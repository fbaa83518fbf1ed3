"""PostgreSQL's JIT compiler and the KPI aggregates.

The KPI queries are wide aggregates (a filtered count per KPI, each with subqueries), so the
planner's cost estimate is high and PostgreSQL JIT-compiles them: measured at 20,000 clients,
4.8 s of a 5.0 s query went to JIT compilation and 0.14 s to execution. `without_jit` turns
JIT off for the duration of a KPI request (session setting, reset afterwards; two extra
statements on PostgreSQL, none elsewhere)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def without_jit() -> Iterator[None]:
    # Behind PgBouncer in transaction mode a session SET would land on another client's
    # server connection: there JIT is switched off for the database instead (operations.md).
    if connection.vendor != "postgresql" or settings.OPSTAP_DB_POOLER == "pgbouncer":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def no_jit(view: F) -> F:
    """Decorator: run the view (or function) with `without_jit`."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with without_jit():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
