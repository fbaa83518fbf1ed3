from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.core.access import client_id_for_number
from opstap.core.forms import DateInput

from .models import AuditAction


class AuditFilterForm(forms.Form):
    client_number = forms.CharField(
        label=_("Klantnummer"),
        required=False,
        max_length=30,
        help_text=_("Het klantnummer uit het dossier of de klacht."),
    )
    client_id = forms.IntegerField(
        label=_("Klant-id"),
        required=False,
        min_value=1,
        help_text=_("Het interne nummer in de kolom Klant-id."),
    )
    user = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)
    date_from = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    action = forms.ChoiceField(
        label=_("Handeling"),
        required=False,
        choices=[("", _("— alle —")), *AuditAction.choices],
    )

    def __init__(self, *args: Any, organisation_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        number = str(data.get("client_number") or "").strip()
        if number:
            found = client_id_for_number(organisation_id=self.organisation_id or 0, number=number)
            if found is None:
                self.add_error("client_number", _("Er is geen klant met dit klantnummer."))
            elif data.get("client_id") not in (None, found):
                self.add_error("client_id", _("Dit is niet de klant van dat klantnummer."))
            else:
                data["client_id"] = found
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("De begindatum ligt na de einddatum."))
        return data
