"""Scope policy of the portal's table (R-SEC-1): a resident sees the documents they sent;
staff see those of the clients they may see (the clients policy)."""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.clients.selectors import client_scope_through
from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import ClientUpload


@register_scope(ClientUpload)
def client_upload_scope(user: Actor, qs: QuerySet[ClientUpload]) -> QuerySet[ClientUpload]:
    if user.has_opstap_perm(Perm.CLIENT_VIEW):
        q = client_scope_through(user, "client")
        return qs.none() if q is None else qs.filter(q)
    if user.has_opstap_perm(Perm.PORTAL_VIEW):
        return qs.filter(client__user_id=user.pk)
    return qs.none()
