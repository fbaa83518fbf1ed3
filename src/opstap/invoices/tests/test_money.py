"""Money helpers: cents, VAT per line by date, half-up rounding (R-BILL-11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.invoices.money import (
    DEFAULT_VAT_RATES,
    MoneyError,
    VatCode,
    sum_lines,
    to_cents,
    vat_line,
    vat_percentage_on,
)

D = Decimal


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(D("2.675"), D("2.68"), id="half-up-not-bankers"),
        pytest.param(D("2.665"), D("2.67"), id="half-up-even-neighbour"),
        pytest.param(D("2.6749"), D("2.67"), id="below-half-down"),
        pytest.param(D("0.005"), D("0.01"), id="half-cent-up"),
        pytest.param(D("-0.005"), D("-0.01"), id="negative-away-from-zero"),
        pytest.param(D("10"), D("10.00"), id="whole-euros"),
    ],
)
def test_to_cents_rounds_half_up(amount: Decimal, expected: Decimal) -> None:
    """R-BILL-11: amounts are exact decimals in cents, rounded half-up."""
    assert to_cents(amount) == expected
    assert to_cents(amount).as_tuple().exponent == -2


def test_to_cents_refuses_float() -> None:
    """R-BILL-11: never floats for money."""
    with pytest.raises(MoneyError):
        to_cents(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("excl", "percentage", "vat", "incl"),
    [
        pytest.param(D("0.50"), D(21), D("0.11"), D("0.61"), id="21pct-0.105-rounds-up"),
        pytest.param(D("0.05"), D(9), D("0.00"), D("0.05"), id="9pct-0.0045-rounds-down"),
        pytest.param(D("1000.00"), D(21), D("210.00"), D("1210.00"), id="21pct-round"),
        pytest.param(D("441.95"), D(9), D("39.78"), D("481.73"), id="9pct-39.7755"),
        pytest.param(D("10.005"), D(0), D("0.00"), D("10.01"), id="exempt-excl-rounded-first"),
    ],
)
def test_vat_line_rounds_per_line(
    excl: Decimal, percentage: Decimal, vat: Decimal, incl: Decimal
) -> None:
    """R-BILL-11: VAT rate per line, rounding half-up per line; incl = excl + VAT."""
    line = vat_line(excl, percentage)
    assert (line.vat, line.incl) == (vat, incl)
    assert line.excl + line.vat == line.incl


def test_totals_are_sums_of_rounded_lines() -> None:
    """R-BILL-11: rounding happens per line, totals are not re-rounded."""
    lines = [vat_line(D("0.50"), D(21)), vat_line(D("0.50"), D(21))]
    # per line 0.105 -> 0.11 twice = 0.22, whereas rounding the total (0.21) would differ
    assert sum_lines(lines).vat == D("0.22")


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        pytest.param(VatCode.LOW, date(2018, 12, 31), D(6), id="low-before-2019"),
        pytest.param(VatCode.LOW, date(2019, 1, 1), D(9), id="low-from-2019"),
        pytest.param(VatCode.HIGH, date(2024, 6, 1), D(21), id="high"),
        pytest.param(VatCode.EXEMPT, date(2024, 6, 1), D(0), id="exempt"),
    ],
)
def test_vat_percentage_by_date(code: VatCode, on: date, expected: Decimal) -> None:
    """R-BILL-11: VAT rates are reference data, configurable by date."""
    assert vat_percentage_on(DEFAULT_VAT_RATES, code, on) == expected


def test_unknown_vat_code_is_refused() -> None:
    """R-BILL-11: the rules refuse to guess a VAT rate."""
    with pytest.raises(MoneyError, match="Geen btw-tarief"):
        vat_percentage_on(DEFAULT_VAT_RATES, "super", date(2024, 1, 1))


amounts = st.decimals(
    min_value=D("-100000"), max_value=D("100000"), places=4, allow_nan=False, allow_infinity=False
)


@given(amount=amounts, percentage=st.sampled_from([D(0), D(9), D(21)]))
def test_rounding_per_line_is_stable(amount: Decimal, percentage: Decimal) -> None:
    """R-BILL-11: rounding a line twice changes nothing and stays within half a cent."""
    line = vat_line(amount, percentage)
    assert vat_line(line.excl, percentage) == line
    assert to_cents(line.excl) == line.excl
    assert abs(line.excl - amount) <= D("0.005")
    assert line.incl == line.excl + line.vat
