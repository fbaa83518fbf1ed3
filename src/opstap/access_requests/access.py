"""Scope policy of access requests (R-SEC-1, R-SEC-5), registered with core.access.

- residents (portal): only requests about themselves (the clients scope of a resident is
  exactly their own client);
- staff holding `access_requests.handle`: requests about the clients in their own clients
  scope (a case manager: own unit and caseload), and the requests of people without a
  dossier in their organisation (nobody's caseload: whoever handles requests answers them);
- everyone else: none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from opstap.clients.models import Client
from opstap.core.access import register_scope, scoped
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import AccessRequest


@register_scope(AccessRequest)
def access_request_scope(user: Actor, qs: QuerySet[AccessRequest]) -> QuerySet[AccessRequest]:
    if not (
        user.has_opstap_perm(Perm.ACCESS_REQUEST_HANDLE) or user.has_opstap_perm(Perm.PORTAL_VIEW)
    ):
        return qs.none()
    about_clients = Q(client__in=scoped(user, Client.objects.all()).values("pk"))
    if user.has_opstap_perm(Perm.ACCESS_REQUEST_HANDLE):
        return qs.filter(about_clients | Q(client__isnull=True))
    return qs.filter(about_clients)
