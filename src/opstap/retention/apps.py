from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class RetentionConfig(app_config.RegisteringAppConfig):
    name = "opstap.retention"
    label = "retention"
    verbose_name = _("Bewaartermijnen")
    registers = ("access",)
