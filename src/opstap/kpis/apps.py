from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "opstap.kpis"
    verbose_name = _("Sturing (KPI's)")

    def ready(self) -> None:
        from . import access, home  # noqa: F401  (registers scope policies and home panel)
