"""Matching forms (walk finding, R-SEC-6: errors clear and in Dutch): an empty required field
said 'Dit veld is vereist.' — on the placement form next to the start date and the hours
alike, so the case manager had to guess. Every required field now names itself."""

from __future__ import annotations

import pytest

from opstap.matching.forms import (
    EmployerForm,
    IntroductionPlanForm,
    PlacementForm,
    WithdrawForm,
    required_message,
)


def test_required_fields_name_themselves() -> None:
    form = IntroductionPlanForm({})
    assert not form.is_valid()
    assert form.errors["on"] == ["Vul datum kennismaking in."]
    form = WithdrawForm({})
    assert not form.is_valid()
    assert form.errors["reason"] == ["Vul reden in."]
    form = EmployerForm({})
    assert not form.is_valid()
    assert form.errors["kvk_number"] == ["Vul KvK-nummer in."]


@pytest.mark.django_db
def test_the_placement_form_says_which_field_is_empty() -> None:
    from opstap.providers.models import Provider

    form = PlacementForm({}, providers=Provider.objects.none())
    assert not form.is_valid()
    assert form.errors["start_date"] == ["Vul startdatum in."]
    assert form.errors["hours_per_week"] == ["Vul uren per week in."]
    assert form.errors["contract_type"] == ["Maak een keuze bij soort contract."]
    assert "Dit veld is vereist." not in str(form.errors)


def test_a_message_given_by_the_form_is_kept() -> None:
    from django import forms

    field = forms.CharField(label="Naam", error_messages={"required": "Eigen tekst."})
    assert required_message(field) == "Vul naam in."
    assert field.error_messages["required"] == "Eigen tekst."
