from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "opstap.kpis"
    verbose_name = _("Sturing (KPI's)")

    def ready(self) -> None:
        from opstap.core.sources import register_source

        from . import (  # noqa: F401  (registers scope policies and home panel)
            access,
            anonymisers,
            home,
        )
        from .selectors import satisfaction_by_trajectory_group
        from .signals import connect

        connect()  # the KPI facts follow writes to clients, trajectories and the timeline

        # The providers' satisfaction indicator (R-PI-1) reads the portal answers through
        # this source; indicators may not import kpis (sibling apps).
        register_source("satisfaction_by_trajectory_group", satisfaction_by_trajectory_group)
