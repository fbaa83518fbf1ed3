from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class ReportingConfig(app_config.RegisteringAppConfig):
    name = "opstap.reporting"
    label = "reporting"
    verbose_name = _("Rapportages (CBS)")
    registers = ("access",)
