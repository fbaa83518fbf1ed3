"""Forms of the trajectories app: parse input only; the rules live in services.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from opstap.clients.models import ROTONDE_LABELS_NL
from opstap.core.contract_types import ContractType
from opstap.core.forms import AmountField, DateInput

from .models import AbsenceRisk, DocumentKind, Outcome, Trajectory
from .selectors import document_action, registration_grace_working_days
from .workflow import STATE_LABELS_NL, Action

DATE = DateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

#: The date field each action asks for (name, label, required).
ACTION_DATE_FIELDS: dict[Action, list[tuple[str, str, bool]]] = {
    Action.PLAN_INTAKE: [("intake_date", "Datum intake", True)],
    Action.HOLD_INTAKE: [("held_on", "Intake gehouden op", False)],
    Action.START: [
        ("start_date", "Startdatum", False),
        ("planned_end_date", "Geplande einddatum (leeg = nominale duur)", False),
    ],
    Action.APPROVE_EXTENSION: [("new_planned_end_date", "Nieuwe geplande einddatum", True)],
    Action.COMPLETE: [("end_date", "Einddatum", False)],
    Action.TERMINATE_EARLY: [("end_date", "Einddatum", False)],
    Action.APPROVE_RETURN: [("end_date", "Einddatum", False)],
    Action.NOT_STARTED_AFTER_KLIKGESPREK: [("end_date", "Datum", False)],
    Action.NOT_STARTED_AFTER_INTAKE: [("end_date", "Datum", False)],
}

#: Date fields the provider states for a deadline (R-TRJ-3, `deadlines.deadline_met_on`).
STATED_FOR_DEADLINE = frozenset({"held_on", "start_date"})


def _working_days_nl(count: int) -> str:
    return f"{count} werkdag{'' if count == 1 else 'en'}"


def stated_day_help() -> str:
    grace = registration_grace_working_days()
    return (
        "Leeg is vandaag. Voor de termijn telt een eerdere datum hoogstens "
        f"{_working_days_nl(grace)} terug vanaf vandaag."
        if grace
        else "Leeg is vandaag. Voor de termijn telt de dag waarop u dit vastlegt."
    )


def stated_day_counted_later_nl() -> str:
    """Why a deadline counts as met after the day the provider stated (R-TRJ-3): said next to
    the deadline on the trajectory page, for the provider and the case manager alike."""
    grace = registration_grace_working_days()
    return (
        f"maar later vastgelegd: een datum telt hoogstens {_working_days_nl(grace)} terug"
        if grace
        else "maar later vastgelegd: de dag van vastleggen telt"
    )


#: Actions that submit a document (the document kind).
ACTION_DOCUMENT_KIND: dict[Action, str] = {
    action: kind for kind in DocumentKind.values if (action := document_action(kind)) is not None
}


class ActionForm(forms.Form):
    """One transition with its reason, dates and (for document actions) the document."""

    reason = forms.CharField(
        label="Reden of toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, action: Action, reason_required: bool, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", action.value)
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["reason"].required = reason_required
        if reason_required:
            self.fields["reason"].label = "Reden (verplicht)"
            # Django's "Dit veld is vereist." did not say which field or why.
            self.fields["reason"].error_messages["required"] = (
                "Geef de reden op; die wordt bij deze stap in de tijdlijn vastgelegd."
            )
        for name, label, required in ACTION_DATE_FIELDS.get(action, []):
            self.fields[name] = forms.DateField(
                label=label,
                required=required,
                widget=DATE,
                help_text=stated_day_help() if name in STATED_FOR_DEADLINE else "",
            )
        self.document_kind = ACTION_DOCUMENT_KIND.get(action)
        if self.document_kind is not None:
            kind_label = DocumentKind(self.document_kind).label
            self.fields["title"] = forms.CharField(
                label="Titel", initial=kind_label.capitalize(), max_length=200
            )
            self.fields["text"] = forms.CharField(
                label="Inhoud", required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            if self.document_kind == DocumentKind.QUOTE:
                self.fields.update(quote_fields())
            if self.document_kind in (DocumentKind.PLAN, DocumentKind.QUOTE):
                self.fields["goals"] = forms.CharField(
                    label="Doelen (één per regel)",
                    required=self.document_kind == DocumentKind.PLAN,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                self.fields["result_agreements"] = forms.CharField(
                    label="Resultaatafspraken (één per regel)",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                self.fields["signed_by_candidate"] = forms.BooleanField(
                    label="Getekend door de kandidaat", required=False
                )
            self.fields["file"] = forms.FileField(
                label="Bestand (PDF, DOCX, ODT of afbeelding, max. 10 MB)", required=False
            )

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        payload: dict[str, Any] = {
            name: data[name].isoformat()
            for name, _label, _required in ACTION_DATE_FIELDS.get(self.action, [])
            if data.get(name)
        }
        for name in ("amount", "hourly_rate", "hours"):
            if data.get(name) is not None:
                payload[name] = str(data[name])
        return payload


def _optional_figure(label: str, max_digits: int) -> forms.DecimalField:
    """A non-negative figure of a quote with two decimals, left to the service to require;
    typed the Dutch way (`2.400,00`, `80,50`): a number box dropped the comma."""
    return AmountField(
        label=label, required=False, min_value=0, max_digits=max_digits, decimal_places=2
    )


def quote_fields() -> dict[str, forms.Field]:
    """The figures of a quote; the service decides which are required (R-TRJ-1): always the
    amount, and for jobcoaching also rate and hours (amount = rate x hours)."""
    return {
        "amount": _optional_figure("Offertebedrag (euro, excl. btw)", 10),
        "hourly_rate": _optional_figure(
            "Uurtarief (euro, excl. btw; verplicht bij jobcoaching)", 10
        ),
        "hours": _optional_figure("Aantal uren (verplicht bij jobcoaching)", 7),
    }


class QuoteRevisionForm(forms.Form):
    """A revised quote (R-TRJ-1): the same figures, a text or a document."""

    prefix = "revision"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(quote_fields())
        self.fields["text"] = forms.CharField(
            label="Toelichting (wat is er herzien en waarom)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["file"] = forms.FileField(
            label="Offertedocument (PDF, DOCX, ODT of afbeelding, max. 10 MB)", required=False
        )


class QuoteDecisionForm(forms.Form):
    """The case manager's decision on a revised quote."""

    prefix = "decision"

    decision = forms.ChoiceField(
        label="Besluit",
        choices=[
            ("approve", "Herziene offerte goedkeuren"),
            ("reject", "Herziene offerte afwijzen"),
        ],
    )
    reason = forms.CharField(
        label="Reden (verplicht bij afwijzen)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ProgressReportForm(forms.Form):
    title = forms.CharField(label="Titel", initial="Voortgangsrapportage", max_length=200)
    text = forms.CharField(
        label="Voortgang, doelen en verzuim", widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label="Bestand (PDF, DOCX, ODT of afbeelding, max. 10 MB)", required=False
    )

    prefix = "report"


class AbsenceForm(forms.Form):
    occurred_at = forms.DateTimeField(label="Tijdstip van het verzuim", widget=DATETIME)
    reason = forms.CharField(
        label="Reden van het verzuim", widget=forms.Textarea(attrs={"rows": 2})
    )
    problematic = forms.BooleanField(
        label="Deelnemer werkt (dreigend) niet mee (direct melden)", required=False
    )

    prefix = "absence"


class OutcomeForm(forms.Form):
    werkfit = forms.NullBooleanField(
        label="Werkfit",
        required=False,
        widget=forms.Select(choices=[("unknown", "Onbekend"), ("true", "Ja"), ("false", "Nee")]),
    )
    employer = forms.CharField(label="Werkgever", required=False, max_length=200)
    placement_start = forms.DateField(label="Start plaatsing", required=False, widget=DATE)
    contract_type = forms.ChoiceField(
        label="Soort contract",
        required=False,
        choices=[("", "Onbekend"), *ContractType.choices],
    )
    hours_per_week = forms.DecimalField(label="Uren per week", required=False, min_value=0)
    contract_months = forms.IntegerField(
        label="Contractduur (maanden)", required=False, min_value=0, max_value=600
    )
    lks = forms.BooleanField(label="Loonkostensubsidie", required=False)
    garantiebaan = forms.BooleanField(label="Garantiebaan", required=False)
    beschut_werk = forms.BooleanField(label="Beschut werk", required=False)
    education_result = forms.CharField(label="Opleidingsresultaat", required=False, max_length=200)
    participation = forms.CharField(
        label="Participatie (vrijwilligerswerk, activerend werk)", required=False, max_length=200
    )
    care_referral = forms.CharField(
        label="Toeleiding naar zorg (welke dienst)", required=False, max_length=200
    )
    last_day_of_employment = forms.DateField(
        label="Laatste werkdag (als de plaatsing eindigde)", required=False, widget=DATE
    )

    prefix = "outcome"

    @classmethod
    def of(cls, outcome: Outcome | None) -> OutcomeForm:
        """The form filled with what is stored, so that a correction posts it back and
        changes only what the user changed (an empty form used to clear the ticked boxes:
        adding a last working day took the loonkostensubsidie off a placement)."""
        if outcome is None:
            return cls()
        initial = {name: getattr(outcome, name) for name in cls.base_fields}
        werkfit = initial["werkfit"]
        initial["werkfit"] = "unknown" if werkfit is None else ("true" if werkfit else "false")
        return cls(initial=initial)


class OrderForm(forms.Form):
    rotonde_exit = forms.ChoiceField(
        label="Afslag participatierotonde",
        choices=[(e.value, label) for e, label in ROTONDE_LABELS_NL.items()],
    )
    rotonde_skip_reason = forms.CharField(
        label="Reden als een eerdere afslag wordt overgeslagen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    aim_tiles = forms.MultipleChoiceField(label="Doelen (tegels)", required=False)
    aim_description = forms.CharField(
        label="Doel van het traject", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wished_start = forms.DateField(label="Gewenste startdatum", required=False, widget=DATE)
    # The case manager judges the risk (R-ABS-1): it decides whether the provider reports each
    # absence at once. Preset to "geen risico", an order placed without a look said so.
    absence_risk = forms.ChoiceField(
        label="Verzuimrisico",
        choices=[("", "Kies het verzuimrisico"), *AbsenceRisk.choices],
        error_messages={"required": "Kies het verzuimrisico: geen, verhoogd of problematisch."},
    )
    # Text, read by the service the Dutch way (1.500,00): a number field refused the comma
    # and let 1e3 and 20-digit amounts through (the latter stored and then a 500 on every page
    # showing the trajectory).
    budget = forms.CharField(
        label="Budget (euro, excl. btw)",
        required=False,
        max_length=30,
        help_text="Optioneel, bijv. 1.500,00.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, tile_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aim_tiles"].choices = tile_choices  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    """The overview's filters. The product is chosen in a search field (htmx combobox, the
    options come from `trajectories:overview_product_options`): an organisation may have
    thousands of products, and a select of the first 500 left the others unfilterable."""

    provider = forms.TypedChoiceField(
        label="Aanbieder", required=False, coerce=int, empty_value=None
    )
    product = forms.IntegerField(
        label="Product",
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Kies het product opnieuw uit de lijst.",
            "min_value": "Kies het product opnieuw uit de lijst.",
        },
    )
    q_product = forms.CharField(label="Product", required=False, max_length=100)
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alle statussen")]
        + [(s.value, label) for s, label in STATE_LABELS_NL.items()],
    )
    overdue = forms.BooleanField(label="Alleen met verlopen termijn", required=False)

    def __init__(
        self,
        *args: Any,
        provider_choices: list[tuple[Any, str]],
        product_label: Callable[[int], str | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Alle aanbieders"), *provider_choices]  # type: ignore[attr-defined]
        self._product_label = product_label
        self.product_label = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        product = data.get("product")
        if product is not None:
            label = self._product_label(product)
            if label is None:
                # Not one of the user's products (an old link, an edited address).
                self.add_error("product", "Dit product is niet gevonden; kies het opnieuw.")
                data["product"] = None
            else:
                self.product_label = label
        return data


__all__ = [
    "AbsenceForm",
    "ActionForm",
    "FilterForm",
    "OrderForm",
    "OutcomeForm",
    "ProgressReportForm",
    "_lines",
]


ATTENDANCE_CHOICES = [
    ("attended", "Aanwezig"),
    ("absent", "Afwezig (verzuim)"),
    ("cancelled", "Afgezegd"),
    ("rescheduled", "Verplaatst"),
]


class AttendanceForm(forms.Form):
    """One appointment's attendance (R-ABS-1); an absence needs its reason."""

    status = forms.ChoiceField(
        label="Aanwezigheid",
        choices=ATTENDANCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies aanwezig, afwezig, afgezegd of verplaatst."},
    )
    reason = forms.CharField(label="Reden bij afwezig", required=False, max_length=500)
    problematic = forms.BooleanField(
        label="Deelnemer werkt (dreigend) niet mee (direct melden)", required=False
    )


#: The largest id a key column holds (PostgreSQL bigint): no trajectory has a larger one.
MAX_ID = 2**63 - 1
CHOOSE_TRAJECTORY = "Kies een deelnemer en traject uit de lijst."
NOT_RUNNING = (
    "Dit traject staat niet tussen uw lopende trajecten: zoek de deelnemer en kies het traject "
    "uit de lijst."
)


class AppointmentForm(forms.Form):
    """A new appointment of a candidate with the provider (Dutch date entry). The trajectory
    is chosen in a searchable list (the combobox) and posted as its id; `find_trajectory`
    looks that id up among the running trajectories the user may see (None: not there), so
    every one of them can be chosen, however many there are."""

    trajectory = forms.IntegerField(
        label="Deelnemer en traject",
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
        error_messages={
            key: CHOOSE_TRAJECTORY for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    day = forms.DateField(
        label="Datum (dd-mm-jjjj)",
        input_formats=["%d-%m-%Y", "%d-%m-%y", "%Y-%m-%d"],
        error_messages={"invalid": "Schrijf de datum als dd-mm-jjjj."},
        widget=forms.TextInput(attrs={"placeholder": "dd-mm-jjjj", "inputmode": "numeric"}),
    )
    time = forms.TimeField(
        label="Tijd (uu:mm)",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"invalid": "Schrijf de tijd als uu:mm, bijvoorbeeld 09:30."},
        widget=forms.TextInput(attrs={"placeholder": "uu:mm", "inputmode": "numeric"}),
    )
    description = forms.CharField(label="Omschrijving", required=False, max_length=200)

    prefix = "appointment"

    def __init__(
        self, *args: Any, find_trajectory: Callable[[int], Trajectory | None], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self._find_trajectory = find_trajectory
        #: The trajectory the posted id stands for, once it was found (its label is shown
        #: again when the form comes back with an error).
        self.chosen: Trajectory | None = None

    def clean_trajectory(self) -> Trajectory:
        trajectory = self._find_trajectory(self.cleaned_data["trajectory"])
        if trajectory is None:
            raise forms.ValidationError(NOT_RUNNING, code="invalid_choice")
        self.chosen = trajectory
        return trajectory
