"""`core.admin.FixedKeyAdmin`: the key fields of a row are chosen when it is added and are
read-only on its change page."""

from __future__ import annotations

from django.contrib import admin
from django.test import RequestFactory

from opstap.core.admin import FixedKeyAdmin
from opstap.organisations.models import Municipality


class _MunicipalityAdmin(FixedKeyAdmin):
    key_fields = ("organisation", "cbs_code")


def test_key_fields_are_editable_when_adding_and_read_only_when_changing() -> None:
    model_admin = _MunicipalityAdmin(Municipality, admin.AdminSite())
    request = RequestFactory().get("/")

    assert model_admin.get_readonly_fields(request) == []
    assert model_admin.get_readonly_fields(request, Municipality(name="Teststad")) == [
        "organisation",
        "cbs_code",
    ]


def test_without_key_fields_nothing_is_read_only() -> None:
    model_admin = FixedKeyAdmin(Municipality, admin.AdminSite())
    request = RequestFactory().get("/")

    assert model_admin.get_readonly_fields(request, Municipality(name="Teststad")) == []
