from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "opstap.trajectories"
    verbose_name = _("Trajecten")

    def ready(self) -> None:
        from . import (  # noqa: F401  (scope policies and home panel)
            access,
            anonymisers,
            home,
        )
        from .models import Trajectory
        from .selectors import TRAJECTORY_COUNTS

        TRAJECTORY_COUNTS.connect_writes(Trajectory)
