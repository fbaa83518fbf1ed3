"""Back office of social return (R-NET-10): the building-block table per period is reference
data the application administrator edits; every save goes through the services (validated
like the table, audited). Plans, blocks, years and history are written by the services only
and are read-only here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from opstap.core.actor import actor_of
from opstap.core.admin import FixedKeyAdmin, ReadOnlyAdmin

from . import services
from .models import (
    BlockPeriod,
    BuildingBlock,
    RealisedBlock,
    SocialReturnAgreement,
    SocialReturnPlan,
    YearObligation,
)


class BuildingBlockForm(forms.ModelForm):
    class Meta:
        model = BuildingBlock
        fields = list(services.BLOCK_FIELDS)


@admin.register(BuildingBlock)
class BuildingBlockAdmin(admin.ModelAdmin):
    form = BuildingBlockForm
    list_display = ["name", "period", "kind", "value_6", "value_12", "must_combine"]
    list_filter = ["period"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form already ran the model's checks (clean(): both norms for employment, one
        # for an alternative), so a refusal is shown beside its field, never saved.
        values = {name: form.cleaned_data[name] for name in services.BLOCK_FIELDS}
        services.building_block_update(
            actor=actor_of(request), block=BuildingBlock.objects.get(pk=obj.pk), values=values
        )


class BlockPeriodForm(forms.ModelForm):
    class Meta:
        model = BlockPeriod
        fields = ["organisation", "name", "valid_from", "valid_until", "full_time_hours"]


@admin.register(BlockPeriod)
class BlockPeriodAdmin(FixedKeyAdmin):
    """A new period starts with the Liemers table (R-NET-10); edit its rows afterwards."""

    form = BlockPeriodForm
    key_fields = ("organisation", "valid_from")
    list_display = ["name", "valid_from", "valid_until", "full_time_hours", "organisation"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = actor_of(request)
        if change:
            services.block_period_update(
                actor=actor,
                period=BlockPeriod.objects.get(pk=obj.pk),
                name=obj.name,
                valid_until=obj.valid_until,
                full_time_hours=obj.full_time_hours,
            )
            return
        saved = services.block_period_seed(
            actor=actor,
            organisation_id=obj.organisation_id,
            name=obj.name,
            valid_from=obj.valid_from,
            valid_until=obj.valid_until,
            full_time_hours=obj.full_time_hours,
        )
        obj.pk = saved.pk


class AgreementForm(forms.ModelForm):
    class Meta:
        model = SocialReturnAgreement
        fields = ["contract", "awarded_on", "percentage", "threshold"]


@admin.register(SocialReturnAgreement)
class AgreementAdmin(FixedKeyAdmin):
    """Per contract: award date, percentage (default 5%) and threshold (default € 50.000)."""

    form = AgreementForm
    key_fields = ("contract",)
    list_display = ["contract", "provider", "awarded_on", "percentage", "threshold"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.agreement_set(
            actor=actor_of(request),
            contract=obj.contract,
            awarded_on=obj.awarded_on,
            percentage=obj.percentage,
            threshold=obj.threshold,
        )
        obj.pk = saved.pk


for _model in (SocialReturnPlan, RealisedBlock, YearObligation):
    admin.site.register(_model, ReadOnlyAdmin)
