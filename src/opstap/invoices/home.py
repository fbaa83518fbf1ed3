"""The 'Facturen' panel on the start page: the finance clerk's work list counts (scoped)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import actor_of
from opstap.core.panels import HomePanel, register_home_panel
from opstap.core.roles import Perm


def _context(request: HttpRequest) -> dict[str, Any]:
    from .selectors import BUCKETS, bucket_counts

    counts = bucket_counts(actor_of(request), timezone.localdate())
    return {"rows": [(key, BUCKETS[key], count) for key, count in counts.items()]}


register_home_panel(
    HomePanel(
        template="invoices/home_panel.html",
        perm=Perm.INVOICE_APPROVE,
        context=_context,
        order=30,
    )
)
