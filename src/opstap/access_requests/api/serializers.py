"""Shapes of the access-request API (camelCase on the wire)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opstap.access_requests.models import AccessRequest


class AccessRequestSerializer(serializers.ModelSerializer[AccessRequest]):
    state_label = serializers.CharField(read_only=True, help_text="Status in het Nederlands.")
    download_url = serializers.SerializerMethodField(
        help_text="Link naar de ZIP zolang die bestaat (anders leeg)."
    )

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "client",
            "requester_name",
            "channel",
            "state",
            "state_label",
            "requested_at",
            "due_on",
            "note",
            "progress",
            "progress_step",
            "attempts",
            "failure_message",
            "ready_at",
            "expires_at",
            "size",
            "download_count",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: AccessRequest) -> str | None:
        if not obj.has_file:
            return None
        path = reverse("api:access-request-download", args=[obj.pk])
        request: Any = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AccessRequestCreateSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        default="",
        help_text="Hoe het verzoek binnenkwam (telefoon, balie, brief).",
    )
