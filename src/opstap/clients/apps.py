from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class ClientsConfig(app_config.RegisteringAppConfig):
    name = "opstap.clients"
    verbose_name = _("Klanten")
    registers = ("access", "anonymisers", "home")

    def ready(self) -> None:
        super().ready()
        from .models import Client
        from .selectors import CLIENT_COUNTS

        CLIENT_COUNTS.connect_writes(Client)
