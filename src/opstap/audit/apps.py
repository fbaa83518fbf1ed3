from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "opstap.audit"
    verbose_name = _("Audittrail")

    def ready(self) -> None:
        from . import access  # noqa: F401  (scope policy)
        from .drf import register

        register()  # the recorder of AuditedReadMixin (opstap.core.api.audited)
