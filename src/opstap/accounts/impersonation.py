"""Impersonation for support: an application administrator acts as another user of the same
organisation, with a reason, fully audited (start, stop, and every record meanwhile notes the
real administrator) and visibly bannered.

Narrowed in issue 19 (item 5): the administrator has no dossier content and no audit trail,
so impersonation must not become a way round that:

- only users who agreed themselves (`User.allows_support_access`, set by the user on
  "Ondersteuning" — `support_consent_set(actor=user, ...)`; nobody else can set it);
- never users with a sensitive role (`SENSITIVE_ROLES`: case managers, income coaches and
  auditors read dossiers or the audit trail). Four-eyes approval by a second administrator
  was considered and refused: it would still hand one person dossier access outside the
  scopes, and support can reproduce with a test account. Refused, not approved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor, actor_of
from opstap.core.errors import PermissionDeniedError
from opstap.core.roles import ROLE_NAMES_NL, Perm, RoleCode

from .backends import request_user
from .models import User
from .session_policy import IMPERSONATE


class ImpersonationError(PermissionDeniedError):
    """Impersonation is not allowed; the message is for the user (Dutch)."""


#: Roles that read dossiers or the audit trail: never impersonated (see the module docstring).
SENSITIVE_ROLES: frozenset[RoleCode] = frozenset(
    {RoleCode.CASE_MANAGER, RoleCode.INCOME_COACH, RoleCode.AUDITOR}
)


def impersonation_check(*, actor: Actor, target: User) -> None:
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
    sensitive = sorted(str(ROLE_NAMES_NL[r]) for r in SENSITIVE_ROLES if target.has_role(r))
    if sensitive:
        raise ImpersonationError(
            f"Handelen als een gebruiker met de rol {', '.join(sensitive)} is niet toegestaan "
            "(toegang tot dossiers of de audittrail). Gebruik een testaccount."
        )
    if not target.allows_support_access:
        raise ImpersonationError(
            "Deze gebruiker heeft geen toestemming gegeven voor ondersteuning. Vraag de "
            "gebruiker dit zelf aan te zetten onder 'Ondersteuning'."
        )


def impersonation_candidates(actor: Actor) -> Any:
    """The users `actor` may act as (for the form): same organisation, active, agreed, no
    sensitive role."""
    return (
        User.objects.filter(
            organisation_id=actor.organisation_id or 0,
            is_active=True,
            is_superuser=False,
            allows_support_access=True,
        )
        .exclude(pk=actor.pk)
        .exclude(roles__code__in=[r.value for r in SENSITIVE_ROLES])
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def support_consent_set(*, actor: Actor, user: User, allow: bool) -> User:
    """A user agrees (or stops agreeing) that an administrator may act as them. Only the
    user themself (not while being impersonated: `actor` is then the administrator)."""
    if actor is None or getattr(actor, "pk", None) != user.pk:
        raise ImpersonationError("Alleen de gebruiker zelf kan deze toestemming geven.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.allows_support_access != allow:
        user.allows_support_access = allow
        user.support_access_changed_at = timezone.now()
        user.save(update_fields=["allows_support_access", "support_access_changed_at"])
        audit_log(
            action=AuditAction.UPDATE,
            actor=actor,
            object_type="user",
            object_id=user.pk,
            purpose="Toestemming voor ondersteuning " + ("gegeven" if allow else "ingetrokken"),
            changes={"allows_support_access": {"old": not allow, "new": allow}},
        )
    return user


def impersonation_target(real_user: Actor, state: Any) -> User | None:
    """The user being impersonated, re-checked on every request (None when no longer valid)."""
    try:
        target = request_user(int(state["user_id"]))  # with organisation and roles
        if target is None:
            return None
        impersonation_check(actor=real_user, target=target)
    except (ImpersonationError, KeyError, TypeError, ValueError):
        return None
    return target


def impersonation_start(*, request: HttpRequest, target: User, reason: str) -> None:
    """Start acting as `target`; the reason is required and goes into the audit trail."""
    actor: Actor = getattr(request, "real_user", None) or actor_of(request)
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
    actor: Actor = getattr(request, "real_user", None) or actor_of(request)
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
