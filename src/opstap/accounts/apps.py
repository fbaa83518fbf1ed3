from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "opstap.accounts"
    verbose_name = _("Gebruikers en rollen")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (audit of logins, logouts, lockouts)
