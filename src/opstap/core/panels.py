"""The home-panel registry: start-page panels per role, as data. Apps register a `HomePanel`
from their `AppConfig.ready`; the home page (web) shows the panels whose permission the user
holds. A panel shows what selectors and rule modules computed; it decides no rule.
`context` computes the panel's data (scoped by the user's access) and must not cause N+1
queries.

Reads are audited (R-SEC-2, issue 19) by the page that shows the panels (`web.panels`, above
the apps, so core imports none): showing the start page writes one `read` record naming the
panels shown; a panel that lists individual items (notifications, evidence) declares
`audit_items`, which turns its context into (object type, object id, client id) rows, each
written as a `list` record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

AuditItem = tuple[str, object, int | None]


@dataclass(frozen=True)
class HomePanel:
    template: str
    perm: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100
    audit_items: Callable[[dict[str, Any]], list[AuditItem]] | None = None


HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if all(p.template != panel.template for p in HOME_PANELS):
        HOME_PANELS.append(panel)
        HOME_PANELS.sort(key=lambda p: p.order)
