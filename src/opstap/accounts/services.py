"""State changes of users, roles and API tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, ROLE_NAMES_NL, RoleCode
from opstap.organisations.models import Organisation

from .models import ApiToken, Role, User


class AccountError(InvalidInputError):
    """A request about accounts that cannot be honoured; the message is for the user."""


def roles_sync_defaults() -> None:
    """Create missing roles with the default matrix; existing roles keep their (edited) rights."""
    for code, perms in DEFAULT_ROLE_PERMISSIONS.items():
        Role.objects.get_or_create(
            code=code.value,
            defaults={"name": ROLE_NAMES_NL[code], "permissions": sorted(p.value for p in perms)},
        )


@transaction.atomic
def user_create(
    *,
    username: str,
    organisation: Organisation | None,
    roles: Iterable[RoleCode | str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate: bool = True,
) -> User:
    """Create a user with roles. `validate=False` is for demo/test fixtures with a shared
    demo password; real accounts always pass Django's password validators."""
    if User.objects.filter(username=username).exists():
        raise AccountError(f"Gebruikersnaam '{username}' is al in gebruik.")
    codes = {str(code) for code in roles}
    role_objs = list(Role.objects.filter(code__in=codes))
    if len(role_objs) != len(codes):
        unknown = codes - {r.code for r in role_objs}
        raise AccountError(f"Onbekende rol(len): {', '.join(sorted(unknown))}.")
    user = User(
        username=username,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password:
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise AccountError(" ".join(exc.messages)) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.roles.set(role_objs)
    return user


def _token_days(days: int | None) -> int:
    value = settings.OPSTAP_API_TOKEN_DAYS if days is None else days
    if not 1 <= value <= 366:
        raise AccountError("Een token is 1 tot 366 dagen geldig.")
    return value


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, actor: Actor | None = None, days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token for an application or provider system, valid `days` (default
    OPSTAP_API_TOKEN_DAYS); returns the stored row and the token (shown once) (R-SEC-3)."""
    if not user.is_active:
        raise AccountError("Een inactieve gebruiker kan geen token krijgen.")
    if not (name or "").strip():
        raise AccountError("Geef het token een naam (het systeem dat het gebruikt).")
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + dt.timedelta(days=_token_days(days)),
    )
    _audit_token(actor, token, "create", f"API-token uitgegeven: {token.name}")
    return token, key


@transaction.atomic
def api_token_rotate(
    *, token: ApiToken, actor: Actor | None = None, overlap_hours: int = 24, days: int | None = None
) -> tuple[ApiToken, str]:
    """Replace a token by a new one for the same user and system. The old one keeps working
    for `overlap_hours` (so the system can switch without downtime), then expires."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    now = timezone.now()
    if not locked.is_valid_at(now):
        raise AccountError("Dit token is ingetrokken of verlopen; geef een nieuw token uit.")
    if locked.replaced_by_id is not None:
        raise AccountError("Dit token is al vervangen.")
    new, key = api_token_issue(user=locked.user, name=locked.name, actor=actor, days=days)
    end = now + dt.timedelta(hours=max(0, min(overlap_hours, 24 * 14)))
    locked.expires_at = min(locked.expires_at or end, end)
    locked.replaced_by = new
    locked.save(update_fields=["expires_at", "replaced_by"])
    _audit_token(actor, locked, "update", f"API-token geroteerd: {locked.name}")
    return new, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Actor | None = None) -> ApiToken:
    """Revoke a token now (it answers 401 from the next request on)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        _audit_token(actor, locked, "update", f"API-token ingetrokken: {locked.name}")
    return locked


def _audit_token(actor: Actor | None, token: ApiToken, action: str, purpose: str) -> None:
    from opstap.audit.services import audit_log

    audit_log(
        action=action,
        actor=actor,
        object_type="api_token",
        object_id=token.pk,
        purpose=purpose[:200],
        organisation_id=token.user.organisation_id,
    )


# The user's own consent to support access (issue 19), for other apps (e.g. the demo).
from .impersonation import support_consent_set as support_consent_set  # noqa: E402
