"""`core.form_renderer.described_field_html` writes what `core/_described_field.html` writes,
byte for byte (issue 18: the trajectory overview's filter form, the same page for fewer
Python calls; WCAG 2.1 SC 1.3.1 and 3.3.1: the label, the help text and the errors that the
box's `aria-describedby` names stay as they were)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from opstap.core.form_renderer import described_field_html


class _Every(forms.Form):
    """A field of every kind the project's forms use, with awkward labels and help texts."""

    text = forms.CharField(label="Naam & <toenaam>", max_length=20)
    helped = forms.CharField(label="Met uitleg", required=False, help_text='Typ "iets" & meer.')
    safe_help = forms.CharField(
        required=False, help_text=mark_safe("Zie <a href='/x'>de uitleg</a>.")
    )
    number = forms.IntegerField(label="Aantal", min_value=1, required=False)
    amount = forms.DecimalField(label="Bedrag", max_digits=8, decimal_places=2, required=False)
    day = forms.DateField(
        label="Datum", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.TypedChoiceField(
        label="Aanbieder",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Alle aanbieders"), (1, "Werkfit & Co"), (2, "<b>Jobcoach</b>")],
    )
    many = forms.MultipleChoiceField(
        label="Doelgroepen", required=False, choices=[("a", "A"), ("b", "B")]
    )
    radio = forms.ChoiceField(
        label="Keuze", choices=[("j", "Ja"), ("n", "Nee")], widget=forms.RadioSelect
    )
    flag = forms.BooleanField(label="Alleen met verlopen termijn", required=False)
    note = forms.CharField(label="Notitie", required=False, widget=forms.Textarea)
    secret = forms.CharField(label="Verborgen", required=False, widget=forms.HiddenInput)
    upload = forms.FileField(label="Bestand", required=False, help_text="PDF, ten hoogste 10 MB.")


DATA: list[dict[str, Any]] = [
    {},
    {
        "text": "Jan",
        "kind": "2",
        "many": ["a", "b"],
        "radio": "n",
        "flag": "on",
        "day": "2026-12-08",
    },
    {"text": "x" * 30, "number": "0", "amount": "abc", "kind": "9", "radio": "z", "day": "nee"},
]


def _forms() -> list[forms.Form]:
    made: list[forms.Form] = [_Every()]
    for data in DATA:
        form = _Every(data)
        form.is_valid()
        made.append(form)
    with_more = _Every({"text": "a"})
    with_more.is_valid()
    with_more.add_error("text", "Tweede fout.")
    with_more.add_error("amount", "Meer dan € 1.500,00 <niet> toegestaan.")
    made.append(with_more)
    made.append(_Every(auto_id=False))
    made.append(_Every(auto_id="veld-%s", prefix="f"))
    return made


@pytest.mark.parametrize("index", range(len(_forms())))
def test_it_writes_what_the_include_writes(index: int) -> None:
    form = _forms()[index]
    for field in form:
        expected = render_to_string("core/_described_field.html", {"field": field})
        assert described_field_html(field) == expected, field.name


def test_a_template_writes_it_with_the_filter_as_with_the_include() -> None:
    """`{{ field|described_field }}` in a form's loop, as the overview uses it."""
    django = engines["django"]
    written = django.from_string(
        "{% load opstap %}{% for field in form %}{{ field|described_field }}{% endfor %}"
    )
    included = django.from_string(
        '{% for field in form %}{% include "core/_described_field.html" %}{% endfor %}'
    )
    for form in _forms():
        assert written.render({"form": form}) == included.render({"form": form})


def test_errors_and_help_are_named_by_the_box() -> None:
    form = _Every({"amount": "abc", "helped": "x"})
    form.is_valid()
    html = described_field_html(form["amount"]) + described_field_html(form["helped"])
    assert '<span class="opstap-field-error" id="id_amount_error">' in html
    assert 'aria-describedby="id_amount_error"' in html
    assert (
        '<span class="opstap-muted" id="id_helped_helptext">Typ &quot;iets&quot; &amp; meer.'
        in html
    )
    assert 'aria-describedby="id_helped_helptext"' in html
