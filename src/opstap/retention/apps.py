from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "opstap.retention"
    label = "retention"
    verbose_name = _("Bewaartermijnen")

    def ready(self) -> None:
        from . import access  # noqa: F401  (scope policies)
