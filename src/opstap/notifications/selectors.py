"""Reads of notifications, always through `core.access.scoped` (own notifications only)."""

from __future__ import annotations

from django.db.models import F, QuerySet

from opstap.core.access import scoped
from opstap.core.actor import Actor

from .models import Notification


def notifications_for(user: Actor) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    return scoped(user, Notification.objects.all()).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def unread_notifications(user: Actor) -> QuerySet[Notification]:
    return scoped(user, Notification.objects.filter(read_at__isnull=True)).order_by(
        "-created_at", "-id"
    )
