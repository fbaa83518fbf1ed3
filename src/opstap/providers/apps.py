from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "opstap.providers"
    verbose_name = _("Aanbieders")

    def ready(self) -> None:
        # Registers the scope policies and the contract manager's start-page panels.
        from . import (  # noqa: F401
            access,
            anonymisers,
            home,
        )
