"""R-NET-10: a realised building block counts pro rata its hours per week. The hours are typed
the Dutch way (`12,5`); an unreadable number is named as a number of hours, not as an amount
("geen geldig bedrag", as the field was an amount field)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opstap.social_return.forms import BlockForm


def _form(hours: str) -> BlockForm:
    return BlockForm(
        data={"block_code": "pw_13_24", "start_date": "2026-03-02", "hours_per_week": hours}
    )


@pytest.mark.parametrize(("typed", "read"), [("12,5", "12.5"), ("36", "36"), ("", None)])
def test_r_net_10_hours_per_week_typed_the_dutch_way_are_read(typed: str, read: str | None):
    form = _form(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours_per_week"] == (Decimal(read) if read else None)


@pytest.mark.parametrize("typed", ["abc", "1,500.00", "12 uur"])
def test_r_net_10_unreadable_hours_are_named_as_hours_not_as_an_amount(typed: str) -> None:
    form = _form(typed)
    assert not form.is_valid()
    [message] = form.errors["hours_per_week"]
    assert message == "Schrijf het aantal uren als een getal, bijvoorbeeld 32 of 32,5."
    assert "bedrag" not in message


def test_r_net_10_more_hours_than_the_register_holds_are_refused_at_the_field() -> None:
    """Five digits, two after the comma, as the stored block (no error on saving)."""
    form = _form("12345")
    assert not form.is_valid()
    assert "hours_per_week" in form.errors
