from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "opstap.finance"
    verbose_name = _("Financiële modellen")

    def ready(self) -> None:
        from . import access, home  # noqa: F401  (registers scope policies and home panel)
