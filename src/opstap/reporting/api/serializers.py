"""SRG deliveries in the API (R-INT-2, read only): what was built and delivered, with its
counts, checksum and the delivery it corrects. The file itself (it holds BSNs) is a separate,
audited download."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opstap.reporting.models import SrgDelivery


class SrgDeliverySerializer(serializers.ModelSerializer[SrgDelivery]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    municipality_code = serializers.CharField(
        source="municipality.cbs_code", read_only=True, help_text="CBS-code, bijv. GM0226."
    )
    status = serializers.CharField(
        read_only=True, help_text="queued, building, ready, failed of sent."
    )
    counts = serializers.SerializerMethodField(
        help_text="Aantallen gestart, lopend en beëindigd (ook LKS), records en weggelaten."
    )
    issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SrgDelivery
        fields = [
            "id",
            "municipality",
            "municipality_name",
            "municipality_code",
            "month",
            "status",
            "progress",
            "counts",
            "issue_count",
            "checksum",
            "size",
            "layout_version",
            "corrects",
            "created_on",
            "built_at",
            "sent_at",
        ]
        read_only_fields = fields

    def get_counts(self, obj: SrgDelivery) -> dict[str, int]:
        counts: dict[str, Any] = obj.counts or {}
        return {k: int(v) for k, v in counts.items() if k != "issues" and isinstance(v, int)}
