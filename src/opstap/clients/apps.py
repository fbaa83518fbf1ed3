from typing import Any

from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class ClientsConfig(app_config.RegisteringAppConfig):
    name = "opstap.clients"
    verbose_name = _("Klanten")
    registers = ("access", "anonymisers", "home")

    def ready(self) -> None:
        super().ready()
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_fold

        # The name search's fold function on every SQLite connection (the demo and tests).
        connection_created.connect(register_sqlite_fold, dispatch_uid="opstap_fold")
        from .models import Client
        from .selectors import CLIENT_COUNTS

        CLIENT_COUNTS.connect_writes(Client)
        _connect_organisation_data()


def _connect_organisation_data() -> None:
    """A case manager's unit and the ladder mapping are cached organisation data (the client
    scope, issue 18): every write bumps the organisation's version in its own transaction; a
    default mapping row (no organisation) holds for every organisation."""
    from opstap.organisations.services import ALL_ORGANISATIONS, connect_organisation_data

    from .models import CaseManagerProfile, LadderMapping

    def profile_organisation(profile: Any) -> int | None:
        # The user is at hand when the service saved the profile; otherwise one look-up.
        user: Any = profile._state.fields_cache.get("user")
        if user is not None:
            organisation_id: int | None = user.organisation_id
            return organisation_id
        from opstap.accounts.models import User

        return (
            User.objects.filter(pk=profile.user_id)
            .values_list("organisation_id", flat=True)
            .first()
        )

    connect_organisation_data(CaseManagerProfile, profile_organisation)
    connect_organisation_data(
        LadderMapping,
        lambda row: ALL_ORGANISATIONS if row.organisation_id is None else row.organisation_id,
    )
