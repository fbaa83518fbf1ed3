from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class ProvidersConfig(app_config.RegisteringAppConfig):
    name = "opstap.providers"
    verbose_name = _("Aanbieders")
    registers = ("access", "anonymisers", "home")
