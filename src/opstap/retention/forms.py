from __future__ import annotations

import datetime as dt

from django import forms

from opstap.core.dutch import parse_date

from .models import ACTION_CHOICES, KIND_CHOICES


class DryRunForm(forms.Form):
    reference_date = forms.CharField(
        label="Peildatum",
        max_length=10,
        help_text="dd-mm-jjjj. Een datum in de toekomst laat zien wat er dan zou gebeuren.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_reference_date(self) -> dt.date:
        try:
            day = parse_date(self.cleaned_data.get("reference_date") or "")
        except (ValueError, TypeError):
            day = None
        if day is None:
            raise forms.ValidationError("Vul de peildatum in als dd-mm-jjjj.")
        return day


class TermForm(forms.Form):
    kind = forms.ChoiceField(label="Soort gegevens", choices=KIND_CHOICES)
    years = forms.IntegerField(
        label="Bewaartermijn in jaren", min_value=1, max_value=30, help_text="1 tot 30 jaar."
    )
    action = forms.ChoiceField(label="Daarna", choices=ACTION_CHOICES)
    source = forms.CharField(
        label="Grondslag",
        required=False,
        max_length=2000,
        help_text="Categorie van de selectielijst of het besluit van de archivaris.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HoldForm(forms.Form):
    client_number = forms.CharField(
        label="Klantnummer", max_length=30, help_text="Het klantnummer van de sociale dienst."
    )
    reason = forms.CharField(
        label="Reden", max_length=300, help_text="Bijvoorbeeld de procedure en het zaaknummer."
    )
