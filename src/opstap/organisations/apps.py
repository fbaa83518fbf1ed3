from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class OrganisationsConfig(app_config.RegisteringAppConfig):
    name = "opstap.organisations"
    verbose_name = _("Organisaties en gemeenten")
    registers = ("access",)

    def ready(self) -> None:
        super().ready()
        from .data_cache import connect_organisation_data
        from .models import Municipality

        # The municipalities are cached organisation data (a list's filter, issue 18).
        connect_organisation_data(Municipality, lambda m: m.organisation_id)
