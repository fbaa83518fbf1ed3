from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed only so its template filters (`{% load opstap %}`) and the shared report
    templates are found; core has no models."""

    name = "opstap.core"
    label = "opstap_core"
    verbose_name = "Fundament"
