from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class FinanceConfig(app_config.RegisteringAppConfig):
    name = "opstap.finance"
    verbose_name = _("Financiële modellen")
    registers = ("access", "home")
