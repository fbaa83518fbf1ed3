"""Reads of access requests, scoped by the caller's access (R-SEC-1)."""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.core.access import scoped
from opstap.core.actor import Actor

from .models import AccessRequest
from .workflow import State


def access_requests_for(user: Actor) -> QuerySet[AccessRequest]:
    return scoped(user, AccessRequest.objects.select_related("client"))


def open_access_requests_for(user: Actor) -> QuerySet[AccessRequest]:
    """The staff work list: requests not yet answered, the earliest due date first."""
    return (
        access_requests_for(user)
        .filter(state__in=[State.REQUESTED, State.COMPILING, State.FAILED])
        .order_by("due_on", "id")
    )


def access_requests_of_client(client_id: int) -> QuerySet[AccessRequest]:
    """All requests about one client (unscoped: for that client's own export)."""
    return AccessRequest.objects.filter(client_id=client_id).order_by("requested_at", "id")


def client_access_requests_for(user: Actor, client_id: int) -> QuerySet[AccessRequest]:
    return access_requests_for(user).filter(client_id=client_id).order_by("-requested_at", "-id")
