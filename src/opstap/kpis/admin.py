"""Back office for the application administrator: yearly KPI targets, the activity window,
survey waves and AMR providers. Targets and the window are saved through the services, so
every change is validated and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from . import services
from .models import KpiSettings, KpiTarget, LabourMarketRegionProvider, SatisfactionSurveyWave


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ["kpi", "year", "target", "organisation", "updated_at"]
    list_filter = ["year", "kpi"]
    ordering = ["-year", "kpi"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            saved = services.kpi_target_set(
                actor=request.user,
                organisation=obj.organisation,
                kpi=obj.kpi,
                year=obj.year,
                target=obj.target,
            )
        except services.KpiError as exc:
            messages.error(request, exc.message)
            return
        obj.pk = saved.pk


@admin.register(KpiSettings)
class KpiSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "activity_window_months", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            saved = services.kpi_settings_update(
                actor=request.user,
                organisation=obj.organisation,
                activity_window_months=obj.activity_window_months,
            )
        except services.KpiError as exc:
            messages.error(request, exc.message)
            return
        obj.pk = saved.pk


@admin.register(SatisfactionSurveyWave)
class SatisfactionSurveyWaveAdmin(admin.ModelAdmin):
    list_display = ["name", "held_on", "municipality", "score", "respondents"]
    list_filter = ["held_on"]


@admin.register(LabourMarketRegionProvider)
class LabourMarketRegionProviderAdmin(admin.ModelAdmin):
    list_display = ["provider", "organisation"]
