"""Start-page panels per role, as data: apps append a `HomePanel`; the home view shows the
panels whose permission the user holds. `context` computes the panel's data (scoped by the
user's access) and must not cause N+1 queries.

Reads are audited (R-SEC-2, issue 19): showing the start page writes one `read` record naming
the panels shown; a panel that lists individual items (notifications, evidence) declares
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


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    from opstap.audit.models import AuditAction
    from opstap.audit.services import audit_log, audit_records_for_request

    user = request.user
    shown: list[dict[str, Any]] = []
    items: dict[str, list[tuple[object, int | None]]] = {}
    for panel in HOME_PANELS:
        if not user.has_opstap_perm(panel.perm):  # type: ignore[union-attr]
            continue
        context = panel.context(request)
        shown.append({"template": panel.template, **context})
        if panel.audit_items is not None:
            for object_type, object_id, client_id in panel.audit_items(context):
                items.setdefault(object_type, []).append((object_id, client_id))
    audit_log(
        action=AuditAction.READ,
        request=request,
        object_type="home",
        purpose="Startpagina bekijken",
        changes={"panels": [p["template"].split("/")[0] for p in shown]},
    )
    for object_type, rows in items.items():
        audit_records_for_request(
            request,
            action=AuditAction.LIST,
            object_type=object_type,
            items=rows,
            purpose="Startpagina: paneel",
        )
    return shown
