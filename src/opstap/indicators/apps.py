from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class IndicatorsConfig(app_config.RegisteringAppConfig):
    name = "opstap.indicators"
    verbose_name = _("Prestatie-indicatoren")
    registers = ("access",)

    def ready(self) -> None:
        super().ready()
        from .signals import connect

        connect()  # the indicator facts follow writes to trajectories, due dates and invoices
