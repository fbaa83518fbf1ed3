from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "opstap.organisations"
    verbose_name = _("Organisaties en gemeenten")

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the scope policies)
