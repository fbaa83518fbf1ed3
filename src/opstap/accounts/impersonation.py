"""Impersonation for support: an application administrator acts as another user of the same
organisation, with a reason, fully audited (start, stop, and every record meanwhile notes the
real administrator) and visibly bannered."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.roles import Perm

from .models import User
from .session_policy import IMPERSONATE


class ImpersonationError(Exception):
    """Impersonation is not allowed; the message is for the user (Dutch)."""


def impersonation_check(*, actor: Any, target: User) -> None:
    """Raise ImpersonationError unless `actor` may act as `target`."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_opstap_perm(
        Perm.ADMIN_CONFIGURE
    ):
        raise ImpersonationError("U heeft geen recht om als een andere gebruiker te handelen.")
    if target.pk == actor.pk:
        raise ImpersonationError("U kunt niet als uzelf handelen.")
    if target.is_superuser:
        raise ImpersonationError("Handelen als een technisch beheerder is niet toegestaan.")
    if actor.organisation_id is None or target.organisation_id != actor.organisation_id:
        raise ImpersonationError("Deze gebruiker hoort niet bij uw organisatie.")
    if not target.is_active:
        raise ImpersonationError("Deze gebruiker is niet actief.")


def impersonation_target(real_user: Any, state: Any) -> User | None:
    """The user being impersonated, re-checked on every request (None when no longer valid)."""
    try:
        target = User.objects.select_related("organisation").get(pk=int(state["user_id"]))
        impersonation_check(actor=real_user, target=target)
    except (User.DoesNotExist, ImpersonationError, KeyError, TypeError, ValueError):
        return None
    return target


def impersonation_start(*, request: HttpRequest, target: User, reason: str) -> None:
    """Start acting as `target`; the reason is required and goes into the audit trail."""
    actor: Any = getattr(request, "real_user", None) or request.user
    reason = (reason or "").strip()
    if IMPERSONATE in request.session:
        raise ImpersonationError("U handelt al als een andere gebruiker; stop dat eerst.")
    if len(reason) < 5:
        raise ImpersonationError("Geef een reden op (minstens 5 tekens).")
    impersonation_check(actor=actor, target=target)
    request.session[IMPERSONATE] = {
        "user_id": target.pk,
        "reason": reason[:200],
        "started_at": timezone.now().isoformat(),
    }
    audit_log(
        action=AuditAction.IMPERSONATE,
        request=request,
        actor=actor,
        object_type="user",
        object_id=target.pk,
        purpose=f"Start handelen als {target.get_username()}: {reason}"[:200],
    )


def impersonation_stop(*, request: HttpRequest) -> None:
    state = request.session.pop(IMPERSONATE, None)
    if state is None:
        return
    actor: Any = getattr(request, "real_user", None) or request.user
    audit_log(
        action=AuditAction.IMPERSONATE,
        actor=actor,
        request=request,
        object_type="user",
        object_id=state.get("user_id", ""),
        purpose="Einde handelen als andere gebruiker",
    )


def impersonation_info(request: HttpRequest) -> dict[str, Any] | None:
    real = getattr(request, "real_user", None)
    if real is None:
        return None
    state = request.session.get(IMPERSONATE) or {}
    return {"real_user": real, "user": request.user, "reason": state.get("reason", "")}
