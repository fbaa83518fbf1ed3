from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "opstap.audit"
    verbose_name = _("Audittrail")

    def ready(self) -> None:
        from opstap.core.access import register_denied_read_listener

        from . import access  # noqa: F401  (scope policy)
        from .drf import register
        from .services import audit_denied_read

        register()  # the recorder of AuditedReadMixin (opstap.core.api.audited)
        register_denied_read_listener(audit_denied_read)  # denied reads (issue 19)
