from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "opstap.indicators"
    verbose_name = _("Prestatie-indicatoren")

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the scope policy)
