"""Forms of the indicators pages: the period, and the receipt of a quarterly overview."""

from __future__ import annotations

from django import forms

from opstap.core.forms import DateInput

DATE = DateInput(attrs={"class": "utrecht-textbox"})


class PeriodForm(forms.Form):
    van = forms.DateField(label="Van", required=False, widget=DATE)
    tot = forms.DateField(label="Tot en met", required=False, widget=DATE)

    @property
    def period_refused(self) -> bool:
        """True when a period was asked for that cannot be read (as `KpiFilterForm.
        year_refused` for the year): the pages then show the field's message and no figures
        of another period, answering 400."""
        return self.is_bound and bool(self.errors)


class QuarterlyOverviewForm(forms.Form):
    year = forms.IntegerField(
        label="Jaar",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox"}),
    )
    quarter = forms.TypedChoiceField(
        label="Kwartaal",
        coerce=int,
        choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    received_on = forms.DateField(label="Ontvangen op", widget=DATE)
    note = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )
