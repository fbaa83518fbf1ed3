"""Forms of the client portal (plain language; the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms


class TravelClaimForm(forms.Form):
    trajectory = forms.TypedChoiceField(label="Voor welk traject reisde u?", coerce=int)
    trips = forms.CharField(
        label="Uw ritten",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Eén regel per dag: datum, kilometers enkele reis en het bedrag, "
            "bijvoorbeeld 2026-06-01 12 6,40."
        ),
    )

    def __init__(self, *args: Any, trajectory_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].choices = trajectory_choices  # type: ignore[attr-defined]
