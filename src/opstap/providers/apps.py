from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "opstap.providers"
    verbose_name = _("Aanbieders")

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the scope policies)
