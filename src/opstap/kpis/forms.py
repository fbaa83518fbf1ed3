"""The filter form of the steering pages: year, municipality, target group, unit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from opstap.clients.models import TARGET_GROUP_LABELS_NL, UNIT_LABELS_NL
from opstap.organisations.selectors import municipalities_for

from .selectors import KpiFilters

FIRST_YEAR = 2021


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
    """The targets of one year (one field per KPI) and the R-KPI-1 activity window."""

    activity_window_months = forms.IntegerField(
        label="Venster actieve begeleiding (maanden)",
        min_value=1,
        max_value=24,
        help_text="Een lopend traject of een vastgelegde activiteit van de klantmanager in dit "
        "aantal maanden telt als actief begeleid.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .formulas import DEFINITIONS, KpiKind

        super().__init__(*args, **kwargs)
        units = {
            KpiKind.SHARE: "percentage",
            KpiKind.COUNT: "aantal klanten",
            KpiKind.SCORE: "rapportcijfer",
            KpiKind.GROWTH: "groei in %",
        }
        for d in DEFINITIONS:
            self.fields[f"kpi_{d.code.value}"] = forms.DecimalField(
                label=d.title,
                required=False,
                max_digits=8,
                decimal_places=1,
                help_text=f"{units[d.kind]}; leeg = geen doel in dit jaar "
                f"(standaard {d.default_target} in {d.first_year}-{d.last_year}).",
            )
