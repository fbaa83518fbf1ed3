"""Writing the audit trail (R-SEC-2). The only way records are created."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .models import AuditAction, AuditRecord


@dataclass(frozen=True)
class RealActor:
    """The administrator really acting while impersonating another user (R-SEC-2)."""

    user_id: int
    username: str


# Set by the accounts middleware for the duration of an impersonated request, so that every
# record written during it notes the real user, also when a service writes it without the
# request at hand.
_REAL_ACTOR: ContextVar[RealActor | None] = ContextVar("opstap_audit_real_actor", default=None)


@contextmanager
def acting_as(real_actor: RealActor | None) -> Iterator[None]:
    """Note `real_actor` on every audit record written inside the block."""
    token = _REAL_ACTOR.set(real_actor)
    try:
        yield
    finally:
        _REAL_ACTOR.reset(token)


def current_real_actor() -> RealActor | None:
    return _REAL_ACTOR.get()


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
    """Append one record. `actor` defaults to `request.user` (the effective user; while an
    administrator impersonates someone, the real administrator is noted in `real_actor_*`)."""
    if actor is None and request is not None:
        actor = request.user
    real = current_real_actor()
    real_user = getattr(request, "real_user", None) if request is not None else None
    if real is None and real_user is not None:
        real = RealActor(user_id=real_user.pk, username=real_user.get_username())
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
        real_actor_id=real.user_id if real is not None else None,
        real_actor_username=real.username if real is not None else "",
    )


def audit_read(
    request: HttpRequest,
    obj: Any,
    client_id: int | None,
    purpose: str = "",
    *,
    object_type: str = "",
) -> AuditRecord:
    """One `read` record for showing `obj` (a dossier, a trajectory...) to `request.user`.

    `client_id` is the client the data is about (None when it concerns no client);
    `object_type` defaults to the model name (`client`, `trajectory`...)."""
    return audit_log(
        action=AuditAction.READ,
        request=request,
        object_type=object_type or type(obj)._meta.model_name or type(obj).__name__.lower(),
        object_id=getattr(obj, "pk", obj),
        client_id=client_id,
        purpose=purpose,
    )


def audit_log_many(records: list[dict[str, Any]]) -> None:
    """Bulk variant for list results and exports (one row per client shown)."""
    real = current_real_actor()
    if real is not None:
        records = [
            {"real_actor_id": real.user_id, "real_actor_username": real.username, **r}
            for r in records
        ]
    AuditRecord.objects.bulk_create([AuditRecord(**r) for r in records], batch_size=1000)


def audit_records_for_request(
    request: HttpRequest,
    *,
    action: AuditAction | str,
    object_type: str,
    items: list[tuple[object, int | None]],
    purpose: str = "",
) -> None:
    """Bulk `audit_log_many` rows for the user of `request`: one per (object_id, client_id)."""
    user = request.user
    authenticated = getattr(user, "is_authenticated", False)
    base: dict[str, Any] = {
        "organisation_id": getattr(user, "organisation_id", None),
        "actor_id": user.pk if authenticated else None,
        "actor_username": user.get_username() if authenticated else "",
        "actor_roles": ",".join(sorted(getattr(user, "role_codes", ())))[:255],
        "action": str(action),
        "object_type": object_type,
        "purpose": purpose[:200],
        "ip_address": _client_ip(request),
    }
    real_user = getattr(request, "real_user", None)
    if real_user is not None and current_real_actor() is None:
        base["real_actor_id"] = real_user.pk
        base["real_actor_username"] = real_user.get_username()
    audit_log_many(
        [
            {**base, "object_id": str(object_id), "client_id": client_id}
            for object_id, client_id in items
        ]
    )
