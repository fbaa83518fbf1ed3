"""Back office for the application administrator: yearly KPI targets, the activity window,
survey waves and AMR providers. Every change goes through the services: the form validates
with the same check the service runs (a refusal is shown beside its field, in Dutch, and
nothing is stored), and the save calls the service, which writes and audits. Survey waves and
AMR providers are recorded, not edited: their rows are read-only once stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from opstap.core.actor import actor_of
from opstap.core.admin import FixedKeyAdmin, ServiceCheckedForm

from . import services
from .models import KpiSettings, KpiTarget, LabourMarketRegionProvider, SatisfactionSurveyWave


class _ServiceCheckedForm(ServiceCheckedForm, forms.ModelForm):
    error_fields: ClassVar[Mapping[str, str]] = {"window": "activity_window_months"}


class KpiTargetForm(_ServiceCheckedForm):
    class Meta:
        model = KpiTarget
        fields = ["organisation", "kpi", "year", "target"]

    def check(self, data: dict[str, Any]) -> None:
        services.kpi_target_check(kpi=data["kpi"], year=data["year"], target=data["target"])


class KpiSettingsForm(_ServiceCheckedForm):
    class Meta:
        model = KpiSettings
        fields = ["organisation", "activity_window_months"]

    def check(self, data: dict[str, Any]) -> None:
        services.kpi_settings_check(activity_window_months=data["activity_window_months"])


class SurveyWaveForm(_ServiceCheckedForm):
    class Meta:
        model = SatisfactionSurveyWave
        fields = ["organisation", "name", "held_on", "municipality", "score", "respondents"]

    def check(self, data: dict[str, Any]) -> None:
        services.survey_wave_check(
            organisation=data["organisation"],
            name=data["name"],
            score=data["score"],
            respondents=data["respondents"],
            municipality=data.get("municipality"),
        )


class AmrProviderForm(_ServiceCheckedForm):
    class Meta:
        model = LabourMarketRegionProvider
        fields = ["organisation", "provider"]

    def check(self, data: dict[str, Any]) -> None:
        if data["provider"].organisation_id != data["organisation"].pk:
            raise services.KpiError(
                "De aanbieder hoort niet bij deze organisatie.", field="provider"
            )


@admin.register(KpiTarget)
class KpiTargetAdmin(FixedKeyAdmin):
    form = KpiTargetForm
    # Which target a row is never changes; only its value does.
    key_fields = ("organisation", "kpi", "year")
    list_display = ["kpi", "year", "target", "organisation", "updated_at"]
    list_filter = ["year", "kpi"]
    ordering = ["-year", "kpi"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.kpi_target_set(
            actor=actor_of(request),
            organisation=obj.organisation,
            kpi=obj.kpi,
            year=obj.year,
            target=obj.target,
        )
        obj.pk = saved.pk
        obj.updated_at = saved.updated_at


@admin.register(KpiSettings)
class KpiSettingsAdmin(FixedKeyAdmin):
    form = KpiSettingsForm
    key_fields = ("organisation",)
    list_display = ["organisation", "activity_window_months", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.kpi_settings_update(
            actor=actor_of(request),
            organisation=obj.organisation,
            activity_window_months=obj.activity_window_months,
        )
        obj.pk = saved.pk


class _RecordedOnceAdmin(admin.ModelAdmin):
    """Rows that are recorded, never edited: the change page is read-only."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)


@admin.register(SatisfactionSurveyWave)
class SatisfactionSurveyWaveAdmin(_RecordedOnceAdmin):
    form = SurveyWaveForm
    list_display = ["name", "held_on", "municipality", "score", "respondents"]
    list_filter = ["held_on"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.survey_wave_record(
            actor=actor_of(request),
            organisation=obj.organisation,
            name=obj.name,
            held_on=obj.held_on,
            score=obj.score,
            respondents=obj.respondents,
            municipality=obj.municipality,
        )
        obj.pk = saved.pk


@admin.register(LabourMarketRegionProvider)
class LabourMarketRegionProviderAdmin(_RecordedOnceAdmin):
    form = AmrProviderForm
    list_display = ["provider", "organisation"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.amr_provider_add(
            actor=actor_of(request), organisation=obj.organisation, provider=obj.provider
        )
        obj.pk = saved.pk
