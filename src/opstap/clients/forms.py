"""Forms of the clients pages: parse and show Dutch messages; rules live in services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from opstap.accounts import selectors as account_selectors
from opstap.accounts.models import User
from opstap.core.dutch import DATE_INPUT_FORMATS, format_number
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality

from .ladder import TRACK_LABELS_NL, UNIT_LABELS_NL
from .models import LADDER_STEP_CHOICES, SUB_STATUS_CHOICES
from .services.clients import MAX_HANDOVER_NOTE
from .services.validation import ClientError, bsn_clean
from .target_groups import TARGET_GROUP_LABELS_NL

SORT_CHOICES = [
    ("naam", "Naam (A-Z)"),
    ("-naam", "Naam (Z-A)"),
    ("klantnummer", "Klantnummer"),
    ("trede", "Trede (laag-hoog)"),
    ("-trede", "Trede (hoog-laag)"),
    ("gemeente", "Gemeente"),
    ("geboortedatum", "Geboortedatum (oud-jong)"),
    ("-geboortedatum", "Geboortedatum (jong-oud)"),
]

_ANY = [("", "Alle")]
#: A typed date that `DATE_INPUT_FORMATS` (dd-mm-jjjj or jjjj-mm-dd) cannot read.
_DATE_INVALID = {"invalid": "Vul een geldige datum in (dd-mm-jjjj)."}


def active_users_with_role(organisation_id: int | None, role: RoleCode) -> Any:
    """The organisation's active users with `role` (case managers, income coaches); shown
    in the Dutch name order by the fields below (accounts.selectors.by_surname)."""
    return account_selectors.active_users_with_role(organisation_id, role)


class _BySurnameIterator(forms.models.ModelChoiceIterator):
    """The choices of a staff dropdown in the Dutch order ('Berg, Sandra van den')."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in account_selectors.by_surname(self.queryset):
            yield self.choice(obj)


class CaseManagerChoiceField(forms.ModelChoiceField):
    """A dropdown of staff (case managers, income coaches): 'Berg, Sandra van den', sorted
    on surname as Dutch lists are."""

    iterator = _BySurnameIterator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "— kies —")  # not Django's '---------'
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.list_name)


#: The caseload filter's choice for clients without a case manager (R-CLI-3: registered before
#: the rule; the team lead assigns them through Overdragen).
WITHOUT_CASE_MANAGER = "geen"

_CHOICE_NAMES = {
    "trede": "een trede",
    "unit": "een unit",
    "spoor": "een spoor",
    "doelgroep": "een doelgroep",
    "gemeente": "een gemeente",
    "klantmanager": "een klantmanager",
    "sort": "een sortering",
}


#: The caseload filter's organisation options: (value, label) of the municipalities (by name)
#: and of the active case managers (by surname). Organisation data: the caseload view keeps
#: them across requests (`organisations.selectors.organisation_data_for_user`, issue 18).
CaseloadChoices = tuple[list[tuple[str, str]], list[tuple[str, str]]]


def caseload_choices(
    municipalities: Iterable[Any], case_managers: Iterable[Any]
) -> CaseloadChoices:
    """The caseload filter's options for these municipalities and case managers."""
    return (
        [(str(m.pk), m.name) for m in municipalities],
        [(str(u.pk), u.list_name) for u in account_selectors.by_surname(case_managers)],
    )


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label="Naam of klantnummer", required=False, max_length=100)
    trede = forms.ChoiceField(label="Trede", required=False, choices=_ANY + LADDER_STEP_CHOICES)
    unit = forms.ChoiceField(
        label="Unit",
        required=False,
        choices=_ANY + [(k.value, v) for k, v in UNIT_LABELS_NL.items()],
    )
    spoor = forms.ChoiceField(
        label="Spoor",
        required=False,
        choices=_ANY + [(k.value, v) for k, v in TRACK_LABELS_NL.items()],
    )
    doelgroep = forms.ChoiceField(
        label="Doelgroep",
        required=False,
        choices=_ANY + [(k.value, v) for k, v in TARGET_GROUP_LABELS_NL.items()],
    )
    gemeente = forms.ChoiceField(label="Gemeente", required=False)
    klantmanager = forms.ChoiceField(label="Klantmanager", required=False)
    sort = forms.ChoiceField(label="Sorteren op", required=False, choices=SORT_CHOICES)

    def __init__(
        self,
        *args: Any,
        municipalities: Any = (),
        case_managers: Any = (),
        choices: CaseloadChoices | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        municipality_choices, case_manager_choices = choices or caseload_choices(
            municipalities, case_managers
        )
        gemeente: Any = self.fields["gemeente"]
        gemeente.choices = [*_ANY, *municipality_choices]
        klantmanager: Any = self.fields["klantmanager"]
        # "Mijn klanten" is the default for a case manager (see the caseload view); the whole
        # unit (everyone the user may see) is one choice away.
        klantmanager.choices = [
            ("mij", "Mijn eigen klanten"),
            ("", "Hele unit (alle klantmanagers)"),
            (WITHOUT_CASE_MANAGER, "Zonder klantmanager"),
            *case_manager_choices,
        ]
        # A value that is not in a list (an old link, an edited address) is named by what
        # the list is, not Django's 'Selecteer een geldige keuze. 9 is geen beschikbare keuze.'
        for name, what in _CHOICE_NAMES.items():
            self.fields[name].error_messages["invalid_choice"] = f"Kies {what} uit de lijst."


class BsnSearchForm(forms.Form):
    bsn = forms.CharField(
        label="BSN",
        max_length=11,
        help_text=(
            "Zoeken op BSN gaat via een formulier, zodat het BSN niet in een adres of log komt."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": "Vul het BSN in."},
    )

    def clean_bsn(self) -> str:
        """R-CLI-1: a mistyped BSN (eight digits, a letter, failing the 11-check) is said to be
        one, instead of "no client found", which sent the user looking for a client who may
        well be there."""
        try:
            return bsn_clean(self.cleaned_data["bsn"])
        except ClientError as exc:
            raise forms.ValidationError(exc.message) from exc


class LadderChangeForm(forms.Form):
    step = forms.ChoiceField(label="Nieuwe trede", choices=LADDER_STEP_CHOICES)
    sub_status = forms.ChoiceField(
        label="Substatus (alleen bij trede 6)",
        required=False,
        choices=[("", "—"), *SUB_STATUS_CHOICES],
    )
    effective_date = forms.DateField(
        label="Ingangsdatum",
        required=False,
        help_text="Leeg = vandaag. Formaat dd-mm-jjjj.",
        input_formats=DATE_INPUT_FORMATS,
        error_messages=_DATE_INVALID,
    )
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Geef een reden voor de wijziging van de trede."},
    )


class HandoverForm(forms.Form):
    new_case_manager = CaseManagerChoiceField(
        label="Nieuwe klantmanager",
        queryset=User.objects.none(),
        error_messages={"required": "Kies de nieuwe klantmanager."},
    )
    note = forms.CharField(
        label="Overdrachtsnotitie",
        # No max_length here: the browser would cut a pasted note off silently at the limit;
        # the service refuses a longer one at this field, with its message.
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Wat moet de nieuwe klantmanager weten? "
            "De klant hoeft zijn verhaal niet opnieuw te doen. "
            f"Hoogstens {format_number(MAX_HANDOVER_NOTE)} tekens."
        ),
        error_messages={"required": "Schrijf een overdrachtsnotitie."},
    )

    def __init__(
        self, *args: Any, organisation_id: int | None, exclude_id: int | None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        qs = active_users_with_role(organisation_id, RoleCode.CASE_MANAGER)
        if exclude_id:
            qs = qs.exclude(pk=exclude_id)
        self.fields["new_case_manager"].queryset = qs  # type: ignore[attr-defined]


class BudgetSpendingForm(forms.Form):
    # Text, read by the service the Dutch way (1.500,00): a localised number field refused
    # the thousands dot and let 1e3 through as € 1.000,00.
    amount = forms.CharField(
        label="Bedrag (€)",
        max_length=30,
        help_text="Bijv. 125,50 of 1.500,00.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": "Vul het bedrag in."},
    )
    purpose = forms.CharField(
        label="Doel", max_length=200, error_messages={"required": "Vul het doel van de uitgave in."}
    )
    spent_on = forms.DateField(
        label="Datum",
        required=False,
        help_text="Leeg = vandaag. Formaat dd-mm-jjjj.",
        input_formats=DATE_INPUT_FORMATS,
        error_messages=_DATE_INVALID,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Bestand (CSV of Excel .xlsx)",
        error_messages={"required": "Kies een bestand."},
    )
    only_valid_rows = forms.BooleanField(
        label="Alleen de geldige regels importeren en de foute regels rapporteren",
        required=False,
        help_text="Standaard wordt niets opgeslagen zolang er één fout in het bestand staat.",
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(
                "Alleen CSV- of Excel-bestanden (.xlsx) kunnen worden geïmporteerd."
            )
        return f


class IncomeCoachAssignForm(forms.Form):
    coach = CaseManagerChoiceField(
        label="Inkomenscoach",
        queryset=User.objects.none(),
        error_messages={"required": "Kies de inkomenscoach."},
    )
    valid_from = forms.DateField(
        label="Vanaf",
        help_text="Eerste dag waarop de inkomenscoach het dossier mag inzien (dd-mm-jjjj).",
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": "Vul de ingangsdatum in.", **_DATE_INVALID},
    )
    valid_until = forms.DateField(
        label="Tot en met",
        required=False,
        help_text="Leeg = tot de toewijzing wordt beëindigd.",
        input_formats=DATE_INPUT_FORMATS,
        error_messages=_DATE_INVALID,
    )
    reason = forms.CharField(
        label="Reden",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Geef de reden van de toewijzing.",
            "max_length": "De reden is langer dan 300 tekens.",
        },
    )

    def __init__(self, *args: Any, organisation_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coach: Any = self.fields["coach"]
        coach.queryset = active_users_with_role(organisation_id, RoleCode.INCOME_COACH)


class ClientRegisterForm(forms.Form):
    """Register a client; "Gegevens ophalen uit de BRP" fills name, date of birth, address
    and municipality from the BRP (R-INT-3) before the case manager saves."""

    bsn = forms.CharField(
        label="BSN",
        max_length=11,
        error_messages={"required": "Vul het BSN in."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    client_number = forms.CharField(label="Klantnummer", max_length=30, required=False)
    first_name = forms.CharField(label="Voornaam", max_length=100, required=False)
    last_name_prefix = forms.CharField(label="Tussenvoegsel", max_length=20, required=False)
    last_name = forms.CharField(label="Achternaam", max_length=150, required=False)
    date_of_birth = forms.DateField(
        label="Geboortedatum",
        required=False,
        help_text="Formaat dd-mm-jjjj.",
        input_formats=DATE_INPUT_FORMATS,
        error_messages=_DATE_INVALID,
    )
    street_address = forms.CharField(label="Straat en huisnummer", max_length=200, required=False)
    postcode = forms.CharField(label="Postcode", max_length=7, required=False)
    city = forms.CharField(label="Woonplaats", max_length=100, required=False)
    municipality = forms.ModelChoiceField(
        label="Gemeente", queryset=Municipality.objects.none(), required=False
    )
    ladder_step = forms.ChoiceField(label="Trede bij inschrijving", choices=LADDER_STEP_CHOICES)
    # R-CLI-3: every client has a case manager from registration on; a case manager who
    # registers finds themselves chosen, a colleague is one choice away.
    case_manager = CaseManagerChoiceField(
        label="Klantmanager",
        queryset=User.objects.none(),
        required=False,
        help_text="Elke klant heeft een klantmanager. Later wijzigen gaat via Overdragen.",
        error_messages={"invalid_choice": "Kies een actieve klantmanager uit de lijst."},
    )
    brp_snapshot = forms.CharField(required=False, widget=forms.HiddenInput)

    REQUIRED_TO_SAVE = {
        "client_number": "Vul het klantnummer in.",
        "first_name": "Vul de voornaam in.",
        "last_name": "Vul de achternaam in.",
        "date_of_birth": "Vul de geboortedatum in.",
        "municipality": "Kies de gemeente.",
        "case_manager": "Kies de klantmanager van de klant.",
    }

    def __init__(self, *args: Any, organisation_id: int | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        case_manager: Any = self.fields["case_manager"]
        case_manager.queryset = active_users_with_role(organisation_id, RoleCode.CASE_MANAGER)
        qs = (
            Municipality.objects.filter(organisation_id=organisation_id).order_by("name")
            if organisation_id is not None
            else Municipality.objects.none()
        )
        self.fields["municipality"].queryset = qs  # type: ignore[attr-defined]

    def require_for_save(self) -> bool:
        """The fields a save needs (a BRP lookup needs only the BSN)."""
        for name, message in self.REQUIRED_TO_SAVE.items():
            if not self.cleaned_data.get(name):
                self.add_error(name, message)
        return not self.errors
