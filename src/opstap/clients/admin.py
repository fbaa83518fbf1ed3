"""Back-office for application administrators: the configurable reference data of the
clients app (unit/track mapping with validity, rotonde exits, custom budget amounts).
Client records themselves change only through the services (not editable here)."""

from django.contrib import admin

from .models import CaseManagerProfile, CustomBudgetConfig, LadderMapping, RotondeExitReference


@admin.register(LadderMapping)
class LadderMappingAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "step",
        "sub_status",
        "value",
        "organisation",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["kind", "organisation"]


@admin.register(RotondeExitReference)
class RotondeExitReferenceAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "valid_from", "valid_until"]


@admin.register(CustomBudgetConfig)
class CustomBudgetConfigAdmin(admin.ModelAdmin):
    list_display = ["organisation", "yearly_amount", "valid_from", "valid_until"]
    list_filter = ["organisation"]


@admin.register(CaseManagerProfile)
class CaseManagerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    list_filter = ["unit"]
