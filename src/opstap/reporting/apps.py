from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "opstap.reporting"
    label = "reporting"
    verbose_name = _("Rapportages (CBS)")

    def ready(self) -> None:
        from . import access  # noqa: F401  (scope policy)
