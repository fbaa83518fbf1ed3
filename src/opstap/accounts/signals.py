"""Audit records for logins, logouts, failed logins and lockouts (R-SEC-2, R-SEC-3)."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor

from .models import User
from .session_policy import (
    IDLE_SECONDS,
    LAST_ACTIVITY,
    LOGIN_METHOD,
    MFA_BY_IDP,
    idle_seconds_for,
)


def _org_of_username(username: str) -> int | None:
    if not username:
        return None
    return User.objects.filter(username=username).values_list("organisation_id", flat=True).first()


@receiver(user_logged_in, dispatch_uid="opstap_audit_login")
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    backend = getattr(user, "backend", "") or ""
    method = "wachtwoord"
    if request is not None:
        if backend.endswith("StaffOIDCBackend"):
            request.session[MFA_BY_IDP] = True
        method = request.session.get(LOGIN_METHOD) or (
            "OIDC" if "OIDC" in backend or "DigiD" in backend else "wachtwoord"
        )
        request.session[LAST_ACTIVITY] = int(time.time())
        request.session[IDLE_SECONDS] = idle_seconds_for(user)
        request.session.set_expiry(request.session[IDLE_SECONDS])
    audit_log(
        action=AuditAction.LOGIN,
        actor=user,
        request=request,
        object_type="user",
        object_id=user.pk,
        purpose=f"Inloggen ({method})",
    )


@receiver(user_logged_out, dispatch_uid="opstap_audit_logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Actor | None, **kwargs: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    actor = getattr(request, "real_user", None) or user
    audit_log(
        action=AuditAction.LOGOUT,
        actor=actor,
        request=request,
        object_type="user",
        object_id=actor.pk,
        purpose="Uitloggen",
    )


@receiver(user_login_failed, dispatch_uid="opstap_audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")[:150]
    audit_log(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        actor=None,
        object_type="user",
        object_id=username[:64],
        organisation_id=_org_of_username(username),
        purpose="Mislukte inlogpoging",
        result="geweigerd",
    )


@receiver(user_locked_out, dispatch_uid="opstap_audit_lockout")
def on_lockout(
    sender: Any, request: HttpRequest | None = None, username: str = "", **kwargs: Any
) -> None:
    audit_log(
        action=AuditAction.LOCKOUT,
        request=request,
        actor=None,
        object_type="user",
        object_id=(username or "")[:64],
        organisation_id=_org_of_username(username or ""),
        purpose="Account tijdelijk geblokkeerd na 5 mislukte pogingen",
        result="geweigerd",
    )
