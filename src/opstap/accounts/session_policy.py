"""Session rules per user (R-SEC-3), shared by the middleware, views and signals."""

from __future__ import annotations

from django.conf import settings

from opstap.core.actor import Actor

# Session keys.
LAST_ACTIVITY = "opstap_last_activity"
MFA_BY_IDP = "opstap_mfa_by_idp"
IMPERSONATE = "opstap_impersonate"
LOGIN_METHOD = "opstap_login_method"
IDLE_SECONDS = "opstap_idle_seconds"

# The last activity is written to the session at most once a minute, not on every request: a
# session write is a database transaction (UPDATE and COMMIT) that every page paid for. The
# idle timeout therefore ends a session between `idle - 60` and `idle` seconds after the last
# request: never later than the policy, at most a minute earlier.
ACTIVITY_REFRESH_SECONDS = 60


def activity_due(last: object, now: int) -> bool:
    """Whether a request at `now` must write the last activity (none yet, or over a minute
    old)."""
    return not isinstance(last, int) or now - last >= ACTIVITY_REFRESH_SECONDS


def idle_seconds_for(user: Actor) -> int:
    """Idle timeout: residents 15 minutes, staff (and everyone else) 60 minutes."""
    if getattr(user, "is_resident", False):
        return int(settings.OPSTAP_RESIDENT_IDLE_SECONDS)
    return int(settings.OPSTAP_STAFF_IDLE_SECONDS)


def needs_second_factor(user: Actor) -> bool:
    """Staff (every role but resident) and superusers need TOTP when 2FA is required."""
    if not settings.OPSTAP_REQUIRE_2FA:
        return False
    return bool(getattr(user, "is_superuser", False) or getattr(user, "is_staff_member", False))
