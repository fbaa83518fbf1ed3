"""The audit trail is append-only (R-SEC-2): the back office shows it and changes nothing."""

from __future__ import annotations

from django.contrib import admin
from django.test import RequestFactory

from opstap.audit.models import AuditRecord


def test_audit_records_are_read_only_in_the_back_office() -> None:
    model_admin = admin.site._registry[AuditRecord]
    request = RequestFactory().get("/admin/audit/auditrecord/")
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, None) is False
    assert model_admin.has_delete_permission(request, None) is False
