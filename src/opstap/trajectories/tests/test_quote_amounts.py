"""The provider's quote figures are typed the Dutch way (R-TRJ-1, R-BILL-1): `2.400,00` euro,
`80,50` per hour, `30,5` hours. They were number boxes, which drop a typed comma in the
browser and whose server side refused `2.400,00` ("Vul een getal in")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from opstap.trajectories.forms import quote_fields


@pytest.mark.parametrize(
    ("name", "typed", "value"),
    [
        ("amount", "2.400,00", "2400.00"),
        ("hourly_rate", "80,50", "80.50"),
        ("hours", "30,5", "30.5"),
    ],
)
def test_quote_figures_read_dutch_numbers(name: str, typed: str, value: str) -> None:
    assert quote_fields()[name].clean(typed) == Decimal(value)


def test_quote_figures_are_text_boxes_and_stay_non_negative() -> None:
    field = quote_fields()["amount"]
    html = field.widget.render("amount", "", attrs=field.widget_attrs(field.widget))
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    with pytest.raises(forms.ValidationError):
        field.clean("-1,00")
