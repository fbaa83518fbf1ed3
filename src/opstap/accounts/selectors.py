"""Reads of users for other apps: the staff dropdowns (case managers, income coaches), in the
one Dutch order (surname without its prefix: 'Berg, Sandra van den')."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from opstap.core.roles import Perm, RoleCode

from .models import Role, User, surname_sort_key


def by_surname(users: Iterable[User]) -> list[User]:
    """`users` in the order of a Dutch name list (see `models.surname_sort_key`). Staff
    lists are short (one organisation's case managers), so the sort is done here rather
    than in SQL, which cannot strip the prefix."""
    return sorted(
        users, key=lambda u: (*surname_sort_key(u.first_name, u.last_name, u.username), u.pk)
    )


def active_users_with_role(organisation_id: int | None, role: RoleCode | str) -> QuerySet[User]:
    """The organisation's active users with `role` (unordered: show them `by_surname`)."""
    if organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=organisation_id, roles__code=role, is_active=True
    ).distinct()


def active_users_with_role_by_surname(
    organisation_id: int | None, role: RoleCode | str
) -> list[User]:
    return by_surname(active_users_with_role(organisation_id, role))


def active_users_with_perm(organisation_id: int | None, perm: Perm | str) -> QuerySet[User]:
    """The organisation's active users holding `perm` through any of their roles (roles are
    data: whichever roles the administrator gave it). Two queries: the roles, then the users."""
    if organisation_id is None:
        return User.objects.none()
    role_ids = [
        pk
        for pk, perms in Role.objects.values_list("pk", "permissions")
        if str(perm) in (perms or [])
    ]
    return User.objects.filter(
        organisation_id=organisation_id, roles__in=role_ids, is_active=True
    ).distinct()


#: Roles whose holders are not managed on the user page (DigiD, the provider).
_NOT_STAFF = (RoleCode.RESIDENT.value, RoleCode.PROVIDER_STAFF.value)


def manageable_users(
    organisation_id: int | None, *, role: str = "", search: str = ""
) -> QuerySet[User]:
    """The staff users of one organisation for the user page (R-SEC-1): no residents, no
    provider staff, no technical superusers, no other organisation; each with its roles
    (prefetched: two queries whatever the number of users). `role` filters on a role code,
    `search` on (part of) the name, username or e-mail."""
    if organisation_id is None:
        return User.objects.none()
    qs = (
        User.objects.filter(organisation_id=organisation_id, is_superuser=False)
        .exclude(roles__code__in=_NOT_STAFF)
        .only(
            "pk", "username", "first_name", "last_name", "email", "is_active", "last_login",
            "organisation_id",
        )
        .prefetch_related(Prefetch("roles", queryset=Role.objects.only("pk", "code", "name")))
    )  # fmt: skip
    if role:
        qs = qs.filter(roles__code=role)
    for word in search.split()[:5]:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    return qs.distinct()


def manageable_user(organisation_id: int | None, pk: int) -> User | None:
    """One user of the user page, or None when not in `manageable_users`."""
    return manageable_users(organisation_id).filter(pk=pk).first()
