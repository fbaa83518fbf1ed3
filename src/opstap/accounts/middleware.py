"""SessionPolicyMiddleware (R-SEC-3): idle timeout per role, second factor for staff, and
impersonation for support.

Runs after AuthenticationMiddleware and OTPMiddleware, before OrganisationMiddleware (so an
impersonated user's organisation is the one used).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from opstap.audit.models import AuditAction
from opstap.audit.services import RealActor, acting_as, audit_log
from opstap.core.actor import Actor

from .impersonation import impersonation_target
from .session_policy import (
    IDLE_SECONDS,
    IMPERSONATE,
    LAST_ACTIVITY,
    MFA_BY_IDP,
    activity_due,
    idle_seconds_for,
    needs_second_factor,
)

_EXEMPT_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:2fa_setup",
    "accounts:2fa_verify",
    "web:accessibility",
    "healthz",
    "livez",
    "readyz",
    "metrics",
)


def _exempt_paths() -> set[str]:
    return {reverse(name) for name in _EXEMPT_URL_NAMES}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _problem(status: int, title: str, detail: str, request: HttpRequest) -> HttpResponse:
    from opstap.core.problems import problem_response

    return problem_response(status, title, detail, instance=request.path)


def _is_verified(user: Actor) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        viewer = request.user
        if isinstance(viewer, AnonymousUser) or not viewer.is_authenticated:
            return self.get_response(request)
        user: Actor = viewer

        # 1. Idle timeout, server-side, per role (of the real user when impersonating).
        idle = request.session.get(IDLE_SECONDS)  # fixed at login: no query per request
        if not isinstance(idle, int):
            idle = idle_seconds_for(user)
            request.session[IDLE_SECONDS] = idle
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY)
        if last is not None and now - int(last) > idle:
            audit_log(
                action=AuditAction.LOGOUT,
                request=request,
                actor=user,
                object_type="session",
                purpose="Automatisch uitgelogd na inactiviteit",
            )
            logout(request)
            if _is_api(request):
                return _problem(401, "Sessie verlopen", "Log opnieuw in.", request)
            response = redirect_to_login(request.get_full_path())
            response["Location"] += "&sessie=verlopen"
            return response
        if activity_due(last, now):  # at most one session write a minute (session_policy)
            request.session[LAST_ACTIVITY] = now
            request.session.set_expiry(idle)
        request.opstap_idle_seconds = idle  # type: ignore[attr-defined]

        # 2. Second factor for staff (OPSTAP_REQUIRE_2FA).
        if (
            needs_second_factor(user)
            and not request.session.get(MFA_BY_IDP)
            and not _is_verified(user)
            and request.path not in _exempt_paths()
            and not request.path.startswith("/static/")
        ):
            if _is_api(request):
                return _problem(
                    403,
                    "Tweede factor vereist",
                    "Bevestig eerst uw inlog met een TOTP-code.",
                    request,
                )
            from django_otp.plugins.otp_totp.models import TOTPDevice

            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = reverse("accounts:2fa_verify" if has_device else "accounts:2fa_setup")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

        # 3. Impersonation: the request runs as the target user; the audit trail notes the
        #    real administrator on every record written meanwhile.
        if IMPERSONATE in request.session:
            target_user = impersonation_target(user, request.session[IMPERSONATE])
            if target_user is None:
                del request.session[IMPERSONATE]
            else:
                target_user.is_verified = user.is_verified  # type: ignore[attr-defined]
                request.real_user = user  # type: ignore[attr-defined]
                request.user = target_user
                real = RealActor(user_id=user.pk, username=user.get_username())
                with acting_as(real):
                    return self.get_response(request)
        return self.get_response(request)
