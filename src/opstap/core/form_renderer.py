"""The project's form renderer: Django's own, except that a `<select>` is written in Python.

Django renders a `<select>` through `select.html` and every `<option>` through
`select_option.html`, included once per option. On the daily lists' filter forms (a unit's
trajectory overview offers every product and provider, the instrument guide every tile and
target group) that was 9-16 ms of a page of 26-38 ms (issue 18: "no daily list over 2x its
floor"). For that one template this renderer writes the same markup in Python, from the
context the widget built (`get_context`: its `attrs`, `optgroups` and `selected` are
Django's; the escaping is Django's `conditional_escape`, without `format_html`'s overhead per
option, which was still 1-2 ms for the overview's 250 options); every other template renders
as before. A test compares
the output with Django's for every kind of choice list (`core/tests/test_form_renderer.py`).
Settings: `FORM_RENDERER = "opstap.core.form_renderer.FormRenderer"`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import join
from django.utils.safestring import SafeData, SafeString, mark_safe

from opstap.core.escape import escape_text

__all__ = ["FormRenderer", "described_field_html", "render_input", "render_select"]

SELECT_TEMPLATE = "django/forms/widgets/select.html"
# Django's templates of these widgets are `{% include "django/forms/widgets/input.html" %}`
# and nothing else (Django 5.2), written here as `render_input` (issue 18: a filter form's
# text and number fields cost 0.1-0.3 ms each through two template includes).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "number",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
    )
)


def _escape(value: Any) -> str:
    """`conditional_escape` without its wrapping: a value that knows its HTML (`__html__`)
    as it is, anything else as text through `html.escape`, which is what Django's `escape`
    calls. Called per option, so without `format_html`'s argument handling."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """`django/forms/widgets/attrs.html`: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    if not attrs:
        return ""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: Mapping[str, Any]) -> SafeString:
    """The markup of `select.html` with `select_option.html` for each option."""
    parts: list[str] = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        parts.extend(
            # the include's own newline after each option
            f'\n  <option value="{_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
            f"{_escape(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308  # every part above is escaped


def render_input(widget: Mapping[str, Any]) -> SafeString:
    """The markup of `input.html`: type, name, the value as `stringformat:'s'` when it is not
    None, then the attributes."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(_as_s(value))}"'
    return mark_safe(  # noqa: S308  # every part is escaped
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _as_s(value: Any) -> Any:
    """Django's `stringformat:'s'`: `"%s" % value` (a tuple as its text); a safe string stays
    safe, as the filter (`is_safe=True`) keeps it."""
    if isinstance(value, SafeData):
        return value
    return "%s" % (str(value) if isinstance(value, tuple) else value)


def described_field_html(field: BoundField) -> SafeString:
    """What `{% include "core/_described_field.html" %}` writes for `field`, byte for byte:
    the label, the help text (its id is the one Django's `aria-describedby` names), the
    errors as `core/_field_errors.html` writes them with `tag="span"`, and the widget.

    Issue 18: through the template engine the include cost about 400 Python calls a field
    (the trajectory overview's filter form renders three on every view); here a dozen. Use
    it as `{{ field|described_field }}` (`core.templatetags.opstap`). The template stays the
    one definition of the markup: `core/tests/test_described_field.py` renders both for
    every kind of field, with and without help text and errors, and compares them."""
    from opstap.core.templatetags.opstap import euro_nowrap  # the errors' filter

    parts = [
        '<div class="utrecht-form-field">\n  <label class="utrecht-form-label" for="',
        escape_text(field.id_for_label),
        '">',
        escape_text(field.label),
        "</label>\n  ",
    ]
    if field.help_text:
        parts += [
            '<span class="opstap-muted" id="',
            escape_text(field.auto_id),
            '_helptext">',
            escape_text(field.help_text),
            "</span>",
        ]
    parts.append("\n  ")
    errors = field.errors
    if errors:
        parts += [
            '<span class="opstap-field-error" id="',
            escape_text(field.auto_id),
            '_error">',
            escape_text(euro_nowrap(join(errors, " ", autoescape=True))),
            "</span>",
        ]
    parts += ["\n  ", escape_text(field), "\n</div>\n"]
    return mark_safe("".join(parts))  # noqa: S308  # every value is escaped


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            return render_select(context["widget"])
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        return super().render(template_name, context, request=request)
