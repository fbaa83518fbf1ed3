"""Back-office building blocks shared by the apps' admin modules."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .errors import DomainError
from .forms import add_domain_error

__all__ = ["FixedKeyAdmin", "ReadOnlyAdmin", "ServiceCheckedForm", "service_checked"]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model the back office may look at but never change: its rows are written by the
    services only (workflow records, events, money)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FixedKeyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A row its service saves by a key (the organisation's settings, the target of a year, a
    period from a date): the `key_fields` are chosen when the row is added and read-only on
    its change page, where only the values under the key change."""

    key_fields: ClassVar[Sequence[str]] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.key_fields) if obj is not None else []


class ServiceCheckedForm(forms.BaseForm):
    """Mixin of a back-office form whose rows are saved through a service: after the form's
    own field checks, `check(cleaned_data)` runs the service's validation, and a refusal
    (`DomainError`) is shown beside the field it names (renamed through `error_fields`), or
    above the form, so the admin never reports a refused change as saved. Put it before the
    form class: ``class MyForm(ServiceCheckedForm, forms.ModelForm)``."""

    error_fields: ClassVar[Mapping[str, str]] = {}

    def check(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not self.errors:
            try:
                self.check(data)
            except DomainError as exc:
                add_domain_error(self, exc, fields=self.error_fields)
        return data


def service_checked(base: Any, check: Callable[[dict[str, Any]], object]) -> Any:
    """`base` (the form the admin built) as a `ServiceCheckedForm` that runs `check`."""

    class CheckedForm(ServiceCheckedForm, base):
        def check(self, data: dict[str, Any]) -> None:
            check(data)

    return CheckedForm
