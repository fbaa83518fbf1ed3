"""`{% provider_indicators provider %}` and `{% product_indicators product %}`: the indicator
panel on the provider page and on a product of the instrument guide (R-PI-1, R-NET-5).
They call the selectors (which apply the provider scope) and render; no rules here."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from opstap.indicators import selectors
from opstap.indicators.computation import Period
from opstap.providers.models import Product, Provider

register = template.Library()


@register.inclusion_tag("indicators/_panel.html", takes_context=True)
def provider_indicators(context: Any, provider: Provider) -> dict[str, Any]:
    today = timezone.localdate()
    period = Period.last_twelve_months(today)
    row = selectors.provider_indicators(
        context["request"].user, provider, period=period, today=today
    )
    return {
        "results": row.results,
        "period": period,
        "provider_id": provider.pk,
        "level": "provider",
    }


@register.inclusion_tag("indicators/_panel.html", takes_context=True)
def product_indicators(context: Any, product: Product) -> dict[str, Any]:
    today = timezone.localdate()
    period = Period.last_twelve_months(today)
    row = selectors.product_indicators(context["request"].user, product, period=period, today=today)
    return {
        "results": [r for r in row.results if r.status != "not_applicable"],
        "period": period,
        "provider_id": product.provider_id,
        "level": "product",
    }
