"""The project's form renderer writes a `<select>` exactly as Django's template renderer does
(issue 18: the same page, cheaper), for every kind of choice list and select widget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from opstap.core.form_renderer import INPUT_TEMPLATES, FormRenderer

CASES: list[tuple[str, type[forms.Select], list[Any], Any, dict[str, Any] | None]] = [
    (
        "plain",
        forms.Select,
        [("", "Alle aanbieders"), (1, "Werkfit B.V."), (2, "Jobcoach & Co")],
        "2",
        None,
    ),
    ("nothing selected", forms.Select, [("a", "A"), ("b", "B")], None, None),
    ("integer value selected", forms.Select, [(1, "een"), (10, "tien")], 10, None),
    (
        "escaping",
        forms.Select,
        [('x"<y>', "<b>vet</b> & 'zo'"), ("z", "Zee")],
        'x"<y>',
        {"data-x": '"q"'},
    ),
    (
        "optgroups",
        forms.Select,
        [
            ("Werk", [(1, "Jobcoaching"), (2, "Scholing")]),
            ("Zorg", [(3, "Dagbesteding")]),
            (4, "Los"),
        ],
        3,
        None,
    ),
    (
        "attributes",
        forms.Select,
        [("j", "Ja"), ("n", "Nee")],
        "n",
        {"id": "id_k", "required": True, "disabled": False, "class": "utrecht-select"},
    ),
    ("empty", forms.Select, [], None, None),
    ("multiple", forms.SelectMultiple, [(1, "een"), (2, "twee"), (3, "drie")], [1, 3], None),
    ("yes/no/unknown", forms.NullBooleanSelect, [], True, None),
]


@pytest.mark.parametrize(
    ("case", "widget_class", "choices", "value", "attrs"), CASES, ids=[c[0] for c in CASES]
)
def test_select_renders_as_django_does(
    case: str,
    widget_class: type[forms.Select],
    choices: list[Any],
    value: Any,
    attrs: dict[str, Any] | None,
) -> None:
    widget = widget_class(choices=choices) if choices else widget_class()
    ours = widget.render("keuze", value, attrs, renderer=FormRenderer())
    assert ours == widget.render("keuze", value, attrs, renderer=DjangoTemplates())


def test_the_project_renders_forms_with_it() -> None:
    """Every form of the project, through `FORM_RENDERER`; other widgets are untouched."""

    class Filter(forms.Form):
        product = forms.TypedChoiceField(label="Product", required=False, coerce=int)
        q = forms.CharField(label="Zoeken", required=False)

    assert isinstance(get_default_renderer(), FormRenderer)
    ours, stock = Filter({"product": "17", "q": "jan"}), Filter({"product": "17", "q": "jan"})
    stock.renderer = DjangoTemplates()
    for form in (ours, stock):
        form.fields["product"].choices = [
            ("", "Alle producten"),
            *((n, f"P {n}") for n in range(1, 300)),
        ]  # type: ignore[attr-defined]
    assert str(ours) == str(stock)
    assert 'value="17" selected' in str(ours["product"])


INPUT_CASES: list[tuple[str, forms.Widget, Any, dict[str, Any] | None]] = [
    ("text", forms.TextInput(), "jobcoaching", None),
    ("text empty", forms.TextInput(), None, None),
    ("text empty string", forms.TextInput(), "", None),
    (
        "search with attributes",
        forms.TextInput(attrs={"type": "search", "placeholder": 'bijv. "jobcoaching" & meer'}),
        "a<b>&'c\"",
        {"id": "id_q", "required": True, "disabled": False, "class": "utrecht-textbox"},
    ),
    ("safe value", forms.TextInput(), mark_safe("<b>al veilig</b>"), None),
    ("number", forms.NumberInput(attrs={"min": 0, "step": "0.01"}), Decimal("12.50"), None),
    ("number integer", forms.NumberInput(), 7, {"id": "id_n"}),
    ("email", forms.EmailInput(), "a@b.nl", None),
    ("url", forms.URLInput(), "https://x.nl/?a=1&b=2", None),
    ("password", forms.PasswordInput(render_value=True), "geheim", None),
    ("password hidden", forms.PasswordInput(), "geheim", None),
    ("hidden", forms.HiddenInput(), 42, None),
    ("date", forms.DateInput(attrs={"type": "date"}), dt.date(2026, 12, 6), None),
    ("date text", forms.DateInput(), "06-12-2026", None),
    ("datetime", forms.DateTimeInput(), dt.datetime(2026, 12, 6, 10, 5), None),
    ("time", forms.TimeInput(), dt.time(9, 30), None),
    ("checkbox on", forms.CheckboxInput(), True, {"id": "id_c"}),
    ("checkbox off", forms.CheckboxInput(), False, None),
    ("checkbox value", forms.CheckboxInput(), "ja", None),
    ("tel", forms.TextInput(attrs={"type": "tel"}), "06-12345678", None),
]


@pytest.mark.parametrize(
    ("case", "widget", "value", "attrs"), INPUT_CASES, ids=[c[0] for c in INPUT_CASES]
)
def test_input_renders_as_django_does(
    case: str, widget: forms.Widget, value: Any, attrs: dict[str, Any] | None
) -> None:
    """The widgets whose template is Django's `input.html` (issue 18), byte for byte."""
    assert widget.template_name in INPUT_TEMPLATES or widget.template_name.endswith(
        ("/text.html", "/date.html")
    )
    ours = widget.render("veld", value, attrs, renderer=FormRenderer())
    assert ours == widget.render("veld", value, attrs, renderer=DjangoTemplates())


def test_input_templates_are_only_an_include_of_input_html() -> None:
    """What `render_input` replaces is exactly Django's `input.html`: every template in
    `INPUT_TEMPLATES` is that include and nothing else, in the Django installed."""
    stock = DjangoTemplates()
    for name in INPUT_TEMPLATES:
        source = stock.get_template(name).template.source.strip()  # type: ignore[attr-defined]
        assert source == '{% include "django/forms/widgets/input.html" %}', name
