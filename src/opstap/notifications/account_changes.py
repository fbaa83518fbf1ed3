"""Tell a user what the functional administrator changed of their account (R-SEC-1,
docs/notifications.md: whoever is affected is told).

accounts sits below notifications, so accounts announces a committed change through its
registry (`accounts.services.register_account_change_listener`) and this module, imported at
start-up (`NotificationsConfig.registers`), turns it into a notice:

- roles changed: in-app and by e-mail (as every notification), old and new roles in Dutch;
- reactivated: in-app and by e-mail (the user can sign in again);
- deactivated: an e-mail only, sent now (a deactivated user cannot sign in to read an in-app
  notice, and the e-mail of a stored notification skips inactive users).

The actor is never told about their own act (accounts refuses changing oneself, and
`accounts.services` announces nothing then)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail

from opstap.accounts.models import User
from opstap.accounts.services import AccountChange, register_account_change_listener
from opstap.core.roles import ROLE_NAMES_NL, RoleCode

from .services import notification_send

ROLES_TITLE = "Uw rollen in Opstap zijn gewijzigd"
REACTIVATED_TITLE = "Uw account in Opstap is weer actief"
DEACTIVATED_TITLE = "Uw account in Opstap is gedeactiveerd"


def role_names(codes: Iterable[str]) -> str:
    """The roles in Dutch, sorted by name ("Auditor, Klantmanager / regisseur"); "geen"
    for none. An unknown code (a role no longer defined) shows as itself."""
    known = {role.value: ROLE_NAMES_NL.get(role, role.value) for role in RoleCode}
    names = sorted(known.get(code, code) for code in codes)
    return ", ".join(names) or "geen"


def roles_body(old: Iterable[str], new: Iterable[str]) -> str:
    return (
        "De functioneel beheerder heeft uw rollen gewijzigd.\n"
        f"Eerst: {role_names(old)}.\n"
        f"Nu: {role_names(new)}.\n"
        "Wat u in Opstap kunt zien en doen, hangt van uw rollen af. Klopt dit niet, neem dan "
        "contact op met de functioneel beheerder."
    )


def tell_user(change: AccountChange) -> None:
    if change.actor_id == change.user_id:
        return
    user = User.objects.filter(pk=change.user_id).first()
    if user is None or user.organisation_id is None:
        return
    if change.kind == "roles":
        notification_send(
            recipient=user,
            title=ROLES_TITLE,
            body=roles_body(change.old_roles, change.new_roles),
            url="/",
        )
    elif change.kind == "reactivated":
        notification_send(
            recipient=user,
            title=REACTIVATED_TITLE,
            body="De functioneel beheerder heeft uw account weer geactiveerd: u kunt weer "
            "inloggen.",
            url="/",
        )
    elif change.kind == "deactivated" and user.email:
        send_mail(
            subject=f"Opstap: {DEACTIVATED_TITLE}",
            message=(
                "De functioneel beheerder heeft uw account gedeactiveerd: u kunt niet meer "
                "inloggen. Klopt dit niet, neem dan contact op met de functioneel beheerder."
            ),
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,
        )


register_account_change_listener(tell_user)
