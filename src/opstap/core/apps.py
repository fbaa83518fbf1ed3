from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed only so its template filters (`{% load opstap %}`) and the shared report
    templates are found; core has no models."""

    name = "opstap.core"
    label = "opstap_core"
    verbose_name = "Fundament"

    def ready(self) -> None:
        # The relations of every ModelSerializer take whole ids only (`WholeIdRelatedField`):
        # DRF's documented hook is this class attribute, set once here for all apps.
        from rest_framework import serializers

        from opstap.core.api.serializers import WholeIdRelatedField

        serializers.ModelSerializer.serializer_related_field = WholeIdRelatedField
