from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "opstap.portal"
    verbose_name = _("Klantportaal")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (scope policy)
            anonymisers,  # noqa: F401  (what retention anonymises, R-SEC-4)
        )
