"""Back office of reporting: the SRG codes and the mapping of products and placement types
to them (R-INT-2), reference data the application administrator maintains. Saved through the
services, so every change is validated (shown on the field) and audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from opstap.core.actor import actor_of
from opstap.core.admin import ReadOnlyAdmin, service_checked
from opstap.core.errors import DomainError

from . import services
from .models import SrgCode, SrgDelivery, SrgPlacementMapping, SrgProductMapping


def _save_through(request: HttpRequest, obj: Any, save: Callable[[], Any]) -> None:
    """Save an admin form's object through its service: a refusal is a message and nothing
    is saved; else the object takes the saved row's id."""
    try:
        saved = save()
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    obj.pk = saved.pk


@admin.register(SrgCode)
class SrgCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["code", "name"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        return service_checked(
            base,
            lambda d: services.srg_code_validate(
                code=d.get("code") or "", name=d.get("name") or "", srg_code=obj
            ),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        _save_through(
            request,
            obj,
            lambda: services.srg_code_save(
                actor=actor_of(request),
                code=obj.code,
                name=obj.name,
                description=obj.description,
                active=obj.active,
                srg_code=SrgCode.objects.get(pk=obj.pk) if change else None,
            ),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a code in a sent delivery stays; set it 'niet in gebruik' instead


def _org_queryset(request: HttpRequest, qs: Any) -> Any:
    if getattr(request.user, "is_superuser", False):
        return qs
    return qs.filter(organisation_id=getattr(request.user, "organisation_id", None))


class _MappingAdmin(admin.ModelAdmin):
    """A mapping of the user's organisation to an active SRG code, checked on the form by
    the service's validation (`validate_mapping`)."""

    def validate_mapping(self, request: HttpRequest, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> Any:
        return _org_queryset(request, super().get_queryset(request))

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        form = service_checked(base, lambda d: self.validate_mapping(request, d))
        form.base_fields["srg_code"].queryset = SrgCode.objects.filter(active=True)
        return form


@admin.register(SrgProductMapping)
class SrgProductMappingAdmin(_MappingAdmin):
    list_display = ["product", "srg_code"]
    list_select_related = ["product", "srg_code"]
    fields = ["product", "srg_code"]

    def validate_mapping(self, request: HttpRequest, data: dict[str, Any]) -> None:
        services.srg_product_mapping_validate(
            actor=actor_of(request), product=data.get("product"), srg_code=data.get("srg_code")
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        product_field = form.base_fields["product"]
        product_field.queryset = _org_queryset(request, product_field.queryset)
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        _save_through(
            request,
            obj,
            lambda: services.srg_product_mapping_save(
                actor=actor_of(request), product=obj.product, srg_code=obj.srg_code
            ),
        )


@admin.register(SrgPlacementMapping)
class SrgPlacementMappingAdmin(_MappingAdmin):
    list_display = ["placement_type", "srg_code"]
    list_select_related = ["srg_code"]
    fields = ["placement_type", "srg_code"]

    def validate_mapping(self, request: HttpRequest, data: dict[str, Any]) -> None:
        services.srg_placement_mapping_validate(
            actor=actor_of(request),
            placement_type=data.get("placement_type") or "",
            srg_code=data.get("srg_code"),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        _save_through(
            request,
            obj,
            lambda: services.srg_placement_mapping_save(
                actor=actor_of(request),
                organisation_id=obj.organisation_id
                if change
                else int(getattr(request.user, "organisation_id", 0) or 0),
                placement_type=obj.placement_type,
                srg_code=obj.srg_code,
            ),
        )


@admin.register(SrgDelivery)
class SrgDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "municipality", "month", "status", "checksum", "sent_at"]
    list_filter = ["status"]
