from django.contrib import admin

from .models import Municipality, MunicipalityPopulation, Organisation


class PopulationInline(admin.TabularInline):
    model = MunicipalityPopulation
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "organisation"]
    list_filter = ["organisation"]
    inlines = [PopulationInline]
