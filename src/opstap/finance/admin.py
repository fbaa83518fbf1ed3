"""Back office: the editable reference data of the finance models (R-INT-5 mapping, the
outflow-premium scheme of R-PREM-1) and read-only views of scenarios and premiums."""

from __future__ import annotations

from django.contrib import admin

from .models import OutflowPremium, OutflowPremiumScheme, Scenario, SocialValueMapping


@admin.register(SocialValueMapping)
class SocialValueMappingAdmin(admin.ModelAdmin):
    list_display = ["ladder_step", "position"]


@admin.register(OutflowPremiumScheme)
class OutflowPremiumSchemeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "enabled", "first_amount", "second_amount", "updated_at"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "updated_at"]
    list_filter = ["kind"]
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(OutflowPremium)
class OutflowPremiumAdmin(admin.ModelAdmin):
    list_display = ["client_id", "outflow_date", "status", "first_paid_on", "second_paid_on"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in OutflowPremium._meta.fields]
