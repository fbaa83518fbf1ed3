"""Reads of users for other apps: the staff dropdowns (case managers, income coaches), in the
one Dutch order (surname without its prefix: 'Berg, Sandra van den')."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

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
