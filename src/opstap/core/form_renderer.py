"""The project's form renderer: Django's own, except that a `<select>` is written in Python.

Django renders a `<select>` through `select.html` and every `<option>` through
`select_option.html`, included once per option. On the daily lists' filter forms (a unit's
trajectory overview offers every product and provider, the instrument guide every tile and
target group) that was 9-16 ms of a page of 26-38 ms (issue 18: "no daily list over 2x its
floor"). For that one template this renderer writes the same markup with `format_html`, from
the context the widget built (`get_context`: its `attrs`, `optgroups` and `selected` are
Django's, and so is the escaping); every other template renders as before. A test compares
the output with Django's for every kind of choice list (`core/tests/test_form_renderer.py`).
Settings: `FORM_RENDERER = "opstap.core.form_renderer.FormRenderer"`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

__all__ = ["FormRenderer", "render_select"]

SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _attrs(attrs: Mapping[str, Any]) -> SafeString:
    """`django/forms/widgets/attrs.html`: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def render_select(widget: Mapping[str, Any]) -> SafeString:
    """The markup of `select.html` with `select_option.html` for each option."""
    parts: list[str] = [
        format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',  # the include's own newline
                str(option["value"]),
                _attrs(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308  # every part above is escaped


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            return render_select(context["widget"])
        return super().render(template_name, context, request=request)
