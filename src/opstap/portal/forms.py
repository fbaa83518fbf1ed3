"""Forms of the client portal (plain language; the rules are in the services).

The travel claim is a form, not a text box (R-BILL-9, R-POR): the resident ticks the
appointments the provider registered as attended and types the kilometres and costs per trip,
or enters another day as dd-mm-jjjj."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

DUTCH_DATE_FORMATS = ["%d-%m-%Y", "%d-%m-%y", "%d/%m/%Y", "%d.%m.%Y"]
EXTRA_DAYS = 2

_NUM = {"class": "utrecht-textbox opstap-input-short", "inputmode": "decimal"}


def dutch_decimal(value: str, *, label: str) -> Decimal:
    """'12', '6,40' or '6.40' → Decimal; a Dutch message otherwise."""
    text = (value or "").strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise forms.ValidationError(f"Vul {label} in als een getal, bijvoorbeeld 6,40.") from exc
    if not number.is_finite() or number < 0:
        raise forms.ValidationError(f"Vul {label} in als een positief getal.")
    return number


class TravelClaimForm(forms.Form):
    """One trajectory's claim: a checkbox, km and costs per attended appointment, plus a few
    rows for another day. `cleaned_data["trips"]` is a list of (date, km, amount)."""

    def __init__(self, *args: Any, appointments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.appointments = appointments
        for a in appointments:
            self.fields[f"trip_{a.pk}"] = forms.BooleanField(required=False, label="Ik reisde")
            self.fields[f"km_{a.pk}"] = forms.CharField(
                required=False, label="Km enkele reis", widget=forms.TextInput(attrs=_NUM)
            )
            self.fields[f"amount_{a.pk}"] = forms.CharField(
                required=False, label="Kosten (€)", widget=forms.TextInput(attrs=_NUM)
            )
        for i in range(1, EXTRA_DAYS + 1):
            self.fields[f"date_x{i}"] = forms.DateField(
                required=False,
                label="Datum (dd-mm-jjjj)",
                input_formats=DUTCH_DATE_FORMATS,
                error_messages={"invalid": "Schrijf de datum als dd-mm-jjjj, bijv. 01-06-2026."},
                widget=forms.TextInput(
                    attrs={
                        "class": "utrecht-textbox opstap-input-date",
                        "placeholder": "dd-mm-jjjj",
                        "inputmode": "numeric",
                        "autocomplete": "off",
                    }
                ),
            )
            self.fields[f"km_x{i}"] = forms.CharField(
                required=False, label="Km enkele reis", widget=forms.TextInput(attrs=_NUM)
            )
            self.fields[f"amount_x{i}"] = forms.CharField(
                required=False, label="Kosten (€)", widget=forms.TextInput(attrs=_NUM)
            )

    def rows(self) -> list[dict[str, Any]]:
        """The appointment rows, for the template."""
        return [
            {
                "appointment": a,
                "check": self[f"trip_{a.pk}"],
                "km": self[f"km_{a.pk}"],
                "amount": self[f"amount_{a.pk}"],
            }
            for a in self.appointments
        ]

    def extra_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "n": i,
                "date": self[f"date_x{i}"],
                "km": self[f"km_x{i}"],
                "amount": self[f"amount_x{i}"],
            }
            for i in range(1, EXTRA_DAYS + 1)
        ]

    def _trip(self, key: str, day: dt.date | None) -> tuple[dt.date, Decimal, Decimal] | None:
        data = self.cleaned_data
        values: list[Decimal] = []
        for name, label in ((f"km_{key}", "de kilometers"), (f"amount_{key}", "de kosten")):
            try:
                values.append(dutch_decimal(data.get(name, ""), label=label))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return (day, values[0], values[1]) if len(values) == 2 and day is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        trips: list[tuple[dt.date, Decimal, Decimal]] = []
        for a in self.appointments:
            if data.get(f"trip_{a.pk}"):
                trip = self._trip(str(a.pk), a.day)
                if trip:
                    trips.append(trip)
        for i in range(1, EXTRA_DAYS + 1):
            day = data.get(f"date_x{i}")
            typed = data.get(f"km_x{i}") or data.get(f"amount_x{i}")
            if day is None and not typed:
                continue
            if day is None and f"date_x{i}" not in self.errors:
                self.add_error(f"date_x{i}", "Vul de datum van deze reis in (dd-mm-jjjj).")
            trip = self._trip(f"x{i}", day)
            if trip and day is not None:
                trips.append(trip)
        if not trips and not self.errors:
            raise forms.ValidationError(
                "Kies minstens één afspraak waarvoor u reisde, of vul een datum in."
            )
        data["trips"] = trips
        return data


class UploadForm(forms.Form):
    title = forms.CharField(
        label="Waar gaat het document over?",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
        help_text="Bijvoorbeeld: loonstrook maart, of doktersverklaring.",
        error_messages={
            "required": "Schrijf waar het document over gaat, bijvoorbeeld: loonstrook maart.",
            "max_length": "Schrijf het korter: hoogstens 200 tekens.",
        },
    )
    file = forms.FileField(
        label="Bestand",
        help_text=(
            "Een PDF, Word- of OpenOffice-bestand, of een foto (PNG of JPG). Hoogstens 10 MB."
        ),
        error_messages={
            "required": "Kies het bestand dat u wilt sturen.",
            "empty": "Het bestand is leeg. Kies een ander bestand.",
            "invalid": "Er kwam geen bestand mee. Kies het bestand opnieuw.",
        },
        widget=forms.ClearableFileInput(
            attrs={"class": "utrecht-textbox", "accept": ".pdf,.docx,.odt,.png,.jpg,.jpeg"}
        ),
    )


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 11)]


class SurveyForm(forms.Form):
    score = forms.ChoiceField(
        label="Welk cijfer geeft u? (1 is heel slecht, 10 is heel goed)",
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
        error_messages={"required": "Kies een cijfer van 1 tot en met 10."},
    )
    remark = forms.CharField(
        label="Wilt u nog iets zeggen? (niet verplicht)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
    )
