from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "opstap.matching"
    label = "matching"
    verbose_name = "Matching (werkgevers, vacatures, passend werk)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (  # noqa: F401  (registers scopes, panels, registries)
            access,
            anonymisers,
            home,
        )
