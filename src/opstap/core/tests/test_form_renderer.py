"""The project's form renderer writes a `<select>` exactly as Django's template renderer does
(issue 18: the same page, cheaper), for every kind of choice list and select widget."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from opstap.core.form_renderer import FormRenderer

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
