from __future__ import annotations

import datetime as dt
import re

from django import forms

from opstap.organisations.models import Municipality

MONTH_INPUT = re.compile(r"(?P<month>\d{1,2})-(?P<year>\d{4})")
YEAR_FIRST_INPUT = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})")


class DeliveryRequestForm(forms.Form):
    """Build the SRG delivery of one past month for one municipality."""

    municipality = forms.ModelChoiceField(
        label="Gemeente",
        queryset=Municipality.objects.none(),
        empty_label=None,
        help_text="De gemeente waarvoor u levert.",
    )
    month = forms.CharField(
        label="Verslagmaand",
        max_length=7,
        help_text="Als mm-jjjj, bijvoorbeeld 10-2026.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args: object, organisation_id: int | None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(organisation_id=organisation_id or 0).order_by(
            "name"
        )

    def clean_month(self) -> dt.date:
        """`mm-jjjj` (or `jjjj-mm`); anything else gets the Dutch message."""
        text = (self.cleaned_data.get("month") or "").strip()
        found = MONTH_INPUT.fullmatch(text) or YEAR_FIRST_INPUT.fullmatch(text)
        if found:
            month, year = int(found.group("month")), int(found.group("year"))
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return dt.date(year, month, 1)
        raise forms.ValidationError("Vul de maand in als mm-jjjj, bijvoorbeeld 10-2026.")


class MarkSentForm(forms.Form):
    report_seen = forms.BooleanField(
        label="Ik heb het validatierapport bekeken",
        required=False,
        help_text="Verplicht als het rapport bevindingen heeft.",
    )
