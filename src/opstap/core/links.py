"""Links to one object's page for every row of a list, without reversing the URL per row.

`reverse()` resolves the URL pattern on every call (20-35 µs); a page of 50 rows with a link
each paid 1-2 ms for it (issue 18). `pk_links("trajectories:detail")` reverses once with a
marker for the primary key and returns a function that puts each row's key in its place:
the same URL as `reverse(name, args=[pk])` for a route with one `<int:pk>`
(`core/tests/test_links.py` compares them).
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

__all__ = ["pk_links"]

_MARKER = 918273645  # an int no route contains on its own


def pk_links(url_name: str) -> Callable[[int], str]:
    """`reverse(url_name, args=[pk])` as a function of `pk`, for a route with one int key."""
    head, tail = reverse(url_name, args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{head}{int(pk)}{tail}"
