"""Scope policy of notifications (R-SEC-1): a user sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor

from .models import Notification


@register_scope(Notification)
def notification_scope(user: Actor, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    return qs.filter(recipient=user)
