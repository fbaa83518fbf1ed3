"""`{% passend_werk_link client %}`: the "Passend werk" tab of the client dossier, shown only
to users holding `matching.propose`."""

from __future__ import annotations

from typing import Any

from django import template

from opstap.core.access import check_perm
from opstap.core.roles import Perm

register = template.Library()


@register.inclusion_tag("matching/_dossier_link.html", takes_context=True)
def passend_werk_link(context: dict[str, Any], client: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"show": check_perm(user, Perm.MATCH_PROPOSE), "client": client}
