from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The user fields that pages cache as organisation data (the case managers of a list's
#: filter: who, under which name, active or not, of which organisation; issue 18).
CACHED_USER_FIELDS = frozenset(
    {"username", "first_name", "last_name", "is_active", "organisation", "organisation_id"}
)


class AccountsConfig(AppConfig):
    name = "opstap.accounts"
    verbose_name = _("Gebruikers en rollen")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (audit of logins, logouts, lockouts)

        _connect_organisation_data()


def _connect_organisation_data() -> None:
    """A user created, renamed, (de)activated, moved or given other roles changes the
    organisation's cached data (the case managers of the filters): its version is bumped in
    the same transaction (`organisations.data_cache`). A sign-in (`last_login`) does not."""
    from django.db.models.signals import m2m_changed, pre_save

    from opstap.organisations.services import (
        ALL_ORGANISATIONS,
        connect_organisation_data,
        organisation_data_changed,
    )

    from .models import Role, User

    def changes(user: Any, fields: frozenset[str] | None) -> bool:
        return fields is None or bool(fields & CACHED_USER_FIELDS)

    connect_organisation_data(User, lambda u: u.organisation_id, changes=changes)
    # Roles are shared by every organisation. Deleting one takes it from its users by a
    # cascade that sends no m2m signal (below), so the role's own save and delete bump all.
    connect_organisation_data(Role, lambda role: ALL_ORGANISATIONS)

    def moved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
        # The organisation a user leaves changes too (post_save knows only the new one).
        if instance.pk is None or kwargs.get("raw"):
            return
        if update_fields is not None and not {"organisation", "organisation_id"} & set(
            update_fields
        ):
            return
        if "organisation_id" in instance.get_deferred_fields():
            return
        before = User.objects.filter(pk=instance.pk).values_list("organisation_id", flat=True)
        old = next(iter(before), None)
        if old is not None and old != instance.organisation_id:
            organisation_data_changed(old)

    def roles_changed(sender: Any, instance: Any, action: str, reverse: bool, **kw: Any) -> None:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        organisation_data_changed(ALL_ORGANISATIONS if reverse else instance.organisation_id)

    pre_save.connect(moved, sender=User, weak=False, dispatch_uid="opstap_user_moved")
    m2m_changed.connect(
        roles_changed, sender=User.roles.through, weak=False, dispatch_uid="opstap_user_roles"
    )
