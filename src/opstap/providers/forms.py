"""Forms of the provider pages: parsing only, rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from opstap.clients.models import (
    LADDER_STEP_LABELS_NL,
    TARGET_GROUP_LABELS_NL,
    LadderStep,
    TargetGroupCode,
)
from opstap.core.forms import AmountField, DateInput
from opstap.core.money import VAT_CODE_LABELS_NL, VatCode

from .models import CertificateKind, EvaluationOutcome, EvidenceKind, PriceType, ServiceKind


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = choices


_TEXT = {"class": "utrecht-textbox"}
_SELECT = {"class": "utrecht-select"}
_AREA = {"class": "utrecht-textarea", "rows": 4}
_DATE = {"class": "utrecht-textbox"}


def _id_choice(label: str) -> forms.TypedChoiceField:
    """An optional choice of one row by its id (the form sets the choices)."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=_SELECT),
    )


def _count(label: str, *, required: bool = True) -> forms.IntegerField:
    """A whole number from 1."""
    return forms.IntegerField(
        label=label, required=required, min_value=1, widget=forms.NumberInput(attrs=_TEXT)
    )


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(attrs=_DATE))


def _text(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.TextInput(attrs=_TEXT))


def _area(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs=_AREA))


class GuideForm(forms.Form):
    q = forms.CharField(
        label="Zoeken",
        required=False,
        widget=forms.TextInput(
            attrs={**_TEXT, "type": "search", "placeholder": "bijv. jobcoaching Zevenaar"}
        ),
    )
    tegel = forms.ChoiceField(label="Tegel", required=False, widget=forms.Select(attrs=_SELECT))
    doelgroep = forms.ChoiceField(
        label="Doelgroep",
        required=False,
        widget=forms.Select(attrs=_SELECT),
        choices=[("", "Alle doelgroepen")]
        + [(c.value, TARGET_GROUP_LABELS_NL[c]) for c in TargetGroupCode],
    )
    trede = forms.ChoiceField(
        label="Trede",
        required=False,
        widget=forms.Select(attrs=_SELECT),
        choices=[("", "Alle treden")] + [(s.value, LADDER_STEP_LABELS_NL[s]) for s in LadderStep],
    )
    gemeente = _id_choice("Gemeente")
    aanbieder = _id_choice("Aanbieder")
    max_prijs = AmountField(
        label="Maximale prijs (EUR)",
        required=False,
        min_value=0,
        decimal_places=2,
        widget=forms.TextInput(attrs=_TEXT),
    )
    max_weken = _count("Maximale duur (weken)", required=False)

    def __init__(
        self,
        *args: Any,
        tiles: Any = (),
        municipalities: Any = (),
        providers: Any = (),
        with_price: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "tegel", [("", "Alle tegels")] + [(t.code, str(t)) for t in tiles])
        _set_choices(
            self, "gemeente", [("", "Alle gemeenten")] + [(m.pk, m.name) for m in municipalities]
        )
        _set_choices(
            self, "aanbieder", [("", "Alle aanbieders")] + [(p.pk, p.name) for p in providers]
        )
        if not with_price:
            del self.fields["max_prijs"]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort bewijsstuk", choices=EvidenceKind.choices, widget=forms.Select(attrs=_SELECT)
    )
    certificate_kind = forms.ChoiceField(
        label="Beroepsgroep (bij certificering)",
        required=False,
        choices=[("", "—"), *CertificateKind.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    staff_name = _text("Medewerker (bij VOG)", required=False)
    description = _text("Omschrijving", required=False)
    valid_from = _date("Geldig vanaf")
    valid_until = _date("Geldig tot en met", required=False)
    document = forms.FileField(label="Document (PDF)", required=False)


class ExtensionForm(forms.Form):
    decided_on = _date("Besloten op")
    provider_consent = forms.BooleanField(label="Aanbieder stemt in", required=False)
    organisation_consent = forms.BooleanField(label="Organisatie stemt in", required=False)
    note = _area("Toelichting", required=False)


class EndParticipationForm(forms.Form):
    ended_on = _date("Einddatum")
    reason = _area("Reden")


class SignalForm(forms.Form):
    description = _area("Waarover bent u ontevreden?")
    product = _id_choice("Product (optioneel)")
    client_id = _count("Klant-id van de casus (optioneel)", required=False)

    def __init__(self, *args: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "product", [("", "—")] + [(p.pk, p.name) for p in products])


class EvaluationRecordForm(forms.Form):
    held_on = _date("Datum gesprek")
    report = _area("Verslag")
    improvement_actions = _area("Verbeteracties")


class EvaluationCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Uitkomst",
        choices=[c for c in EvaluationOutcome.choices if c[0]],
        widget=forms.Select(attrs=_SELECT),
    )
    closed_on = _date("Afgerond op")
    product = _id_choice("Product dat eindigt (bij 'product beëindigd')")

    def __init__(self, *args: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "product", [("", "—")] + [(p.pk, p.name) for p in products])


class IndexationForm(forms.Form):
    year = forms.IntegerField(
        label="Jaar (prijzen gelden vanaf 1 januari)",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    percentage = AmountField(
        label="CPI-percentage (jaarmutatie september)",
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs=_TEXT),
    )


class ProposalForm(forms.Form):
    name = _text("Nieuwe naam", required=False)
    description = _area("Nieuwe omschrijving", required=False)
    nominal_duration_days = _count("Nieuwe nominale duur (dagen)", required=False)
    capacity = _count("Nieuwe capaciteit", required=False)
    price = AmountField(
        label="Nieuwe prijs of uurtarief (EUR)",
        required=False,
        decimal_places=2,
        widget=forms.TextInput(attrs=_TEXT),
    )
    price_valid_from = _date("Nieuwe prijs geldt vanaf", required=False)
    motivation = _area("Toelichting", required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Besluit",
        choices=[("approve", "Goedkeuren"), ("reject", "Afwijzen")],
        widget=forms.Select(attrs=_SELECT),
    )
    reason = forms.CharField(
        label="Motivering", required=False, widget=forms.Textarea(attrs={**_AREA, "rows": 2})
    )


class ProviderForm(forms.Form):
    name = _text("Naam")
    city = _text("Vestigingsplaats", required=False)
    kvk_number = forms.CharField(
        label="KvK-nummer", required=False, max_length=8, widget=forms.TextInput(attrs=_TEXT)
    )
    email = forms.EmailField(label="E-mail", required=False, widget=forms.EmailInput(attrs=_TEXT))
    is_roc = forms.BooleanField(label="ROC (vrijgesteld van referentie-eis)", required=False)


class ContractForm(forms.Form):
    reference = _text("Kenmerk")
    start_date = _date("Ingangsdatum")


class PriceForm(forms.Form):
    amount = AmountField(
        label="Nieuwe prijs of uurtarief (EUR, excl. btw)",
        decimal_places=2,
        widget=forms.TextInput(attrs=_TEXT),
    )
    valid_from = _date("Geldig vanaf")


VAT_CODE_REFUSAL = "Kies het btw-tarief: vrijgesteld, laag of hoog tarief."


def _vat_code(label: str, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[(code.value, text) for code, text in VAT_CODE_LABELS_NL.items()],
        initial=VatCode.HIGH.value,
        help_text="Zoals in het contract; de factuurcontrole verwacht deze btw.",
        # Django's "Selecteer een geldige keuze. high21 is geen beschikbare keuze." repeated
        # the posted code; the service says the same as this (`_check_vat_code`).
        error_messages={
            "invalid_choice": VAT_CODE_REFUSAL,
            "required": VAT_CODE_REFUSAL,
        },
        widget=forms.Select(attrs=_SELECT),
    )


class VatCodeForm(forms.Form):
    vat_code = _vat_code("Btw-tarief")


class ProductForm(forms.Form):
    name = _text("Naam")
    description = _area("Omschrijving", required=False)
    product_code = forms.TypedChoiceField(
        label="Productcode",
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.Select(attrs=_SELECT),
    )
    tiles = forms.MultipleChoiceField(label="Tegels", widget=forms.CheckboxSelectMultiple)
    price_type = forms.ChoiceField(
        label="Prijssoort", choices=PriceType.choices, widget=forms.Select(attrs=_SELECT)
    )
    service_kind = forms.ChoiceField(
        label="Dienst", choices=ServiceKind.choices, widget=forms.Select(attrs=_SELECT)
    )
    price = AmountField(
        label="Prijs of uurtarief (EUR, excl. btw; leeg bij offerte)",
        required=False,
        decimal_places=2,
        widget=forms.TextInput(attrs=_TEXT),
    )
    price_valid_from = _date("Prijs geldig vanaf")
    # Not sent (an older form, a script): the default category, as in the API.
    vat_code = _vat_code("Btw-tarief", required=False)
    nominal_duration_days = _count("Nominale duur (dagen)")
    locations = _text("Plaatsen (gescheiden door komma's)")
    target_groups = forms.MultipleChoiceField(
        label="Doelgroepen",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c.value, TARGET_GROUP_LABELS_NL[c]) for c in TargetGroupCode],
    )
    ladder_steps = forms.MultipleChoiceField(
        label="Treden",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, LADDER_STEP_LABELS_NL[s]) for s in LadderStep],
    )
    required_certificate = forms.ChoiceField(
        label="Vereiste certificering",
        required=False,
        choices=[("", "—"), *CertificateKind.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    capacity = _count("Capaciteit (leeg = onbeperkt)", required=False)

    def __init__(self, *args: Any, tiles: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "tiles", [(t.code, f"{t} ({t.code})") for t in tiles])

    def clean_vat_code(self) -> str:
        return str(self.cleaned_data.get("vat_code") or VatCode.HIGH.value)


class BankAccountForm(forms.Form):
    iban = forms.CharField(
        label="IBAN", max_length=42, widget=forms.TextInput(attrs=_TEXT | {"autocomplete": "off"})
    )
    holder = forms.CharField(
        label="Naam rekeninghouder", max_length=70, widget=forms.TextInput(attrs=_TEXT)
    )
    bic = forms.CharField(
        label="BIC (optioneel)",
        max_length=11,
        required=False,
        help_text="Alleen nodig buiten Nederland; anders afgeleid van het IBAN.",
        widget=forms.TextInput(attrs=_TEXT),
    )
    reason = forms.CharField(
        label="Reden of bron van de wijziging",
        max_length=300,
        widget=forms.TextInput(attrs=_TEXT),
    )


class BankAccountDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "Bevestigen"), ("reject", "Afwijzen")])
    note = forms.CharField(
        label="Reden van afwijzen",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
    )
