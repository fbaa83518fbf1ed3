"""Forms of matching: shape only. The services validate (Dutch errors beside the field)."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import DEMAND_CHOICES, EDUCATION_CHOICES, EXIT_CHOICES, ContractType, PlacementVia
from .scoring import CRITERIA, CRITERION_NAMES_NL


def _set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "utrecht-checkbox")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "utrecht-select")
        elif isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "utrecht-textarea")
        else:
            widget.attrs.setdefault("class", "utrecht-textbox")


def required_message(field: forms.Field) -> str:
    """What an empty required field says: which field and what to do ('Vul datum
    kennismaking in.'), instead of Django's 'Dit veld is vereist.' next to every field."""
    label = str(field.label or "").strip().rstrip(":")
    first_word = label.split()[0] if label else ""
    if first_word[1:].islower():  # 'Datum …' → 'datum …', but 'KvK-nummer' stays
        label = label[0].lower() + label[1:]
    if isinstance(field, forms.FileField):
        return "Kies een bestand."
    if isinstance(field, forms.ChoiceField):
        return f"Maak een keuze bij {label}." if label else "Maak een keuze."
    return f"Vul {label} in." if label else "Vul dit veld in."


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        for field in self.fields.values():
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = required_message(field)


_DATE = forms.TextInput(attrs={"placeholder": "dd-mm-jjjj", "inputmode": "numeric"})


def _demands_field(label: str) -> forms.MultipleChoiceField:
    """Check boxes of the work demands (`DEMAND_CHOICES`): what a vacancy asks and what a
    profile rules out are the same categories, so the scorer can compare them."""
    return forms.MultipleChoiceField(
        label=label, choices=DEMAND_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )


class EmployerForm(StyledForm):
    kvk_number = forms.CharField(label="KvK-nummer", max_length=20, help_text="8 cijfers.")
    name = forms.CharField(label="Naam", max_length=200)
    offers_garantiebanen = forms.BooleanField(label="Biedt garantiebanen", required=False)
    offers_beschut_werk = forms.BooleanField(label="Biedt beschut werk", required=False)


class LocationForm(StyledForm):
    name = forms.CharField(label="Naam vestiging", max_length=200)
    street_address = forms.CharField(label="Adres", max_length=200, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, help_text="1234 AB.")
    city = forms.CharField(label="Plaats", max_length=100)
    vestigingsnummer = forms.CharField(
        label="Vestigingsnummer", max_length=20, required=False, help_text="12 cijfers."
    )


class ContactForm(StyledForm):
    name = forms.CharField(label="Naam", max_length=200)
    function = forms.CharField(label="Functie", max_length=100, required=False)
    email = forms.CharField(label="E-mail", max_length=254, required=False)
    phone = forms.CharField(label="Telefoon", max_length=20, required=False)


class VacancyForm(StyledForm):
    employer = forms.ChoiceField(label="Werkgever")
    title = forms.CharField(label="Functie", max_length=200)
    occupation = forms.ChoiceField(label="Beroep (ISCO-08)")
    description = forms.CharField(label="Omschrijving", widget=forms.Textarea, required=False)
    required_skills = forms.CharField(
        label="Vereiste vaardigheden", required=False, help_text="Gescheiden door komma's."
    )
    desired_skills = forms.CharField(
        label="Gewenste vaardigheden", required=False, help_text="Gescheiden door komma's."
    )
    education = forms.ChoiceField(label="Minimaal opleidingsniveau", choices=EDUCATION_CHOICES)
    hours_min = forms.CharField(label="Uren per week, minimaal", max_length=3)
    hours_max = forms.CharField(label="Uren per week, maximaal", max_length=3)
    postcode = forms.CharField(label="Postcode werkplek", max_length=10, help_text="1234 AB.")
    contract_type = forms.ChoiceField(label="Soort contract", choices=ContractType.choices)
    contract_months = forms.CharField(
        label="Contractduur (maanden)", max_length=3, required=False, help_text="Leeg = onbepaald."
    )
    start_date = forms.CharField(label="Startdatum", required=False, widget=_DATE)
    exit = forms.ChoiceField(label="Soort plek", choices=EXIT_CHOICES)
    offers_lks = forms.BooleanField(label="Loonkostensubsidie mogelijk", required=False)
    requires_driving_licence = forms.BooleanField(label="Rijbewijs vereist", required=False)
    demands = _demands_field("Werkbelasting")

    def __init__(self, *args: Any, employers: Any, occupations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "employer", [(e.pk, e.name) for e in employers])
        _set_choices(self, "occupation", [(o.code, f"{o.code} {o.title}") for o in occupations])


class WorkProfileForm(StyledForm):
    desired_occupations = forms.MultipleChoiceField(
        label="Gewenste beroepen", required=False, help_text="Houd Ctrl ingedrukt voor meer."
    )
    possible_occupations = forms.MultipleChoiceField(label="Mogelijke beroepen", required=False)
    skills = forms.CharField(
        label="Vaardigheden", required=False, help_text="Gescheiden door komma's."
    )
    education = forms.ChoiceField(
        label="Opleidingsniveau", choices=[("", "Onbekend"), *EDUCATION_CHOICES], required=False
    )
    hours_available = forms.CharField(
        label="Beschikbare uren per week",
        max_length=3,
        required=False,
        help_text="De urenbeperking uit het dossier geldt daarbovenop.",
    )
    max_distance_km = forms.CharField(
        label="Maximale reisafstand (km)", max_length=3, required=False
    )
    max_travel_minutes = forms.CharField(
        label="Maximale reistijd (minuten)", max_length=3, required=False
    )
    driving_licence = forms.BooleanField(label="Rijbewijs", required=False)
    own_transport = forms.BooleanField(label="Eigen vervoer", required=False)
    restrictions = _demands_field("Beperkingen in werk (categorieën, geen medische gegevens)")
    shared_with_wsp = forms.BooleanField(
        label="Delen met het werkgeversservicepunt",
        required=False,
        help_text="De werkgeversadviseur mag de klant dan als kandidaat zien (geen dossier).",
    )

    def __init__(self, *args: Any, occupations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(o.code, f"{o.code} {o.title}") for o in occupations]
        _set_choices(self, "desired_occupations", choices)
        _set_choices(self, "possible_occupations", choices)


class ProposeForm(StyledForm):
    client = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Toelichting", max_length=500, required=False)


class IntroductionPlanForm(StyledForm):
    on = forms.CharField(label="Datum kennismaking", widget=_DATE)


class IntroductionOutcomeForm(StyledForm):
    positive = forms.ChoiceField(
        label="Uitkomst", choices=[("yes", "Positief: verder naar plaatsing"), ("no", "Geen match")]
    )
    outcome = forms.CharField(label="Toelichting", max_length=300, required=False)


class WithdrawForm(StyledForm):
    reason = forms.CharField(label="Reden", max_length=300)


class PlacementForm(StyledForm):
    start_date = forms.CharField(label="Startdatum", widget=_DATE)
    hours_per_week = forms.CharField(label="Uren per week", max_length=3)
    contract_type = forms.ChoiceField(label="Soort contract", choices=ContractType.choices)
    contract_months = forms.CharField(
        label="Contractduur (maanden)", max_length=3, required=False, help_text="Leeg = onbepaald."
    )
    lks = forms.BooleanField(label="Met loonkostensubsidie", required=False)
    via = forms.ChoiceField(label="Geplaatst via", choices=PlacementVia.choices)
    provider = forms.ChoiceField(label="Aanbieder", required=False)

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "provider", [("", "—")] + [(p.pk, p.name) for p in providers])


class PlacementDurabilityForm(StyledForm):
    """The case manager's answer to the durability check of a placement via the WSP
    (R-TRJ-7): the last working day, or that the client still works."""

    last_day_of_employment = forms.CharField(
        label="Laatste werkdag",
        widget=_DATE,
        required=False,
        help_text="Als de plaatsing is geëindigd. Leeg laten als de klant nog werkt.",
    )
    still_employed = forms.BooleanField(
        label="De klant werkt nog bij deze werkgever", required=False
    )


class WeightsForm(StyledForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in CRITERIA:
            # Read by the rule (`scoring.validate_weights`), which says what a weight is;
            # the length only guards the input (3 gave 'niet meer dan 3 tekens' for 25,5).
            self.fields[criterion.value] = forms.CharField(
                label=CRITERION_NAMES_NL[criterion], max_length=20, help_text="0 tot en met 100."
            )
        style(self)


class ImportForm(StyledForm):
    file = forms.FileField(label="Bestand (CSV of Excel)", help_text="Zie de kolommen hieronder.")
