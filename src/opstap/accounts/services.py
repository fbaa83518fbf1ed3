"""State changes of users, roles and API tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, ROLE_NAMES_NL, RoleCode
from opstap.organisations.models import Organisation

from . import rules
from .models import ApiToken, Role, User


class AccountError(InvalidInputError):
    """A request about accounts that cannot be honoured; the message is for the user."""


@dataclass(frozen=True)
class AccountChange:
    """What the functional administrator changed of a user on /gebruikers/ (R-SEC-1):
    `kind` is "roles" (with the role codes before and after), "deactivated" or
    "reactivated". Handed to the listeners once the change is committed."""

    actor_id: int
    user_id: int
    kind: str
    old_roles: tuple[str, ...] = ()
    new_roles: tuple[str, ...] = ()


AccountChangeListener = Callable[[AccountChange], None]

#: Who hears of a changed account, registered at start-up by an app above accounts (the
#: notifications app tells the user): upward needs go through a registry in the lower app.
_CHANGE_LISTENERS: list[AccountChangeListener] = []


def register_account_change_listener(listener: AccountChangeListener) -> AccountChangeListener:
    """Register `listener` (once) to be called after a user's roles or active state changed."""
    if listener not in _CHANGE_LISTENERS:
        _CHANGE_LISTENERS.append(listener)
    return listener


def _announce(change: AccountChange) -> None:
    """Call the listeners once the transaction commits: a refused or rolled-back change is
    announced to no one. Never about one's own act (the rules refuse that anyway)."""
    if change.actor_id == change.user_id:
        return

    def _call() -> None:
        for listener in _CHANGE_LISTENERS:
            listener(change)

    transaction.on_commit(_call)


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
    organisation: Organisation | None = None,
    roles: Iterable[RoleCode | str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate: bool = True,
    actor: Actor | None = None,
) -> User:
    """Create a user with roles. `validate=False` is for demo/test fixtures with a shared
    demo password; real accounts always pass Django's password validators.

    With an `actor` (the functional administrator on the user page, R-SEC-1): the user joins
    the actor's organisation, gets only assignable staff roles (`rules.ASSIGNABLE_ROLES`), has
    no password (they sign in through the organisation's SSO), every field is checked against
    the model (lengths, e-mail, username characters), and the creation is an audit record."""
    username = (username or "").strip()
    codes = {str(code) for code in roles}
    if actor is not None:
        organisation = _organisation_of(actor)
        password = None
        refusal = rules.unknown_or_unassignable(codes)
        if refusal:
            raise AccountError(refusal, field="roles")
        if not codes:
            raise AccountError("Kies ten minste één rol.", field="roles")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"Gebruikersnaam '{username}' is al in gebruik.", field="username")
    role_objs = list(Role.objects.filter(code__in=codes))
    if len(role_objs) != len(codes):
        unknown = codes - {r.code for r in role_objs}
        raise AccountError(f"Onbekende rol(len): {', '.join(sorted(unknown))}.", field="roles")
    user = User(
        username=username,
        organisation=organisation,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=(email or "").strip(),
    )
    if actor is not None:
        _check_fields(user)
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
    if actor is not None:
        _audit_user(
            actor,
            user,
            "create",
            f"Gebruiker aangemaakt: {user.username}",
            {"roles": [[], sorted(codes)]},
        )
    return user


def _organisation_of(actor: Actor) -> Organisation:
    if actor.organisation is None:
        raise AccountError("U hoort bij geen organisatie en kunt geen gebruikers beheren.")
    return actor.organisation


def _check_fields(user: User) -> None:
    """The model's own checks (lengths, e-mail, username characters) as Dutch field errors."""
    try:
        user.full_clean(exclude=["password", "organisation"], validate_unique=False)
    except ValidationError as exc:
        raise AccountError.of_all(
            [
                AccountError(message, field=field)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc


def _manageable(actor: Actor, user: User) -> User:
    """`user` locked for the change, when the actor may manage them: the own organisation,
    no superuser, no resident or provider staff (they come from DigiD or the provider)."""
    organisation = _organisation_of(actor)
    locked = (
        User.objects.select_for_update()
        .filter(pk=user.pk, organisation=organisation, is_superuser=False)
        .first()
    )
    if locked is None or locked.role_codes & _NOT_MANAGED_HERE:
        raise AccountError("Deze gebruiker kunt u hier niet beheren.", code="not_found")
    return locked


_NOT_MANAGED_HERE = frozenset({RoleCode.RESIDENT.value, RoleCode.PROVIDER_STAFF.value})


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise AccountError("Geef een reden op.", field="reason")
    if len(text) > 200:
        raise AccountError("Houd de reden korter dan 200 tekens.", field="reason")
    return text


def _refuse_change(actor: Actor, user: User, *, stays_active_admin: bool) -> None:
    admin = RoleCode.APP_ADMIN.value
    user_is_admin = user.is_active and admin in user.role_codes
    others = 0
    if user_is_admin and not stays_active_admin:
        # Lock the organisation's administrators: two of them removing each other at the
        # same moment must not leave none.
        others = len(
            User.objects.select_for_update()
            .filter(organisation_id=user.organisation_id or 0, is_active=True, roles__code=admin)
            .exclude(pk=user.pk)
            .values_list("pk", flat=True)
        )
    refusal = rules.change_refusal(
        actor_id=actor.pk,
        user_id=user.pk,
        user_is_admin=user_is_admin,
        stays_active_admin=stays_active_admin,
        other_active_admins=others,
    )
    if refusal:
        raise AccountError(refusal)


@transaction.atomic
def user_roles_set(
    *, actor: Actor, user: User, roles: Iterable[RoleCode | str], reason: str
) -> User:
    """Give a staff user of the actor's organisation exactly `roles` (R-SEC-1): only
    assignable roles, never one's own, never the last active functional administrator's
    administrator role; with a reason, as an audit record."""
    locked = _manageable(actor, user)
    codes = {str(code) for code in roles}
    text = _reason(reason)
    refusal = rules.unknown_or_unassignable(codes)
    if refusal:
        raise AccountError(refusal, field="roles")
    if not codes:
        raise AccountError(
            "Kies ten minste één rol; wilt u iemand alle toegang ontnemen, zet het account dan "
            "op inactief.",
            field="roles",
        )
    _refuse_change(
        actor, locked, stays_active_admin=locked.is_active and RoleCode.APP_ADMIN.value in codes
    )
    old = sorted(locked.role_codes)
    new = sorted(codes)
    if old != new:
        locked.roles.set(list(Role.objects.filter(code__in=codes)))
        _audit_user(actor, locked, "update", f"Rollen gewijzigd: {text}", {"roles": [old, new]})
        _announce(AccountChange(actor.pk, locked.pk, "roles", tuple(old), tuple(new)))
    return locked


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User, reason: str) -> User:
    """Block a staff user of the actor's organisation (sessions, SSO and API tokens stop
    working with the next request); never oneself or the last active administrator."""
    locked = _manageable(actor, user)
    text = _reason(reason)
    _refuse_change(actor, locked, stays_active_admin=False)
    if locked.is_active:
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        _audit_user(
            actor, locked, "update", f"Account gedeactiveerd: {text}", {"is_active": [True, False]}
        )
        _announce(AccountChange(actor.pk, locked.pk, "deactivated"))
    return locked


@transaction.atomic
def user_reactivate(*, actor: Actor, user: User, reason: str) -> User:
    """Let a deactivated staff user of the actor's organisation sign in again."""
    locked = _manageable(actor, user)
    text = _reason(reason)
    _refuse_change(actor, locked, stays_active_admin=True)
    if not locked.is_active:
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        _audit_user(
            actor, locked, "update", f"Account geactiveerd: {text}", {"is_active": [False, True]}
        )
        _announce(AccountChange(actor.pk, locked.pk, "reactivated"))
    return locked


def _audit_user(
    actor: Actor, user: User, action: str, purpose: str, changes: dict[str, list[object]]
) -> None:
    from opstap.audit.services import audit_log

    audit_log(
        action=action,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        purpose=purpose[:200],
        changes=changes,
        organisation_id=user.organisation_id,
    )


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
