from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class SocialReturnConfig(app_config.RegisteringAppConfig):
    name = "opstap.social_return"
    verbose_name = _("Social return")
    registers = ("access", "anonymisers", "home")
