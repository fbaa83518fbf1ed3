"""Forms of the social return pages: shape and parse only; the rules are in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from opstap.core.forms import DateInput, HoursField
from opstap.core.money import parse_amount

from .rules import LIEMERS_BLOCKS, year_refusal

DATE = DateInput()


def block_choices(norms: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    source = norms.values() if norms else LIEMERS_BLOCKS
    return [(n.code, n.name) for n in source]


class AmountField(forms.CharField):
    """An amount typed the Dutch way (1.500,00)."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_amount(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PlanForm(forms.Form):
    text = forms.CharField(
        label="Plan van aanpak",
        widget=forms.Textarea(attrs={"rows": 8, "class": "utrecht-textarea"}),
        help_text="Hoe u de verplichting invult, welke alternatieven, de begeleiding.",
    )
    document = forms.FileField(
        label="Document (PDF, DOCX of ODT)", required=False, help_text="Maximaal 4 A4."
    )


class PlannedBlockForm(forms.Form):
    block_code = forms.ChoiceField(label="Bouwblok", required=False)
    year = forms.IntegerField(label="Jaar", required=False, min_value=2000, max_value=2100)
    count = forms.IntegerField(label="Aantal", required=False, min_value=1, max_value=999)
    estimated_value = AmountField(
        label="Geschatte waarde (leeg = normbedrag x aantal)", required=False
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        field: Any = self.fields["block_code"]
        field.choices = [("", "—"), *(choices or block_choices())]


PlannedBlockFormSet = forms.formset_factory(PlannedBlockForm, extra=4, max_num=10)


class DecideForm(forms.Form):
    action = forms.ChoiceField(
        label="Besluit", choices=[("approve", "Goedkeuren"), ("return", "Terugsturen")]
    )
    remarks = forms.CharField(
        label="Opmerkingen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        help_text="Verplicht bij terugsturen.",
    )


class BlockForm(forms.Form):
    block_code = forms.ChoiceField(label="Bouwblok")
    external_person = forms.CharField(
        label="Persoon (initialen en achternaam of eigen kenmerk)",
        max_length=100,
        required=False,
        help_text="Geen BSN of geboortedatum. Een klant van ons koppelt u via de plaatsingen.",
    )
    start_date = forms.DateField(label="Startdatum", widget=DATE)
    hours_per_week = HoursField(
        label="Uren per week", required=False, max_digits=5, decimal_places=2
    )
    contract_months = forms.IntegerField(
        label="Duur arbeidsovereenkomst (maanden)", required=False, min_value=1, max_value=120
    )
    evidence = forms.FileField(label="Bewijsstuk (PDF, DOCX, ODT, PNG of JPG)", required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        field: Any = self.fields["block_code"]
        field.choices = choices or block_choices()


class PlacementBlockForm(forms.Form):
    outcome = forms.IntegerField(widget=forms.HiddenInput)
    block_code = forms.ChoiceField(label="Bouwblok")
    evidence = forms.FileField(label="Bewijsstuk", required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        field: Any = self.fields["block_code"]
        field.choices = choices or block_choices()


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label="Bewijsstuk")


class VerifyForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="Besluit",
        choices=[("1", "Verifiëren"), ("0", "Afkeuren")],
        coerce=lambda v: v == "1",
    )
    remarks = forms.CharField(label="Opmerkingen", required=False, max_length=1000)


class OverviewYearForm(forms.Form):
    """The year of the overview and its xlsx (?jaar=…); empty is this year."""

    jaar = forms.CharField(label="Jaar", required=False)

    def __init__(self, *args: Any, today: dt.date, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.today = today

    def clean_jaar(self) -> int:
        text = (self.cleaned_data.get("jaar") or "").strip()
        if not text:
            return self.today.year
        try:
            year = int(text)
        except ValueError as exc:
            raise forms.ValidationError("Geef een jaartal, bijvoorbeeld 2026.") from exc
        refusal = year_refusal(year, today=self.today)
        if refusal:
            raise forms.ValidationError(refusal)
        return year


class YearForm(forms.Form):
    jaar = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)
