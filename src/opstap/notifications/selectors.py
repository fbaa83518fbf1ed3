"""Reads of notifications, always through `core.access.scoped` (own notifications only)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from opstap.core.access import scoped

from .models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    return scoped(user, Notification.objects.all()).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return scoped(user, Notification.objects.filter(read_at__isnull=True)).order_by(
        "-created_at", "-id"
    )
