"""Forms of the invoices pages (shape and parsing only; the rules live in services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from opstap.core.dutch import parse_date
from opstap.core.forms import AmountField, DateInput, HoursField
from opstap.core.money import parse_amount

from .models import MILESTONE_CHOICES, Verdict
from .payment_rules import TerminationReason
from .selectors import BUCKETS
from .services import InvoiceError, TripInput, trip_lines_parse
from .workflow import STATUS_LABELS_NL

_DATE = DateInput()
TERMINATION_LABELS = {
    TerminationReason.MOVE: "Verhuizing",
    TerminationReason.DROP_OUT: "Uitval",
    TerminationReason.ACCEPTED_JOB: "Aanvaarde baan",
    TerminationReason.OUTSIDE_PROVIDER_CONTROL: "Omstandigheden buiten de aanbieder",
}


class InvoiceFilterForm(forms.Form):
    bucket = forms.ChoiceField(
        label="Werklijst", required=False, choices=[("", "Alle"), *BUCKETS.items()]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alle"), *((s.value, label) for s, label in STATUS_LABELS_NL.items())],
    )
    verdict = forms.ChoiceField(
        label="Oordeel", required=False, choices=[("", "Alle"), *Verdict.choices]
    )
    provider = forms.TypedChoiceField(
        label="Aanbieder", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, provider_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Alle"), *provider_choices]  # type: ignore[attr-defined]


class _TrajectoryForm(forms.Form):
    """A form about one trajectory, its first field, chosen among `trajectory_choices` (the
    trajectories the user may see)."""

    trajectory = forms.TypedChoiceField(
        label="Traject",
        coerce=int,
        # Django's "Selecteer een geldige keuze. 417 is geen beschikbare keuze." named a
        # bare id; the API says the same as this (core.api.viewsets.visible_or_invalid).
        error_messages={
            "invalid_choice": "Dit traject bestaat niet of u heeft er geen toegang toe. "
            "Kies een van uw trajecten uit de lijst.",
            "required": "Kies het traject waarover dit gaat.",
        },
    )

    def __init__(
        self, *args: Any, trajectory_choices: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # No trajectory chosen in advance: with the first one preselected, a claim sent without
        # looking went to whichever client happened to be on top of the list.
        self.fields["trajectory"].choices = [  # type: ignore[attr-defined]
            ("", "Kies een traject"),
            *trajectory_choices,
        ]


class _PaperReceiptForm(_TrajectoryForm):
    """An invoice the administration may register from paper (`paper=True`): it records the
    day it was received, the organisation's stamp (`services.paper_received_at`), in
    `received_on` right after the invoice date, so the clerk types the two dates from the
    paper side by side (it sat at the end, after the PDF). A provider submits in the portal:
    received is the moment of submission, no field, and a posted value is ignored."""

    def __init__(self, *args: Any, paper: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if paper:
            fields = list(self.fields.items())
            after = [name for name, _field in fields].index("invoice_date") + 1
            fields.insert(after, ("received_on", _received_on_field()))
            self.fields = dict(fields)


def _received_on_field() -> forms.DateField:
    return forms.DateField(
        label="Ontvangen op",
        required=False,
        widget=_DATE,
        help_text="De datum van de ontvangststempel op de papieren factuur; leeg is vandaag.",
    )


class InvoiceSubmitForm(_PaperReceiptForm):
    invoice_number = forms.CharField(label="Factuurnummer", max_length=60)
    invoice_date = forms.DateField(label="Factuurdatum", widget=_DATE)
    milestone = forms.ChoiceField(label="Mijlpaal", choices=MILESTONE_CHOICES)
    period_start = forms.DateField(
        label="Periode van",
        required=False,
        widget=_DATE,
        help_text="Verplicht bij trajecten langer dan 3 maanden.",
    )
    period_end = forms.DateField(label="Periode tot en met", required=False, widget=_DATE)
    client_number = forms.CharField(label="Cliëntnummer (zoals op de factuur)", max_length=30)
    client_surname = forms.CharField(
        label="Achternaam cliënt (zoals op de factuur)", max_length=150
    )
    amount_excl = AmountField(label="Bedrag excl. btw", max_digits=12, decimal_places=2)
    vat = AmountField(label="Btw", max_digits=12, decimal_places=2)
    amount_incl = AmountField(label="Bedrag incl. btw", max_digits=12, decimal_places=2)
    hourly_rate = AmountField(
        label="Uurtarief (jobcoaching/intake)", required=False, max_digits=8, decimal_places=2
    )
    logbook = forms.CharField(
        label="Urenlogboek",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Eén regel per dag: dd-mm-jjjj uren (bijv. 01-06-2026 2,5).",
    )
    pdf = forms.FileField(label="Factuur (PDF)", required=False)

    def clean_logbook(self) -> list[dict[str, str]]:
        entries: list[dict[str, str]] = []
        for number, line in enumerate(self.cleaned_data.get("logbook", "").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                day = _day(parts[0])
                hours = parse_amount(parts[1])
            except (IndexError, ValueError, ArithmeticError) as exc:
                raise forms.ValidationError(
                    f"Regel {number} van het logboek: gebruik 'dd-mm-jjjj uren'."
                ) from exc
            entries.append({"date": day.isoformat(), "hours": str(hours)})
        return entries


def _day(text: str) -> dt.date:
    """A typed day, dd-mm-jjjj (the house style) or jjjj-mm-dd."""
    day = parse_date(text)
    if day is None:
        raise ValueError("geen datum")
    return day


class ApproveForm(forms.Form):
    note = forms.CharField(
        label="Toelichting (verplicht bij oranje)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reden van afwijzing",
        widget=forms.Textarea(attrs={"rows": 2}),
        # the service's own words: "Dit veld is vereist." did not say what to write
        error_messages={"required": "Geef een reden voor de afwijzing."},
    )


class SubstanceForm(forms.Form):
    termination_reason = forms.ChoiceField(
        label="Reden voortijdige beëindiging",
        required=False,
        choices=[("", "—"), *((r.value, label) for r, label in TERMINATION_LABELS.items())],
    )
    reported_on_time = forms.BooleanField(
        label="Aanbieder heeft tijdig gerapporteerd", required=False
    )
    adjusted_amount_excl = AmountField(
        label="Aangepast bedrag excl. btw (optioneel)",
        required=False,
        max_digits=12,
        decimal_places=2,
    )
    adjustment_reason = forms.CharField(label="Reden aanpassing", required=False)
    note = forms.CharField(label="Toelichting", required=False)


class CreditNoteForm(forms.Form):
    """A (partial) credit note on an approved or paid invoice (R-BILL-8)."""

    number = forms.CharField(label="Nummer creditnota", max_length=60)
    credit_date = forms.DateField(label="Datum creditnota", widget=_DATE)
    reason = forms.CharField(
        label="Reden", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    amount_excl = AmountField(label="Bedrag excl. btw", max_digits=12, decimal_places=2)
    vat = AmountField(label="Btw", max_digits=12, decimal_places=2)
    amount_incl = AmountField(label="Bedrag incl. btw", max_digits=12, decimal_places=2)


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label="Maand",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Heel jaar"), *((m, f"{m:02d}") for m in range(1, 13))],
    )
    provider = forms.TypedChoiceField(
        label="Aanbieder", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, provider_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Alle"), *provider_choices]  # type: ignore[attr-defined]


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label="Betaald op",
        widget=_DATE,
        error_messages={"required": "Vul de datum in waarop de bank heeft betaald."},
    )


class PlacementFeeForm(_PaperReceiptForm):
    invoice_number = forms.CharField(label="Factuurnummer", max_length=60)
    invoice_date = forms.DateField(label="Factuurdatum", widget=_DATE)
    employer = forms.CharField(label="Werkgever", max_length=200)
    placement_start = forms.DateField(label="Eerste werkdag", widget=_DATE)
    hours_per_week = HoursField(label="Uren per week", max_digits=5, decimal_places=2)
    contract_months = forms.IntegerField(
        label="Contractduur in maanden", required=False, help_text="Leeg bij onbepaalde tijd."
    )
    probation_end = forms.DateField(label="Einde proeftijd", required=False, widget=_DATE)
    client_hour_restriction = HoursField(
        label="Urenbeperking klant volgens u (uren per week)",
        required=False,
        help_text="Ter informatie. De beoordeling gebruikt de urenbeperking uit het "
        "klantdossier die op de eerste werkdag gold.",
        max_digits=5,
        decimal_places=2,
    )
    contract = forms.FileField(label="Arbeidscontract (PDF)")
    pdf = forms.FileField(label="Factuur (PDF)", required=False)


class TravelClaimForm(_TrajectoryForm):
    trips = forms.CharField(
        label="Ritten",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Eén regel per rit: dd-mm-jjjj km-enkele-reis bedrag (bijv. 01-06-2026 12 6,40).",
    )
    attended_on = forms.CharField(
        label="Aanwezig op (alleen als het traject geen presentieregistratie heeft)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Data als dd-mm-jjjj, gescheiden door spaties of regels.",
    )

    def clean_trips(self) -> list[TripInput]:
        try:
            return trip_lines_parse(self.cleaned_data.get("trips", ""))
        except InvoiceError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_attended_on(self) -> list[dt.date]:
        try:
            return [_day(v) for v in self.cleaned_data.get("attended_on", "").split()]
        except ValueError as exc:
            raise forms.ValidationError("Gebruik datums als dd-mm-jjjj.") from exc
