from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class AccessRequestsConfig(app_config.RegisteringAppConfig):
    name = "opstap.access_requests"
    verbose_name = _("Inzageverzoeken")
    registers = ("access", "anonymisers", "home")
