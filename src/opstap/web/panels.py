"""The start page's panels for one request: those whose permission the user holds, from
the registry in `opstap.core.panels`, with the reads audited (R-SEC-2, issue 19)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opstap.audit.models import AuditAction
from opstap.audit.services import AuditGroup, audit_groups_for_request
from opstap.core.panels import HOME_PANELS


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
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
    # The page's read and the items its panels list as one group of records: one link of the
    # audit chain and one INSERT (issue 18; before, a read record and then a list per kind).
    groups = [
        AuditGroup(
            action=AuditAction.READ,
            object_type="home",
            items=[("", None)],
            purpose="Startpagina bekijken",
            changes={"panels": [p["template"].split("/")[0] for p in shown]},
        )
    ]
    groups.extend(
        AuditGroup(
            action=AuditAction.LIST,
            object_type=object_type,
            items=rows,
            purpose="Startpagina: paneel",
        )
        for object_type, rows in items.items()
    )
    audit_groups_for_request(request, groups)
    return shown
