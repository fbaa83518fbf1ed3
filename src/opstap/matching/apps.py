from opstap.core import app_config


class MatchingConfig(app_config.RegisteringAppConfig):
    name = "opstap.matching"
    label = "matching"
    verbose_name = "Matching (werkgevers, vacatures, passend werk)"
    registers = ("access", "anonymisers", "home")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        super().ready()
        from opstap.trajectories.services import register_durability_check

        from .services import placements_check_durability

        # R-TRJ-7: the daily durability job also checks the placements via the WSP.
        register_durability_check("matching.placements", placements_check_durability)
