"""`Actor`: the type of the person who acts, for every `actor=` / `user=` of services and
selectors (instead of `Any`).

For mypy it is the project's user model: django-stubs resolves
`django.contrib.auth.models._User` to `settings.AUTH_USER_MODEL`, so every attribute of
`opstap.accounts.models.User` (roles, organisation, `has_opstap_perm`, ...) is checked, and
core still imports no Opstap app. At runtime it is Django's `AbstractBaseUser`, so
annotations evaluated at runtime (DRF, drf-spectacular) work.

A view hands the signed-in user to a service with `actor_of(request)`: `request.user` is typed
"user or anonymous", a service wants a user. `SYSTEM` (None) is the actor of work nobody
started by hand (background compilation, scheduled jobs); functions that accept it say
`actor: Actor | None`.

`Viewer` is whoever may be looking at data: a user, an anonymous visitor or nobody (`SYSTEM`).
`core.access` accepts a `Viewer` (anyone but a signed-in, active user sees nothing) and hands
the scope policies the `Actor` that `active_actor` found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

    Actor: TypeAlias = _User
else:
    from django.contrib.auth.base_user import AbstractBaseUser as Actor

__all__ = ["SYSTEM", "Actor", "Viewer", "active_actor", "actor_of", "organisation_id_of"]

SYSTEM = None

Viewer: TypeAlias = Actor | AnonymousUser | None


def active_actor(user: Viewer) -> Actor | None:
    """The user when signed in and active; otherwise None (anonymous, inactive, nobody)."""
    if user is None or isinstance(user, AnonymousUser):
        return None
    if not user.is_authenticated or not user.is_active:
        return None
    return user


def actor_of(request: Any) -> Actor:
    """The signed-in user of a Django or DRF request. Views behind a login never meet an
    anonymous user; if one gets here anyway, the answer is 403 rather than a crash."""
    user = request.user
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionDenied
    return user  # type: ignore[no-any-return]


def organisation_id_of(actor: Actor) -> int:
    """The organisation the actor works for; a user without one may not act on an
    organisation's data (403, Dutch message)."""
    from .errors import PermissionDeniedError

    organisation_id: int | None = actor.organisation_id
    if organisation_id is None:
        raise PermissionDeniedError("U hoort bij geen organisatie.")
    return organisation_id
