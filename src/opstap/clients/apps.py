from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class ClientsConfig(app_config.RegisteringAppConfig):
    name = "opstap.clients"
    verbose_name = _("Klanten")
    registers = ("access", "anonymisers", "home")

    def ready(self) -> None:
        super().ready()
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_fold

        # The name search's fold function on every SQLite connection (the demo and tests).
        connection_created.connect(register_sqlite_fold, dispatch_uid="opstap_fold")
        from .models import Client
        from .selectors import CLIENT_COUNTS

        CLIENT_COUNTS.connect_writes(Client)
