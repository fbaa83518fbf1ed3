"""Back-office view of trajectories for application administrators: read-only, because
every change goes through the workflow services (R-TRJ-2: the history is never rewritten)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from opstap.core.actor import actor_of
from opstap.core.admin import ReadOnlyAdmin

from . import services
from .models import Deadline, EquatedDay, Trajectory, TrajectoryEvent


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


@admin.register(EquatedDay)
class EquatedDayAdmin(admin.ModelAdmin):
    """Days equated with a holiday by royal decree (Atw art. 3(3), R-TRJ-3): reference data
    the application administrator keeps per year. Saved and deleted through the services, so
    every change is validated and audited."""

    list_display = ["day", "description", "decree", "updated_at"]
    date_hierarchy = "day"
    ordering = ["-day"]
    search_fields = ["description", "decree"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)

        class EquatedDayForm(base):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                """The service's own checks, shown on the field: a refused day is never
                reported as saved (the KPI-admin bug of issue 13)."""
                data: dict[str, Any] = super().clean()
                if self.errors:
                    return data
                try:
                    services.equated_day_validate(
                        day=data.get("day"),
                        description=data.get("description") or "",
                        decree=data.get("decree") or "",
                        equated_day=obj,
                    )
                except services.TrajectoryError as exc:
                    field = exc.field if exc.field in self.fields else None
                    self.add_error(field, exc.message)
                return data

        return EquatedDayForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            saved = services.equated_day_save(
                actor=actor_of(request),
                day=obj.day,
                description=obj.description,
                decree=obj.decree,
                equated_day=EquatedDay.objects.get(pk=obj.pk) if change else None,
            )
        except services.TrajectoryError as exc:
            messages.error(request, exc.message)
            return
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.equated_day_delete(actor=actor_of(request), equated_day=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            services.equated_day_delete(actor=actor_of(request), equated_day=obj)
