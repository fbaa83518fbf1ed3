from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class PortalConfig(app_config.RegisteringAppConfig):
    name = "opstap.portal"
    verbose_name = _("Klantportaal")
    registers = ("access", "anonymisers")
