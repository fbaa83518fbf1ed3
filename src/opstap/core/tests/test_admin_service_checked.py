"""Back-office forms saved through a service show the service's refusal on the form
(`core.admin.ServiceCheckedForm`, `service_checked`): beside its field, else above the form."""

from __future__ import annotations

from typing import Any

from django import forms

from opstap.core.admin import service_checked
from opstap.core.errors import DomainError


class _NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _refuse(field: str | None) -> Any:
    def check(data: dict[str, Any]) -> None:
        if data["name"] == "fout":
            raise DomainError("Deze naam bestaat al.", field=field)

    return check


def test_a_refusal_naming_a_field_is_shown_beside_it() -> None:
    form = service_checked(_NameForm, _refuse("name"))(data={"name": "fout"})
    assert not form.is_valid()
    assert form.errors == {"name": ["Deze naam bestaat al."]}


def test_a_refusal_of_the_whole_form_is_shown_above_it() -> None:
    form = service_checked(_NameForm, _refuse("unknown"))(data={"name": "fout"})
    assert not form.is_valid()
    assert form.non_field_errors() == ["Deze naam bestaat al."]


def test_the_check_runs_only_after_the_fields_are_valid_and_accepts_what_it_allows() -> None:
    assert service_checked(_NameForm, _refuse("name"))(data={"name": "goed"}).is_valid()
    too_long = service_checked(_NameForm, _refuse("name"))(data={"name": "x" * 21})
    assert not too_long.is_valid()
    assert list(too_long.errors) == ["name"]
