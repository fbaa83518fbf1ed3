"""Dutch formats as template filters, the same functions as in Python (`{% load opstap %}`):

    {{ amount|euro_html }}     € 1.500,00 with a no-break space: the amount never wraps at 320 px
    {{ reason|euro_nowrap }}   the same for the amounts in a sentence made in Python
    {{ count|nl_number }}      1.500          {{ score|nl_number:1 }}   8,2
    {{ share|nl_percent }}     28,4%
    {{ day|nl_date }}          03-12-2026     {{ moment|nl_datetime }}  03-12-2026 14:05

Links only to pages the user may open (the view's own declaration, `core.access.may_open`):

    {% may_open "invoices:batches" as show %}{% if show %}<a ...>{% endif %}

There is no plain `euro` filter on purpose: every template here is HTML (a page, the PDF's
HTML, the access-request summary), where `€ 1.500,00` with a plain space broke into "€" and
the number at 320 px (WCAG 1.4.10). A template that writes `|euro` is a TemplateSyntaxError
(`core/tests/test_templates_compile.py` compiles every template). Text that leaves the page
(xlsx, CSV, SEPA, messages) uses `money.format_euro` in Python.

An empty value gives an empty text, as Django's own filters do (add ``|default:"—"`` where
the page wants a dash); a value that is no number is shown as it is (never a 500).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeData, mark_safe

from opstap.core import dutch, money
from opstap.core.access import may_open as _may_open

register = template.Library()


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return money.to_decimal(value)
    except ValueError:
        return None


def _as_text(value: Any) -> str:
    return "" if value in (None, "") else str(value)


@register.filter
def euro_html(value: Any) -> str:
    """`€ 1.500,00` with a no-break space after the € (`money.format_euro_html`): the amount
    stays on one line at 320 px. The only money filter (see the module docstring)."""
    number = _number(value)
    return _as_text(value) if number is None else money.format_euro_html(number)


#: "€ " before an amount in a sentence made in Python (a rule's reason, a refusal).
_EURO_IN_TEXT = re.compile(r"€ (?=-?\d)")


@register.filter(is_safe=True)
def euro_nowrap(text: Any) -> Any:
    """A sentence shown on a page with the amounts in it kept on one line: the space after
    each € before a number becomes a no-break space. For text made in Python with
    `money.format_euro` (a payment rule's reason, a refused input, a flash message), which
    keeps its plain space for the exports and e-mails it also goes to. Adds no markup, so a
    safe text stays safe and any other is escaped as usual."""
    if not isinstance(text, str) or "€ " not in text:
        return text
    replaced = _EURO_IN_TEXT.sub("€" + money.NO_BREAK_SPACE, text)
    return mark_safe(replaced) if isinstance(text, SafeData) else replaced  # noqa: S308


@register.filter
def nl_number(value: Any, places: int = 0) -> str:
    number = _number(value)
    return _as_text(value) if number is None else dutch.format_number(number, int(places))


@register.filter
def nl_percent(value: Any) -> str:
    """The house rule for percentages (`dutch.format_percent`): 28,4%, 28,39%."""
    number = _number(value)
    return _as_text(value) if number is None else dutch.format_percent(number)


@register.filter
def nl_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return dutch.format_date(value.date())
    if isinstance(value, dt.date):
        return dutch.format_date(value)
    if isinstance(value, str) and len(value) == 10:
        # An ISO date kept as text (JSON payloads, stored dry-run results): the house style too.
        try:
            return dutch.format_date(dt.date.fromisoformat(value))
        except ValueError:
            pass
    return _as_text(value)


@register.filter
def nl_datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return dutch.format_datetime(local)
    return nl_date(value)


@register.simple_tag(takes_context=True)
def may_open(context: Any, url_name: str, *args: Any) -> bool:
    request = context.get("request")
    return request is not None and _may_open(request.user, url_name, *args)


@register.filter(is_safe=True)
def described_field(field: Any) -> Any:
    """`{{ field|described_field }}`: what `{% include "core/_described_field.html" %}`
    writes, written in Python (`core.form_renderer.described_field_html`, issue 18)."""
    from opstap.core.form_renderer import described_field_html

    return described_field_html(field)
