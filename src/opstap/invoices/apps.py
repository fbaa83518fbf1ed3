from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    name = "opstap.invoices"
    verbose_name = _("Facturen")

    def ready(self) -> None:
        from . import access, home  # noqa: F401  (scope policies and home panel)
