"""What a quote must hold and which price terms follow from it (R-TRJ-1, R-BILL-1; issue 12
finding 6). Pure: each row is the product code, the quote, and the field that is refused."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from opstap.trajectories.price_terms import (
    PriceBasis,
    PriceSource,
    PriceTerms,
    PriceTermsError,
    QuoteContent,
    quote_over_budget_nl,
    terms_from_product,
    terms_from_quote,
    terms_label_nl,
    validate_quote,
)

D = Decimal


@pytest.mark.parametrize(
    ("code", "quote", "field"),
    [
        (2, QuoteContent(None, text="Offerte"), "amount"),  # no amount
        (4, QuoteContent(D("0"), text="Offerte"), "amount"),  # zero
        (4, QuoteContent(D("10.001"), text="Offerte"), "amount"),  # sub-cent
        (4, QuoteContent(D("1e12"), text="Offerte"), "amount"),  # absurd
        (2, QuoteContent(D("2500.00")), "text"),  # no text, no document
        (2, QuoteContent(D("2500.00"), text="   "), "text"),  # blank text
        (5, QuoteContent(D("725.00"), text="Noodzaak"), "hourly_rate"),  # hourly w/o rate
        (5, QuoteContent(D("725.00"), D("72.50"), text="Noodzaak"), "hours"),  # w/o hours
        (5, QuoteContent(D("800.00"), D("72.50"), D("10"), text="Noodzaak"), "amount"),  # ≠
        (4, QuoteContent(D("2500.00"), D("50.00"), text="Offerte"), "hours"),  # half a rate
        (1, QuoteContent(D("2500.00"), text="Offerte"), "amount"),  # code 1 has no quote
    ],
)
def test_incomplete_quotes_are_refused(code: int, quote: QuoteContent, field: str) -> None:
    """R-TRJ-1, R-BILL-1: a quote carries an amount (for jobcoaching rate and hours that make
    it up) and a text or document; the refusal names the field."""
    with pytest.raises(PriceTermsError) as info:
        validate_quote(code, quote)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("code", "quote", "terms"),
    [
        (
            4,
            QuoteContent(D("3150.00"), text="Maatwerk"),
            PriceTerms(PriceBasis.FIXED, price=D("3150.00"), source=PriceSource.QUOTE),
        ),
        (
            2,
            QuoteContent(D("1000.00"), D("50.00"), D("20"), has_document=True),
            PriceTerms(PriceBasis.FIXED, price=D("1000.00"), source=PriceSource.QUOTE),
        ),
        (
            5,
            QuoteContent(D("725.00"), D("72.50"), D("10"), text="Noodzaak"),
            PriceTerms(
                PriceBasis.HOURLY,
                hourly_rate=D("72.50"),
                agreed_hours=D("10"),
                budget_cap=D("725.00"),
                source=PriceSource.QUOTE,
            ),
        ),
    ],
)
def test_approved_quote_sets_the_price_terms(
    code: int, quote: QuoteContent, terms: PriceTerms
) -> None:
    """R-BILL-1: variable codes get a fixed price equal to the quote; jobcoaching gets the
    quote's rate and hours with its amount as the budget cap (never the amount as a rate)."""
    assert terms_from_quote(code, quote) == terms


def test_order_terms_come_from_the_products_dated_price() -> None:
    """R-NET-6: at the order the terms are the product's price (or hourly rate) that day."""
    assert terms_from_product(3, D("2500.00")) == PriceTerms(PriceBasis.FIXED, price=D("2500.00"))
    assert terms_from_product(5, D("72.50")) == PriceTerms(
        PriceBasis.HOURLY, hourly_rate=D("72.50")
    )


@given(
    rate=st.decimals(min_value=D("0.01"), max_value=D("500"), places=2),
    hours=st.decimals(min_value=D("0.25"), max_value=D("2000"), places=2),
)
def test_hourly_quote_terms_never_read_the_total_as_a_rate(rate: Decimal, hours: Decimal) -> None:
    """R-BILL-7: whatever the figures, an hourly quote's terms keep its rate as the rate and
    rate x hours as the cap."""
    amount = (rate * hours).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assume(amount > 0)
    terms = terms_from_quote(5, QuoteContent(amount, rate, hours, text="x"))
    assert (terms.hourly_rate, terms.agreed_hours, terms.budget_cap, terms.price) == (
        rate,
        hours,
        amount,
        None,
    )


@pytest.mark.parametrize(
    ("code", "terms", "label"),
    [
        # a variable-price quote product before its quote: no price has been agreed yet
        (2, PriceTerms(PriceBasis.FIXED), ("volgens offerte", "nog geen offerte goedgekeurd")),
        (4, PriceTerms(PriceBasis.FIXED), ("volgens offerte", "nog geen offerte goedgekeurd")),
        (
            5,
            PriceTerms(PriceBasis.HOURLY, hourly_rate=Decimal("80.00")),
            ("€ 80,00 per uur", "indicatief: nog geen offerte goedgekeurd"),
        ),
        (
            2,
            PriceTerms(PriceBasis.FIXED, price=Decimal("2400"), source=PriceSource.QUOTE),
            ("vaste prijs € 2.400,00", "goedgekeurde offerte"),
        ),
        (
            1,
            PriceTerms(PriceBasis.FIXED, price=Decimal("618")),
            ("vaste prijs € 618,00", "prijs van het product op de besteldatum"),
        ),
    ],
)
def test_price_agreement_label_of_a_quote_product(
    code: int, terms: PriceTerms, label: tuple[str, str]
) -> None:
    """R-TRJ-1, R-BILL-1: a code 2 trajectory awaiting its quote read "Vaste prijs (prijs van
    het product op de besteldatum)" with no amount, as if a fixed price had been agreed."""
    assert terms_label_nl(terms, code) == label


@pytest.mark.parametrize(
    ("amount", "budget", "warned"),
    [
        (D("4800.00"), D("3000.00"), True),
        (D("3000.00"), D("3000.00"), False),  # exactly the budget fits
        (D("2400.00"), D("3000.00"), False),
        (D("4800.00"), None, False),  # no budget set on the order
        (None, D("3000.00"), False),
    ],
)
def test_quote_over_budget_warning(
    amount: Decimal | None, budget: Decimal | None, warned: bool
) -> None:
    """R-TRJ-1: a quote above the order's budget is pointed out to the case manager."""
    assert bool(quote_over_budget_nl(amount, budget)) is warned
