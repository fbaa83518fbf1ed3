from __future__ import annotations

from django import forms

from .services import MAX_NOTE, MAX_REQUESTER_CONTACT, MAX_REQUESTER_NAME


def _note_field() -> forms.CharField:
    """How a request registered by staff came in; both registering forms ask it."""
    return forms.CharField(
        label="Hoe kwam het verzoek binnen?",
        max_length=MAX_NOTE,
        required=False,
        help_text="Bijvoorbeeld: telefonisch, aan de balie of per brief op 12 maart.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class StaffRequestForm(forms.Form):
    """Registering a request on the client's behalf (R-POR: non-digital channel)."""

    note = _note_field()


class WithoutDossierForm(forms.Form):
    """Registering the request of a person of whom we have no dossier (AVG art. 15)."""

    requester_name = forms.CharField(
        label="Naam",
        max_length=MAX_REQUESTER_NAME,
        help_text="Voor- en achternaam van de persoon die om inzage vraagt.",
        error_messages={"required": "Vul de naam in van de persoon die om inzage vraagt."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    bsn = forms.CharField(
        label="BSN",
        max_length=11,
        help_text=(
            "Om na te gaan dat wij echt geen dossier van deze persoon hebben; het BSN wordt "
            "niet bewaard."
        ),
        error_messages={"required": "Vul het BSN in (zie het identiteitsbewijs)."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    requester_contact = forms.CharField(
        label="Adres voor het antwoord",
        max_length=MAX_REQUESTER_CONTACT,
        required=False,
        help_text="Post- of e-mailadres waarheen het antwoord gaat.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = _note_field()


#: The overview's filter on the term: value -> (label, due within this many days of today).
DEADLINE_FILTERS: dict[str, tuple[str, int | None]] = {
    "": ("Alle openstaande verzoeken", None),
    "te-laat": ("Alleen termijn verstreken", -1),
    "week": ("Termijn verstreken of binnen een week", 7),
}


class DeadlineFilterForm(forms.Form):
    """The filter of the organisation-wide deadline overview (GET)."""

    termijn = forms.ChoiceField(
        label="Toon",
        required=False,
        choices=[(value, label) for value, (label, _days) in DEADLINE_FILTERS.items()],
        error_messages={
            "invalid_choice": "Kies alle openstaande verzoeken, alleen termijn verstreken of "
            "termijn verstreken of binnen een week."
        },
    )

    def due_within_days(self) -> int | None:
        return DEADLINE_FILTERS[self.cleaned_data.get("termijn") or ""][1]
