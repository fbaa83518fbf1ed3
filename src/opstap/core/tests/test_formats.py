"""Money and Dutch formats: one rounding rule (half up to cents), one house style."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from opstap.core import dutch, money


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (Decimal("0.005"), Decimal("0.01")),  # half up, not half even
        (Decimal("0.015"), Decimal("0.02")),
        (Decimal("-0.005"), Decimal("-0.01")),  # away from zero
        (Decimal("2.675"), Decimal("2.68")),
        ("12,5".replace(",", "."), Decimal("12.50")),
        (0.1, Decimal("0.10")),  # a float goes through str(): 0.1 stays 0.1
        (3, Decimal("3.00")),
    ],
)
def test_to_cents_rounds_half_up(amount: object, cents: Decimal) -> None:
    assert money.to_cents(amount) == cents  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1500"), "€ 1.500,00"),
        (Decimal("1234567.891"), "€ 1.234.567,89"),
        (Decimal("-12.5"), "€ -12,50"),
        (Decimal("0.005"), "€ 0,01"),
        (None, "—"),
    ],
)
def test_format_euro(value: Decimal | None, text: str) -> None:
    assert money.format_euro(value) == text


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.500,50", Decimal("1500.50")),
        ("12.5", Decimal("12.5")),  # no comma: a single dot is a decimal point
        ("0.500", Decimal("0.500")),  # a leading zero is never a thousands group
        ("1500.000", Decimal("1500.000")),  # four digits before the dot: no thousands dot
        ("1500,5", Decimal("1500.5")),
        (" 12.75 ", Decimal("12.75")),
        ("-3,10", Decimal("-3.10")),
    ],
)
def test_parse_amount(typed: str, amount: Decimal) -> None:
    assert money.parse_amount(typed) == amount


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.500.000", Decimal("1500000")),  # several dots: only thousands separators
        ("12.345.678,90", Decimal("12345678.90")),
    ],
)
def test_parse_amount_reads_thousands_dots(typed: str, amount: Decimal) -> None:
    assert money.parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["€ 1.500", "2.500", "-1.250", "999.999"])
def test_parse_amount_refuses_a_dot_that_may_be_thousands(typed: str) -> None:
    """R-SEC-6: `€ 1.500` was read as € 1,50 on the invoice, provider and finance forms while
    the order form refused `2.500` as ambiguous; one rule now, in one place: refused, with
    how to write either reading."""
    with pytest.raises(ValueError, match=r"Schrijf .*\.\d{3},00 voor duizendtallen"):
        money.parse_amount(typed)


@pytest.mark.parametrize("typed", ["1,500.00", "1.50,00", "12,5.0", "1.5000,00"])
def test_parse_amount_refuses_to_guess_at_mixed_separators(typed: str) -> None:
    """R-SEC-6 (bad input never corrupts data): `1,500.00` (English notation) was read as
    1,50 (the dots dropped, the comma made a point) and `1.50,00` as 150; both are refused
    with how to write an amount, never guessed."""
    with pytest.raises(ValueError, match=r"schrijf een bedrag als 1\.500,00"):
        money.parse_amount(typed)


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "NaN", "Infinity", "1e3", "2,5E2"])
def test_parse_amount_refuses_with_a_dutch_message(typed: str) -> None:
    with pytest.raises(ValueError, match="geen geldig bedrag"):
        money.parse_amount(typed)


@pytest.mark.parametrize("typed", ["1e309", "-1e309", "1e26", "999999999999999999999999999"])
def test_an_amount_too_large_to_round_is_a_dutch_value_error(typed: str) -> None:
    """R-SEC-6 (no input gives a 5xx): a form's DecimalField lets `1e309` through (it is
    finite); rounding it to cents raised `decimal.InvalidOperation` and the price page answered
    500. It is a `ValueError` with a Dutch message, which the services turn into a form error."""
    with pytest.raises(ValueError, match="te groot"):
        money.to_cents(typed)
    if "e" in typed:  # typed by a person, an exponent is no amount at all (1e3 read as 1.000)
        with pytest.raises(ValueError, match="geen geldig bedrag"):
            money.parse_amount(typed)
    else:
        with pytest.raises(ValueError, match="te groot"):
            money.to_cents(money.parse_amount(typed))


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_rounding_any_finite_number_gives_cents_or_a_value_error(amount: Decimal) -> None:
    try:
        cents = money.to_cents(amount)
    except ValueError as exc:
        assert "te groot" in str(exc)
        assert abs(amount) >= 10**20
    else:
        assert cents.as_tuple().exponent == -2


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_format_and_parse_round_trip(amount: Decimal) -> None:
    text = dutch.format_number(amount, 2)
    assert money.parse_amount(text) == amount


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [(1500, 0, "1.500"), (Decimal("8.25"), 1, "8,3"), (Decimal("1234.5"), 2, "1.234,50")],
)
def test_format_number(value: Decimal | int, places: int, text: str) -> None:
    assert dutch.format_number(value, places) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("66.7"), "66,7%"),
        (Decimal("28.39"), "28,39%"),
        (Decimal("28.40"), "28,4%"),
        (100, "100,0%"),
        (Decimal("9.00"), "9,0%"),
        (Decimal("12.345"), "12,35%"),  # half up, at most two decimals
        (Decimal("33.333333"), "33,33%"),
        (Decimal("99.999"), "100,0%"),
        (Decimal("-3.5"), "-3,5%"),
        (1234.5, "1.234,5%"),
    ],
)
def test_format_percent_house_rule(value: Decimal | int | float, text: str) -> None:
    """One rule for every percentage: one decimal, a second only when the value has one."""
    assert dutch.format_percent(value) == text


def test_dates_in_the_house_style() -> None:
    assert dutch.format_date(dt.date(2026, 12, 3)) == "03-12-2026"
    assert dutch.format_datetime(dt.datetime(2026, 12, 3, 14, 5)) == "03-12-2026 14:05"
    assert dutch.month_label(dt.date(2026, 12, 3)) == "dec 26"
    assert dutch.parse_date("03-12-2026") == dt.date(2026, 12, 3)
    assert dutch.parse_date("2026-12-03") == dt.date(2026, 12, 3)
    assert dutch.parse_date(" ") is None
    with pytest.raises(ValueError, match="geen datum"):
        dutch.parse_date("31-02-2026")


def test_template_filters_use_the_same_style() -> None:
    template = Template(
        "{% load opstap %}{{ a|euro_html }}|{{ n|nl_number }}|{{ s|nl_number:1 }}"
        "|{{ p|nl_percent }}|{{ d|nl_date }}|{{ none|euro_html }}|{{ text|euro_html }}"
    )
    html = template.render(
        Context(
            {
                "a": Decimal("1500"),
                "n": 12345,
                "s": Decimal("8.25"),
                "p": Decimal("28.44"),
                "d": dt.date(2026, 12, 3),
                "none": None,
                "text": "offerte",
            }
        )
    )
    assert html == "€\u00a01.500,00|12.345|8,3|28,44%|03-12-2026||offerte"


def test_euro_for_pages_keeps_the_amount_on_one_line() -> None:
    """WCAG 1.4.10 (reflow at 320 px): '€ 1.500,00' wrapped between € and the number. The
    page variant (`format_euro_html`, filter `euro_html`) has a no-break space; `format_euro`
    (xlsx, CSV, SEPA, PDF, messages) keeps its plain space."""
    from django.template import Context, Template

    from opstap.core.money import format_euro, format_euro_html

    assert format_euro(Decimal("1500")) == "€ 1.500,00"
    assert format_euro_html(Decimal("1500")) == "€\u00a01.500,00"
    assert format_euro_html(Decimal("-12.5")) == "€\u00a0-12,50"
    assert format_euro_html(None) == "—"
    html = Template(
        "{% load opstap %}{{ a|euro_html }}|{{ t|euro_html }}|{{ n|euro_html }}"
    ).render(Context({"a": Decimal("1500"), "t": "n.v.t.", "n": None}))
    assert html == "€\u00a01.500,00|n.v.t.|"


def test_amounts_in_a_sentence_stay_on_one_line_on_a_page() -> None:
    """WCAG 1.4.10: a payment rule's reason or a refusal made in Python ('Gefactureerd
    € 1.500,00 ...') wrapped between € and the number on the invoice page at 320 px. The
    `euro_nowrap` filter joins them; it adds no markup (escaping stays as it was)."""
    from django.template import Context, Template
    from django.utils.safestring import mark_safe

    template = Template("{% load opstap %}{{ text|euro_nowrap }}|{{ safe|euro_nowrap }}")
    html = template.render(
        Context(
            {
                "text": "Gefactureerd € 1.500,00, toegestaan € -12,50 <b>; de € blijft",
                "safe": mark_safe("<b>€ 5,00</b>"),
            }
        )
    )
    assert html == (
        "Gefactureerd €\u00a01.500,00, toegestaan €\u00a0-12,50 &lt;b&gt;; de € blijft"
        "|<b>€\u00a05,00</b>"
    )
