from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessRequestsConfig(AppConfig):
    name = "opstap.access_requests"
    verbose_name = _("Inzageverzoeken")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (scope policy)
            anonymisers,  # noqa: F401  (what retention anonymises, R-SEC-4)
        )
