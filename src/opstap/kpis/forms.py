"""The filter form of the steering pages: year, municipality, target group, unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from opstap.clients.models import TARGET_GROUP_LABELS_NL, UNIT_LABELS_NL
from opstap.core.forms import AmountField
from opstap.organisations.selectors import municipalities_for

from .selectors import KpiFilters

FIRST_YEAR = 2021

#: What the page says of a filter value it does not know; the figures are then those of all.
UNKNOWN_CHOICE_MESSAGES = {
    "gemeente": "Deze gemeente hoort niet bij uw organisatie; u ziet de cijfers van alle "
    "gemeenten.",
    "doelgroep": "Deze doelgroep kennen we niet; u ziet de cijfers van alle doelgroepen.",
    "unit": "Deze unit kennen we niet; u ziet de cijfers van alle units.",
}


class KpiFilterForm(forms.Form):
    jaar = forms.TypedChoiceField(label="Jaar", coerce=int, required=False)
    gemeente = forms.ChoiceField(label="Gemeente", required=False)
    doelgroep = forms.ChoiceField(
        label="Doelgroep",
        required=False,
        choices=[
            ("", "Alle doelgroepen"),
            *((g.value, lbl) for g, lbl in TARGET_GROUP_LABELS_NL.items()),
        ],
    )
    unit = forms.ChoiceField(
        label="Unit",
        required=False,
        choices=[("", "Alle units"), *((u.value, lbl) for u, lbl in UNIT_LABELS_NL.items())],
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = range(this_year + 1, FIRST_YEAR - 1, -1)
        self.fields["jaar"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["jaar"].initial = this_year
        # An unknown year (an edited address, ?jaar=abc or 1800) showed this year's figures
        # without a word: the field now says which years there are (the page shows none).
        self.fields["jaar"].error_messages["invalid_choice"] = (
            f"Kies een jaar van {FIRST_YEAR} tot en met {this_year + 1}."
        )
        # An unknown municipality, target group or unit (an old link, an edited address)
        # counts as "all" (see `filters`); Django's message repeated the code from the address
        # ("999 is geen beschikbare keuze"). Each now says in words what the page shows.
        for name, message in UNKNOWN_CHOICE_MESSAGES.items():
            self.fields[name].error_messages["invalid_choice"] = message
        self.fields["gemeente"].choices = [  # type: ignore[attr-defined]
            ("", "Alle gemeenten"),
            *((str(m.pk), m.name) for m in municipalities_for(organisation_id)),
        ]

    @property
    def year_refused(self) -> bool:
        """True when a year was asked for that has no figures: the pages then show the
        field's message and no figures of another year."""
        return self.is_bound and "jaar" in self.errors

    def filters(self) -> KpiFilters:
        # Each valid filter counts on its own: one unknown value in an old link (a target
        # group code, a municipality no longer served) reset all of them to the defaults while
        # the selects still showed the year and municipality asked for.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        municipality = data.get("gemeente") or ""
        return KpiFilters(
            year=data.get("jaar") or timezone.localdate().year,
            municipality=int(municipality) if str(municipality).isdigit() else None,
            target_group=data.get("doelgroep") or "",
            unit=data.get("unit") or "",
        )


class TargetsForm(forms.Form):
    """The targets of one year (one field per KPI) and the R-KPI-1 activity window. Each
    target is typed the Dutch way (`7,5`; a number box dropped the comma) and checked by the
    service's own rule (`kpi_target_check`), every field at once and beside its field."""

    activity_window_months = forms.IntegerField(
        label="Venster actieve begeleiding (maanden)",
        min_value=1,
        max_value=24,
        help_text="Een lopend traject of een vastgelegde activiteit van de klantmanager in dit "
        "aantal maanden telt als actief begeleid.",
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        from .formulas import DEFINITIONS, KpiKind

        super().__init__(*args, **kwargs)
        self.year = year
        units = {
            KpiKind.SHARE: "percentage",
            KpiKind.COUNT: "aantal klanten",
            KpiKind.SCORE: "rapportcijfer",
            KpiKind.GROWTH: "groei in %",
        }
        for d in DEFINITIONS:
            if d.first_year <= year <= d.last_year:
                empty = (
                    f"leeg = de standaard uit de opdracht ({editable_number(d.default_target)} "
                    f"in {d.first_year}-{d.last_year})"
                )
            else:
                empty = "leeg = geen doel in dit jaar"
            self.fields[f"kpi_{d.code.value}"] = AmountField(
                label=d.title,
                required=False,
                max_digits=8,
                decimal_places=1,
                help_text=f"{units[d.kind]}; {empty}.",
            )

    def clean(self) -> dict[str, Any]:
        from .formulas import KpiCode
        from .services import KpiError, kpi_target_check

        data = super().clean() or {}
        for code in KpiCode:
            name = f"kpi_{code.value}"
            value = data.get(name)
            if value is None:
                continue
            try:
                kpi_target_check(kpi=code, year=self.year, target=value)
            except KpiError as exc:
                self.add_error(name, exc.message)
        return data


def editable_number(value: Decimal | None) -> str:
    """A target as the field shows it and reads it back: `305`, `7,5` (no thousands dot,
    which `parse_amount` would refuse as ambiguous)."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.normalize()).replace(".", ",")
