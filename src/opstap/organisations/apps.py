from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class OrganisationsConfig(app_config.RegisteringAppConfig):
    name = "opstap.organisations"
    verbose_name = _("Organisaties en gemeenten")
    registers = ("access",)
