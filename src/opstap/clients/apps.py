from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "opstap.clients"
    verbose_name = _("Klanten")

    def ready(self) -> None:
        from . import (  # noqa: F401  (registers scope policies and home panel)
            access,
            anonymisers,
            home,
        )
        from .models import Client
        from .selectors import CLIENT_COUNTS

        CLIENT_COUNTS.connect_writes(Client)
