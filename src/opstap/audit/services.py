"""Writing the audit trail (R-SEC-2). The only way records are created."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from .models import AuditAction, AuditRecord

# Never store these in `changes`, whatever a caller passes.
_SECRET_FIELDS = frozenset({"password", "token", "key_hash", "secret", "otp", "document"})


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _clean_changes(changes: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if changes is None:
        return None
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if any(secret in field.lower() for secret in _SECRET_FIELDS):
            cleaned[field] = "***"
        else:
            cleaned[field] = value
    return cleaned


def audit_log(
    *,
    action: AuditAction | str,
    actor: Any = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: object = "",
    client_id: int | None = None,
    purpose: str = "",
    result: str = "ok",
    changes: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditRecord:
    """Append one record. `actor` defaults to `request.user`."""
    if actor is None and request is not None:
        actor = getattr(request, "real_user", None) or request.user
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    roles = ",".join(sorted(actor.role_codes)) if authenticated else ""
    if organisation_id is None and authenticated:
        organisation_id = actor.organisation_id
    return AuditRecord.objects.create(
        organisation_id=organisation_id,
        actor_id=actor.pk if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        actor_roles=roles[:255],
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        client_id=client_id,
        purpose=purpose[:200],
        result=result,
        ip_address=_client_ip(request),
        changes=_clean_changes(changes),
    )


def audit_log_many(records: list[dict[str, Any]]) -> None:
    """Bulk variant for list results and exports (one row per client shown)."""
    AuditRecord.objects.bulk_create([AuditRecord(**r) for r in records], batch_size=1000)
