"""`{% provider_indicators provider %}` and `{% product_indicators product %}`: the indicator
panel on the provider page and on a product of the instrument guide (R-PI-1, R-NET-5).
They call the selectors (which apply the provider scope) and render; no rules here.

`{{ result|indicator_cell }}`: one indicator in a cell of the comparison tables (the overview
and a provider's products), written here instead of through an included template per cell:
the overview has 13 per provider (338 includes for 25 providers, issue 18)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from opstap.core.money import NO_BREAK_SPACE
from opstap.indicators import selectors
from opstap.indicators.computation import IndicatorResult, Period, Status
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


_MUTED = '<span class="opstap-muted">{}</span>'
_SUPPRESSED_NOTE = (
    '<span class="opstap-visually-hidden"> (kleine aantallen worden niet getoond)</span>'
)
_BADGES = {
    Status.MET: ' <span class="opstap-badge opstap-badge--ok">norm</span>',
    Status.NOT_MET: ' <span class="opstap-badge opstap-badge--danger">onder norm</span>',
}


@register.filter
def indicator_cell(result: IndicatorResult) -> SafeString:
    """The value with its verdict badge; muted "per aanbieder" or "geen gegevens"; a withheld
    small number as its marker ("< 5") with a note for screen readers."""
    if result.status == Status.NOT_APPLICABLE:
        html = _MUTED.format("per aanbieder")
    elif result.status == Status.SUPPRESSED:
        html = _MUTED.format(escape(result.display)) + _SUPPRESSED_NOTE
    elif result.value is None:
        html = _MUTED.format("geen gegevens")
    else:
        # A cost per trajectory keeps € and number on one line at 320 px (no-break space).
        shown = result.display.replace("€ ", "€" + NO_BREAK_SPACE, 1)
        html = escape(shown) + _BADGES.get(result.status, "")
    return mark_safe(html)  # noqa: S308  # the only text from outside, `display`, is escaped
