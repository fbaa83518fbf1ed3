"""A memo for the lifetime of one request (issue 18): values that several parts of one page
compute from the same inputs, such as a user's client scope (which reads the ladder mapping),
are computed once while the page is being built.

The memo exists only inside `request_memo()`, which `core.access.permission_required` opens
around every page's read (GET/HEAD), and the client list API around its list, and which is
emptied when the view returns: nothing is kept across requests, and outside such a block
(writes, other API calls, services, background work, tests) every call computes afresh. Keys name
everything the value depends on (at least the user's id), so one user's value is never
another's.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_MEMO: ContextVar[dict[Hashable, Any] | None] = ContextVar("opstap_request_memo", default=None)


@contextmanager
def request_memo() -> Iterator[None]:
    """Keep memoised values until the block ends (one request's view)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memo_active() -> bool:
    """Whether a `request_memo()` block is open (a page's GET or a list API's list)."""
    return _MEMO.get() is not None


def memo_peek(key: Hashable) -> Any:
    """The value memoised under `key` in the open block, or None (none, or no block)."""
    memo = _MEMO.get()
    return None if memo is None else memo.get(key)


def memoised(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per `key` inside a `request_memo()` block; always afresh outside."""
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]
