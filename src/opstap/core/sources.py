"""Named data sources that one read-side app offers another on the same layer (the import
contract keeps indicators, kpis and finance independent of each other). The owner registers
a function at start-up (`AppConfig.ready`); the reader asks for it by name and gets None when
no app offers it. Used for the portal's satisfaction answers (kpis) in the providers'
indicators (R-PI-1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SOURCES: dict[str, Callable[..., Any]] = {}


def register_source(name: str, function: Callable[..., Any]) -> None:
    _SOURCES[name] = function


def source(name: str) -> Callable[..., Any] | None:
    return _SOURCES.get(name)
