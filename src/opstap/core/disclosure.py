"""Small-number disclosure control (R-SEC-1, issue 19 item 11). Pure module: no ORM. Used by
the KPIs (`kpis`) and the provider indicators (`indicators`).

A breakdown cell, trend month or filtered total that counts 1 to 4 clients can point at a
person ("the one placement in Westervoort in March"). For users without access to the
clients behind a number, counts under the threshold (`OPSTAP_SMALL_NUMBER_THRESHOLD`,
default 5) are suppressed and shown as the marker "< 5" (UI, xlsx, PDF); the API gives
`null` with `suppressedBelow: 5`. Zero is shown: it discloses no one. A realisation
computed from a suppressed count is suppressed too.

Secondary suppression: in a group of cells that add up to a shown total (a breakdown per
municipality or unit), a single suppressed cell could be computed back as total minus the
others; then the smallest other non-zero cell is suppressed as well.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_THRESHOLD = 5


def marker(threshold: int) -> str:
    """The documented marker shown instead of a suppressed count."""
    return f"< {threshold}"


def is_small(count: int | None, threshold: int) -> bool:
    """Whether `count` must be hidden: 1 … threshold-1 (0 and None are shown as they are)."""
    return count is not None and 0 < count < threshold


def suppressed_cells(counts: Sequence[int | None], threshold: int, *, additive: bool) -> list[bool]:
    """Per cell whether to hide it: the small ones, plus (when the cells add up to a total
    that is shown: `additive`) the smallest other non-zero cell if exactly one is hidden."""
    hidden = [is_small(c, threshold) for c in counts]
    if additive and sum(hidden) == 1:
        others = [(c, i) for i, c in enumerate(counts) if not hidden[i] and c is not None and c > 0]
        if others:
            _c, index = min(others)
            hidden[index] = True
    return hidden
