from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialReturnConfig(AppConfig):
    name = "opstap.social_return"
    verbose_name = _("Social return")

    def ready(self) -> None:
        from . import access, home  # noqa: F401  (registers scope policies and home panel)
