from django.contrib import admin

from opstap.core.admin import ReadOnlyAdmin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only (R-SEC-2)."""

    list_display = [
        "timestamp",
        "actor_username",
        "real_actor_username",
        "action",
        "object_type",
        "object_id",
        "client_id",
        "result",
    ]
    list_filter = ["action", "result"]
    search_fields = ["actor_username", "real_actor_username", "object_id"]
