"""Back-office for the application administrator: reference data with validity (tiles,
product codes, promoted modules, rate ceilings) and network settings. Workflow data
(prices, signals, evaluations) is read-only here: it changes through the services."""

from django.contrib import admin

from .models import (
    NetworkSettings,
    ProductCode,
    ProductPrice,
    PromotedModule,
    Provider,
    RateCeiling,
    Tile,
)


@admin.register(Tile)
class TileAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "number", "name", "purchasable", "valid_from", "valid_until"]
    list_filter = ["kind", "purchasable"]


@admin.register(ProductCode)
class ProductCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "price_type", "ordering_mode", "valid_from", "valid_until"]


@admin.register(PromotedModule)
class PromotedModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "valid_from", "valid_until"]
    filter_horizontal = ["tiles"]


@admin.register(RateCeiling)
class RateCeilingAdmin(admin.ModelAdmin):
    list_display = ["amount", "organisation", "valid_from", "valid_until", "indexation"]
    readonly_fields = ["indexation"]


@admin.register(NetworkSettings)
class NetworkSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "evidence_warning_days",
        "signal_threshold",
        "inactivity_months",
        "public_guide_enabled",
    ]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "contract_manager"]
    list_filter = ["organisation", "status"]
    search_fields = ["name"]
    readonly_fields = ["status", "last_activity_on", "inactivity_flagged_on", "ended_on"]


@admin.register(ProductPrice)
class ProductPriceAdmin(admin.ModelAdmin):
    list_display = ["product", "amount", "valid_from", "valid_until", "source"]
    readonly_fields = ["product", "amount", "valid_from", "valid_until", "source", "indexation"]

    def has_add_permission(self, request, obj=None):
        return False
