"""The signed-in user of a request in one statement (issue 18, R-SEC-1, R-SEC-3).

Every signed-in request needed the user, its organisation, its roles (with their permission
codes) and, for staff with a second factor, whether the device named in the session still
exists, belongs to the user and is confirmed: four statements after the session's. Here they
are one: the user row joined to its organisation, with two correlated subqueries that return
the roles held and the ids of the user's confirmed TOTP devices as JSON text.

Nothing is cached between requests: every request reads the current rows, so a removed role,
a changed permission list, a deactivated user, a deleted or unconfirmed device and a changed
password (Django's session auth hash, from the same row) take effect on the very next request.

`RequestUserBackend` replaces Django's ModelBackend (same authentication, `get_user` through
`request_user`); the OIDC backends use `request_user` too (accounts.oidc). The
`TOTPFromUserMiddleware` (instead of django_otp's OTPMiddleware) takes the device's validity
from the ids read with the user and loads the device itself only if something uses it.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Expression, TextField
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, User

#: Annotation names on a user read by `request_user` (JSON text, or absent).
ROLES_HELD = "opstap_roles_held_json"
TOTP_DEVICE_IDS = "opstap_totp_device_ids_json"


def _tables() -> dict[str, str]:
    through = User.roles.through._meta
    return {
        "user": User._meta.db_table,
        "role": Role._meta.db_table,
        "user_roles": through.db_table,
        "through_user": through.get_field("user").column,
        "through_role": through.get_field("role").column,
        "device": TOTPDevice._meta.db_table,
    }


def _roles_sql(vendor: str) -> str | None:
    t = _tables()
    where = (
        f'FROM "{t["role"]}" r INNER JOIN "{t["user_roles"]}" ur ON ur."{t["through_role"]}" '
        f'= r."id" WHERE ur."{t["through_user"]}" = "{t["user"]}"."id"'
    )
    if vendor == "postgresql":
        return (
            '(SELECT COALESCE(json_agg(json_build_array(r."code", r."permissions")), \'[]\')'
            f"::text {where})"
        )
    if vendor == "sqlite":
        return f'(SELECT json_group_array(json_array(r."code", json(r."permissions"))) {where})'
    return None


def _devices_sql(vendor: str) -> str | None:
    t = _tables()
    where = f'FROM "{t["device"]}" d WHERE d."user_id" = "{t["user"]}"."id" AND d."confirmed"'
    if vendor == "postgresql":
        return f"(SELECT COALESCE(json_agg(d.\"id\"), '[]')::text {where})"
    if vendor == "sqlite":
        return f'(SELECT json_group_array(d."id") {where})'
    return None


class _PerVendorSQL(Expression):
    """A correlated subquery written for PostgreSQL and SQLite (JSON text)."""

    output_field = TextField()

    def __init__(self, build: Any) -> None:
        super().__init__()
        self.build = build

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        sql = self.build(connection.vendor)
        if sql is None:  # another database: NULL, and the roles are read as before
            return "NULL", ()
        return sql, ()


def request_users() -> Any:
    """Users with their organisation, roles and confirmed TOTP device ids, in one statement."""
    return User._default_manager.select_related("organisation").annotate(
        **{ROLES_HELD: _PerVendorSQL(_roles_sql), TOTP_DEVICE_IDS: _PerVendorSQL(_devices_sql)}
    )


def _prime(user: User) -> User:
    """Set the roles read with the user where `User._roles_held` looks for them."""
    held = getattr(user, ROLES_HELD, None)
    if held is not None:
        user.__dict__["_roles_held"] = tuple((str(code), perms) for code, perms in json.loads(held))
    return user


def request_user(user_id: Any) -> User | None:
    """The user with this id as a request needs it (see the module docstring), or None."""
    try:
        user = request_users().get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        return None
    return _prime(user)


class RequestUserBackend(ModelBackend):
    """Django's ModelBackend (password authentication, inactive users refused) whose
    `get_user` reads the user, organisation, roles and devices in one statement."""

    def get_user(self, user_id: Any) -> User | None:
        user = request_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def confirmed_device_ids(user: Any) -> frozenset[int] | None:
    """Ids of the user's confirmed TOTP devices as read with the user, or None when the user
    was not read by `request_user`."""
    raw = getattr(user, TOTP_DEVICE_IDS, None)
    if raw is None:
        return None
    return frozenset(int(i) for i in json.loads(raw))


class TOTPFromUserMiddleware(OTPMiddleware):
    """django_otp's OTPMiddleware, without a statement for a TOTP device: the device named in
    the session counts as verifying only if it is among the user's confirmed devices read with
    the user in this request (so a deleted or unconfirmed device, or another user's, ends the
    verification at once, and its id leaves the session as django_otp does). The device row
    itself is loaded only when something reads `user.otp_device`'s fields."""

    _TOTP_PREFIX = TOTPDevice.model_label() + "/"

    def _verify_user_sync(self, request: Any, user: Any) -> Any:
        ids = confirmed_device_ids(user) if user.is_authenticated else None
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if ids is not None else None
        if ids is None or not persistent_id:
            return super()._verify_user_sync(request, user)
        persistent_id = self._normalize_persistent_id(persistent_id)
        if not persistent_id.startswith(self._TOTP_PREFIX):
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        try:
            device_id = int(persistent_id[len(self._TOTP_PREFIX) :])
        except ValueError:
            device_id = None
        if device_id is not None and device_id in ids:
            user.otp_device = SimpleLazyObject(
                lambda: TOTPDevice.objects.filter(pk=device_id, user_id=user.pk).first()
            )
        else:
            user.otp_device = None
            del request.session[DEVICE_ID_SESSION_KEY]
        return user


__all__ = [
    "RequestUserBackend",
    "TOTPFromUserMiddleware",
    "confirmed_device_ids",
    "request_user",
    "request_users",
]
