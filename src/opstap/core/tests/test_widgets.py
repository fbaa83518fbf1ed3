"""`core.widgets.Select` writes exactly what Django's template-rendered `forms.Select` writes
(issue 18: the same page, cheaper), for every kind of choice list."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from opstap.core.widgets import Select

CHOICES: list[tuple[str, list[Any], Any, dict[str, Any] | None]] = [
    ("plain", [("", "Alle aanbieders"), (1, "Werkfit B.V."), (2, "Jobcoach & Co")], "2", None),
    ("nothing selected", [("a", "A"), ("b", "B")], None, None),
    ("integer value selected", [(1, "een"), (10, "tien")], 10, None),
    ("escaping", [('x"<y>', "<b>vet</b> & 'zo'"), ("z", "Zee")], 'x"<y>', {"data-x": '"q"'}),
    (
        "optgroups",
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
        [("j", "Ja"), ("n", "Nee")],
        "n",
        {"id": "id_k", "required": True, "disabled": False, "class": "utrecht-select"},
    ),
    ("empty", [], None, None),
]


@pytest.mark.parametrize(
    ("case", "choices", "value", "attrs"), CHOICES, ids=[c[0] for c in CHOICES]
)
def test_select_renders_as_django_does(
    case: str, choices: list[Any], value: Any, attrs: dict[str, Any] | None
) -> None:
    django_widget = forms.Select(choices=choices)
    ours = Select(choices=choices)
    assert ours.render("keuze", value, attrs) == django_widget.render("keuze", value, attrs)


def test_select_in_a_form_field_renders_as_django_does() -> None:
    class Stock(forms.Form):
        product = forms.TypedChoiceField(label="Product", required=False, coerce=int)

    class Fast(Stock):
        product = forms.TypedChoiceField(label="Product", required=False, coerce=int, widget=Select)

    choices = [("", "Alle producten"), *((n, f"Product {n}") for n in range(1, 300))]
    stock, fast = Stock({"product": "17"}), Fast({"product": "17"})
    stock.fields["product"].choices = choices  # type: ignore[attr-defined]
    fast.fields["product"].choices = choices  # type: ignore[attr-defined]
    assert str(fast["product"]) == str(stock["product"])
    assert 'value="17" selected' in str(fast["product"])
