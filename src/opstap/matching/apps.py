from opstap.core import app_config


class MatchingConfig(app_config.RegisteringAppConfig):
    name = "opstap.matching"
    label = "matching"
    verbose_name = "Matching (werkgevers, vacatures, passend werk)"
    registers = ("access", "anonymisers", "home")
    default_auto_field = "django.db.models.BigAutoField"
