from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialReturnConfig(AppConfig):
    name = "opstap.social_return"
    verbose_name = _("Social return")

    def ready(self) -> None:
        from . import (  # noqa: F401  (scope policies, home panel, what retention anonymises)
            access,
            anonymisers,
            home,
        )
