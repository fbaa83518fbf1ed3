"""Start-page panels per role, as data: apps append a `HomePanel`; the home view shows the
panels whose permission the user holds. `context` computes the panel's data (scoped by the
user's access) and must not cause N+1 queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomePanel:
    template: str
    perm: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if all(p.template != panel.template for p in HOME_PANELS):
        HOME_PANELS.append(panel)
        HOME_PANELS.sort(key=lambda p: p.order)


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    return [
        {"template": panel.template, **panel.context(request)}
        for panel in HOME_PANELS
        if user.has_opstap_perm(panel.perm)  # type: ignore[union-attr]
    ]
