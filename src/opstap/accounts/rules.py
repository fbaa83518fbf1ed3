"""Who may change whose roles (R-SEC-1, section 1: the functional administrator manages the
users of the own organisation), as pure typed functions: no ORM.

- Residents get their role through DigiD and provider staff through their provider: neither
  is assignable on the user page (`ASSIGNABLE_ROLES`).
- No one changes their own roles or deactivates themselves (no self-elevation; segregation of
  duties: a second administrator does it).
- The organisation keeps at least one active functional administrator.
"""

from __future__ import annotations

from collections.abc import Iterable

from opstap.core.roles import ROLE_NAMES_NL, STAFF_ROLES, RoleCode

__all__ = [
    "ASSIGNABLE_ROLES",
    "change_refusal",
    "unknown_or_unassignable",
]

#: Roles a functional administrator hands out on the user page, in menu order.
ASSIGNABLE_ROLES: tuple[RoleCode, ...] = tuple(
    code for code in RoleCode if code in STAFF_ROLES and code is not RoleCode.PROVIDER_STAFF
)


def unknown_or_unassignable(codes: Iterable[str]) -> str:
    """The Dutch refusal for role codes that are not assignable here, or '' when all are."""
    known = {c.value for c in RoleCode}
    unknown = sorted(c for c in codes if c not in known)
    if unknown:
        return f"Onbekende rol(len): {', '.join(unknown)}."
    assignable = {c.value for c in ASSIGNABLE_ROLES}
    refused = sorted(ROLE_NAMES_NL[RoleCode(c)] for c in codes if c not in assignable)
    if refused:
        return (
            f"Deze rol(len) kunt u hier niet toekennen: {', '.join(refused)}. Inwoners krijgen "
            "hun toegang via DigiD, medewerkers van een aanbieder via hun aanbieder."
        )
    return ""


def change_refusal(
    *,
    actor_id: int,
    user_id: int,
    user_is_admin: bool,
    stays_active_admin: bool,
    other_active_admins: int,
) -> str:
    """The Dutch refusal of a change of `user`'s roles or active state, or '' when allowed.

    `user_is_admin`: the user is now an active functional administrator;
    `stays_active_admin`: after the change they still are one;
    `other_active_admins`: active functional administrators of the organisation besides them."""
    if actor_id == user_id:
        return (
            "U kunt uw eigen rollen en account niet wijzigen; vraag een andere functioneel "
            "beheerder."
        )
    if user_is_admin and not stays_active_admin and other_active_admins < 1:
        return (
            "Dit is de laatste actieve functioneel beheerder van de organisatie; wijs eerst een "
            "andere functioneel beheerder aan."
        )
    return ""
