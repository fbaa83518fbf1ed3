from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from opstap.core.access import may_open

from .navigation import NAV_ITEMS


def opstap(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    nav: list[dict[str, Any]] = []
    if user.is_authenticated:
        for item in NAV_ITEMS:
            if not may_open(user, item.url_name):
                continue
            url = reverse(item.url_name)
            nav.append(
                {
                    "label": item.label,
                    "url": url,
                    "current": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
    organisation = getattr(request, "organisation", None)
    return {
        "nav_items": nav,
        "organisation": organisation,
        "opstap_demo": settings.OPSTAP_DEMO,
    }
