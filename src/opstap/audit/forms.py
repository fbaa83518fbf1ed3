from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.core.forms import DateInput

from .models import AuditAction


class AuditFilterForm(forms.Form):
    client_id = forms.IntegerField(label=_("Klant-id"), required=False, min_value=1)
    user = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)
    date_from = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    action = forms.ChoiceField(
        label=_("Handeling"),
        required=False,
        choices=[("", _("— alle —")), *AuditAction.choices],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("De begindatum ligt na de einddatum."))
        return data
