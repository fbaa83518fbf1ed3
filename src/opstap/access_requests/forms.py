from __future__ import annotations

from django import forms


class StaffRequestForm(forms.Form):
    """Registering a request on the client's behalf (R-POR: non-digital channel)."""

    note = forms.CharField(
        label="Hoe kwam het verzoek binnen?",
        max_length=300,
        required=False,
        help_text="Bijvoorbeeld: telefonisch, aan de balie of per brief op 12 maart.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
