from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class NotificationsConfig(app_config.RegisteringAppConfig):
    name = "opstap.notifications"
    verbose_name = _("Meldingen")
    registers = ("access", "home", "account_changes")
