"""Postcode locations for distances (R-MAT), pure.

A Dutch postcode `1234 AB` is located at the centroid of its four-digit area (PC4,
reference data). A PC4 missing from the table is estimated as the mean of the known PC4s
of the same three-digit area (`692x`), and the explanation says so; otherwise unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .scoring import Pc4Point

__all__ = ["normalise_postcode", "pc4_of", "resolve_point"]

_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})?$")


def normalise_postcode(raw: str) -> str:
    """`1234 AB` (or `1234` alone), or ValueError with a Dutch message."""
    value = (raw or "").strip()
    m = _POSTCODE.match(value)
    if not m:
        raise ValueError("Vul een postcode in als 1234 AB.")
    digits, letters = m.groups()
    return f"{digits} {letters.upper()}" if letters else digits


def pc4_of(postcode: str) -> str:
    digits = "".join(ch for ch in (postcode or "") if ch.isdigit())
    return digits[:4] if len(digits) >= 4 else ""


def resolve_point(pc4: str, table: Mapping[str, Pc4Point]) -> tuple[Pc4Point | None, bool]:
    """(point, estimated): the PC4 centroid, or the mean of its PC3 neighbours (estimated)."""
    if not pc4:
        return None, False
    point = table.get(pc4)
    if point is not None:
        return point, False
    near = [p for code, p in table.items() if code[:3] == pc4[:3]]
    if not near:
        return None, False
    return (
        Pc4Point(
            latitude=sum(p.latitude for p in near) / len(near),
            longitude=sum(p.longitude for p in near) / len(near),
        ),
        True,
    )
