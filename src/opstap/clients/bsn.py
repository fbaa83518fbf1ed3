"""Generating valid BSNs for demo data and tests (the 11-check, R-CLI-1). Pure."""

from __future__ import annotations

import random

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def bsn_from_prefix(prefix: int) -> str | None:
    """Complete an 8-digit prefix to a valid BSN, or None when no check digit fits."""
    digits = f"{prefix:08d}"
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True))
    check = total % 11
    if check == 10:
        return None
    bsn = digits + str(check)
    return None if bsn == "000000000" else bsn


def random_bsn(rng: random.Random) -> str:
    """A random valid BSN (starting with 1-6, like real ones mostly do)."""
    while True:
        bsn = bsn_from_prefix(rng.randrange(10_000_000, 69_999_999))
        if bsn is not None:
            return bsn
