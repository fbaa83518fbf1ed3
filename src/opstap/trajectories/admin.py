"""Back-office view of trajectories for application administrators: read-only, because
every change goes through the workflow services (R-TRJ-2: the history is never rewritten)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Deadline, Trajectory, TrajectoryEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Trajectory)
class TrajectoryAdmin(ReadOnlyAdmin):
    list_display = ("id", "product", "provider", "state", "order_date", "actual_end_date")
    list_filter = ("state", "product_code")
    list_select_related = ("product", "provider")


@admin.register(TrajectoryEvent)
class TrajectoryEventAdmin(ReadOnlyAdmin):
    list_display = ("trajectory_id", "occurred_at", "action", "from_state", "to_state")


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("trajectory_id", "kind", "due_on", "met_on", "cancelled_on")
    list_filter = ("kind",)
