"""A field's error message is the one its box points at (WCAG 2.1 SC 1.3.1, 3.3.1).

Django 5.2 gives a box with errors `aria-describedby="<id>_helptext <id>_error"`. Our field
templates wrote the message with the id `<id>-error`, so the box pointed at nothing and a
screen reader announced the field without its error. Each field template now writes all of a
field's messages in one element with the id Django names; these tests render every field
template we have with two errors and help text."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from opstap.core.tests.html_checks import idref_problems


class _Refused(forms.Form):
    hours = forms.CharField(help_text="Eén regel per dag.")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], help_text="Kies er één.")


def _refused() -> _Refused:
    form = _Refused(data={"hours": "x", "kind": "a"})
    form.is_valid()
    form.add_error("hours", "Eerste fout.")
    form.add_error("hours", "Tweede fout.")
    form.add_error("kind", "Kies opnieuw.")
    return form


def _each_field(template: str, form: forms.Form, **context: object) -> str:
    return "".join(render_to_string(template, {"field": f, **context}) for f in form)


def _written_provider_fields(form: forms.Form) -> str:
    from opstap.providers.views import fields_html

    return str(fields_html(form))


def _written_described_fields(form: forms.Form) -> str:
    from opstap.core.form_renderer import described_field_html

    return "".join(described_field_html(f) for f in form)


RENDERERS = {
    "core/_described_field.html": lambda form: _each_field("core/_described_field.html", form),
    "core.form_renderer.described_field_html": _written_described_fields,
    "providers/_field.html": lambda form: _each_field("providers/_field.html", form),
    "providers.views.fields_html": _written_provider_fields,
    "core/_field.html": lambda form: _each_field("core/_field.html", form),
    "finance/_field.html": lambda form: _each_field("finance/_field.html", form),
    "clients/_filter_field.html": lambda form: _each_field(
        "clients/_filter_field.html", form, options=""
    ),
    "kpis/_filters.html": lambda form: render_to_string(
        "kpis/_filters.html", {"form": form, "request": None}
    ),
}


@pytest.mark.parametrize("name", RENDERERS)
@pytest.mark.parametrize("field_name", ["hours", "kind"])
def test_the_box_points_at_its_error_message(name: str, field_name: str) -> None:
    html = RENDERERS[name](_refused())
    assert idref_problems(html) == []
    box = re.search(rf'<(?:input|select)[^>]*id="id_{field_name}"[^>]*>', html)
    assert box is not None, html
    described = re.search(r'aria-describedby="([^"]+)"', box.group(0))
    assert described is not None, box.group(0)
    assert f"id_{field_name}_error" in described.group(1).split()


@pytest.mark.parametrize("name", RENDERERS)
def test_all_messages_of_a_field_stand_in_the_element_it_points_at(name: str) -> None:
    html = RENDERERS[name](_refused())
    message = re.search(r'id="id_hours_error">([^<]*)<', html)
    assert message is not None, html
    assert "Eerste fout." in message.group(1) and "Tweede fout." in message.group(1)


def test_the_combobox_writes_its_errors_in_the_one_element_it_points_at() -> None:
    """The combobox wrote one `<name>-error` element per message: two errors, two equal ids."""
    html = render_to_string(
        "trajectories/_combobox.html",
        {
            "name": "product",
            "label": "Product",
            "url": "/",
            "help": "Typ.",
            "errors": ["Eén.", "Twee."],
        },
    )
    assert idref_problems(html) == []
    assert 'aria-describedby="product-help product-error"' in html
    assert '<span class="opstap-field-error" id="product-error">Eén. Twee.</span>' in html


@pytest.mark.parametrize(
    ("extra", "opening"),
    [
        ({}, '<p class="opstap-field-error" id="id_hours_error">'),
        ({"tag": "span"}, '<span class="opstap-field-error" id="id_hours_error">'),
        ({"alert": True}, '<p class="opstap-field-error" role="alert" id="id_hours_error">'),
    ],
)
def test_one_include_writes_every_field_error(extra: dict[str, object], opening: str) -> None:
    field = _refused()["hours"]
    html = render_to_string("core/_field_errors.html", {"field": field, **extra})
    closing = "</span>" if extra.get("tag") == "span" else "</p>"
    assert html == f"{opening}Eerste fout. Tweede fout.{closing}"


def test_an_amount_in_a_field_error_stays_on_one_line() -> None:
    form = _Refused(data={"hours": "x", "kind": "a"})
    form.is_valid()
    form.add_error("hours", "Meer dan € 1.500,00.")
    html = render_to_string("core/_field_errors.html", {"field": form["hours"]})
    assert "€\u00a01.500,00" in html
    assert "€\u00a01.500,00" in _written_provider_fields(form)
    assert "€\u00a01.500,00" in _written_described_fields(form)


def test_the_kpi_filters_point_at_their_error_message() -> None:
    form = _Refused(data={})
    form.is_valid()
    html = render_to_string("kpis/_filters.html", {"form": form, "request": None})
    assert idref_problems(html) == []
    assert 'aria-describedby="id_hours_error"' in html


def test_the_checker_finds_a_dangling_reference_and_a_double_id() -> None:
    html = '<input aria-describedby="a b"><span id="a"></span><p id="x"></p><p id="x"></p>'
    assert idref_problems(html) == [
        "<input aria-describedby> names #b, which is not on the page",
        "id 'x' is used 2 times",
    ]
