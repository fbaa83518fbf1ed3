"""State changes of users, roles and API tokens."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, ROLE_NAMES_NL, RoleCode
from opstap.organisations.models import Organisation

from .models import ApiToken, Role, User


class AccountError(Exception):
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


@transaction.atomic
def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a bearer token; returns the stored row and the token (shown once)."""
    if not user.is_active:
        raise AccountError("Een inactieve gebruiker kan geen token krijgen.")
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key)
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
