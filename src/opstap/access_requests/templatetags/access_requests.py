"""`{% access_request_link client %}`: the link from the client dossier to its access
requests, shown only to users holding `access_requests.handle`."""

from __future__ import annotations

from typing import Any

from django import template

from opstap.core.access import check_perm
from opstap.core.roles import Perm

register = template.Library()


@register.inclusion_tag("access_requests/_dossier_link.html", takes_context=True)
def access_request_link(context: dict[str, Any], client: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"show": check_perm(user, Perm.ACCESS_REQUEST_HANDLE), "client": client}
