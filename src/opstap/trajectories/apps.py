from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class TrajectoriesConfig(app_config.RegisteringAppConfig):
    name = "opstap.trajectories"
    verbose_name = _("Trajecten")
    registers = ("access", "anonymisers", "home")

    def ready(self) -> None:
        super().ready()
        from .models import Trajectory
        from .selectors import TRAJECTORY_COUNTS
        from .services import connect_client_tallies

        TRAJECTORY_COUNTS.connect_writes(Trajectory)
        connect_client_tallies()
