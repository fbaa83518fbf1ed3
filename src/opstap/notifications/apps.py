from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "opstap.notifications"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        from . import access, home  # noqa: F401  (scope policy and home panel)
