"""Price terms of a trajectory and the content of a quote (R-BILL-1, R-BILL-4, R-BILL-7, R-NET-6).

Every trajectory carries explicit price terms, so that the payment rules never have to guess
what a number means:

* **fixed** (``basis = fixed``): one price excl. VAT for the whole trajectory. Codes 1 and 3 take
  the product's price valid on the order date (R-NET-6); codes 2 and 4 the amount of the
  approved quote (until then the product's price is only indicative).
* **hourly** (``basis = hourly``): an hourly rate, optionally with the number of agreed hours
  and/or a budget cap (the most that can ever be paid in total). Code 5 (jobcoaching) takes
  the rate of the approved quote; before approval the product's hourly rate valid on the order
  date. The rules pay ``hours x rate``, the rate capped per day at the ceiling (R-NET-7).

A quote for a code that needs one (2, 4, 5; R-TRJ-1) must carry an amount excl. VAT, and a
text or a document; for an hourly product also the rate and the hours, with
``amount = rate x hours`` (to the cent). Rate and hours on a variable-price quote (codes 2, 4)
are optional, but when given both are needed and must make up the amount.

Pure module: no ORM, frozen dataclasses, Decimal money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from opstap.core.money import VAT_CODE_LABELS_NL, VatCode, format_euro, round_half_up
from opstap.core.price_terms import PriceBasis, PriceTermsError
from opstap.core.price_terms import PriceTerms as BasePriceTerms

#: Codes whose trajectory is paid per hour (R-BILL-1).
HOURLY_CODES = frozenset({5})
#: Codes that need a quote before anything starts (R-TRJ-1).
QUOTE_CODES = frozenset({2, 4, 5})
#: Above this, an amount is a typing error (and no database column holds it).
MAX_AMOUNT = Decimal("99999999.99")
MAX_HOURS = Decimal("99999.99")
CENT = Decimal("0.01")


class PriceSource(StrEnum):
    PRODUCT = "product"  # the product's dated price on the order date (R-NET-6)
    QUOTE = "quote"  # the approved quote (R-TRJ-1)


PRICE_BASIS_LABELS_NL = {PriceBasis.FIXED: "vaste prijs", PriceBasis.HOURLY: "uurtarief"}
PRICE_SOURCE_LABELS_NL = {
    PriceSource.PRODUCT: "prijs van het product op de besteldatum",
    PriceSource.QUOTE: "goedgekeurde offerte",
}


@dataclass(frozen=True, slots=True)
class PriceTerms(BasePriceTerms):
    """What was agreed about the price of one trajectory (the foundation's `PriceTerms`,
    which the payment rules read), and where it came from."""

    source: PriceSource = PriceSource.PRODUCT


def basis_for_code(code: int) -> PriceBasis:
    return PriceBasis.HOURLY if code in HOURLY_CODES else PriceBasis.FIXED


def terms_from_product(code: int, product_price: Decimal | None) -> PriceTerms:
    """Terms at the order: the product's price (or hourly rate) valid on the order date."""
    if basis_for_code(code) is PriceBasis.HOURLY:
        return PriceTerms(PriceBasis.HOURLY, hourly_rate=product_price)
    return PriceTerms(PriceBasis.FIXED, price=product_price)


@dataclass(frozen=True, slots=True)
class QuoteContent:
    """What a provider quotes: the amount excl. VAT, rate and hours, and the justification."""

    amount: Decimal | None
    hourly_rate: Decimal | None = None
    hours: Decimal | None = None
    text: str = ""
    has_document: bool = False


def _in_range(value: Decimal | None, *, field: str, label: str, maximum: Decimal) -> None:
    if value is None:
        return
    if not value.is_finite():
        raise PriceTermsError(f"{label} is geen geldig getal.", field=field)
    if value <= 0:
        raise PriceTermsError(f"{label} moet groter zijn dan 0.", field=field)
    if value > maximum:
        raise PriceTermsError(f"{label} is te groot.", field=field)
    if value != value.quantize(CENT):
        raise PriceTermsError(f"{label} heeft meer dan twee decimalen.", field=field)


def validate_quote(code: int, quote: QuoteContent) -> None:
    """R-TRJ-1, R-BILL-1: a quote carries an amount (plus rate and hours for hourly products)
    and a text or a document. Raises :class:`PriceTermsError` naming the field."""
    _in_range(quote.amount, field="amount", label="Het offertebedrag", maximum=MAX_AMOUNT)
    _in_range(quote.hourly_rate, field="hourly_rate", label="Het uurtarief", maximum=MAX_AMOUNT)
    _in_range(quote.hours, field="hours", label="Het aantal uren", maximum=MAX_HOURS)
    if code not in QUOTE_CODES:
        raise PriceTermsError(
            f"Voor een product met code {code} is geen offerte nodig.", field="amount"
        )
    if quote.amount is None:
        raise PriceTermsError("Vul het offertebedrag (excl. btw) in.", field="amount")
    hourly = code in HOURLY_CODES
    if hourly and quote.hourly_rate is None:
        raise PriceTermsError("Vul het uurtarief van de offerte in.", field="hourly_rate")
    if hourly and quote.hours is None:
        raise PriceTermsError("Vul het aantal uren van de offerte in.", field="hours")
    if (quote.hourly_rate is None) != (quote.hours is None):
        field = "hours" if quote.hours is None else "hourly_rate"
        raise PriceTermsError("Vul uurtarief én aantal uren in, of geen van beide.", field=field)
    if quote.hourly_rate is not None and quote.hours is not None:
        total = round_half_up(quote.hourly_rate * quote.hours)
        if total != quote.amount:
            raise PriceTermsError(
                f"Het offertebedrag {format_euro(quote.amount)} "
                f"is niet gelijk aan {quote.hours} uur x "
                f"{format_euro(quote.hourly_rate)} = {format_euro(total)}.",
                field="amount",
            )
    if not quote.text.strip() and not quote.has_document:
        raise PriceTermsError(
            "Een offerte bevat een toelichting (tekst) of een document.", field="text"
        )


def terms_from_quote(code: int, quote: QuoteContent) -> PriceTerms:
    """Terms after approval: the quote decides (R-BILL-1). Hourly: rate, hours and the amount
    as the budget cap; otherwise a fixed price equal to the amount."""
    validate_quote(code, quote)
    if basis_for_code(code) is PriceBasis.HOURLY:
        return PriceTerms(
            PriceBasis.HOURLY,
            hourly_rate=quote.hourly_rate,
            agreed_hours=quote.hours,
            budget_cap=quote.amount,
            source=PriceSource.QUOTE,
        )
    return PriceTerms(PriceBasis.FIXED, price=quote.amount, source=PriceSource.QUOTE)


def terms_label_nl(terms: PriceTerms, code: int) -> tuple[str, str]:
    """The trajectory page's price agreement: (what was agreed, where it comes from).

    A quote product (codes 2, 4, 5; R-TRJ-1) has no agreed price until its quote is approved:
    before that it read "Vaste prijs (prijs van het product op de besteldatum)" without an
    amount for a variable-price product, as if a price had been fixed. It now says the price
    follows the quote, with the product's price or rate as an indication where there is one."""
    if code in QUOTE_CODES and terms.source is PriceSource.PRODUCT:
        if terms.basis is PriceBasis.FIXED and terms.price is None:
            return "volgens offerte", "nog geen offerte goedgekeurd"
        return terms.label_nl(), "indicatief: nog geen offerte goedgekeurd"
    return terms.label_nl(), PRICE_SOURCE_LABELS_NL[terms.source]


@dataclass(frozen=True, slots=True)
class OrderTerms:
    """What the case manager orders (R-TRJ-1, R-NET-6, R-NET-7, R-BILL-11), as Dutch text: the
    price terms the trajectory will get, the maximum hourly rate where one applies (empty
    otherwise), the VAT category the product records and the nominal duration. The order
    form shows it for the chosen product and per product found."""

    price: str
    rate_ceiling: str
    vat: str
    duration: str

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) lines, as the order form's summary lists them."""
        lines = [("Prijsafspraak", self.price)]
        if self.rate_ceiling:
            lines.append(("Maximum uurtarief", self.rate_ceiling))
        lines.append(("Btw-tarief", self.vat))
        lines.append(("Nominale duur", self.duration))
        return lines

    def brief(self) -> str:
        """Price terms and VAT category on one line, beside a product in a list of choices."""
        return f"{self.price}; btw: {self.vat[:1].lower()}{self.vat[1:]}"


def order_terms_nl(
    code: int,
    product_price: Decimal | None,
    *,
    duration_days: int,
    vat_code: VatCode,
    rate_ceiling: Decimal | None = None,
) -> OrderTerms:
    """The terms of an order from the product's record (R-TRJ-1, R-NET-6, R-NET-7,
    R-BILL-11): the price terms from the product's price valid today (for a quote product
    what the quote decides, with the product's price or rate as an indication), the maximum
    hourly rate where one applies, the product's VAT category and the nominal duration.
    The form once showed none of it, and later no VAT category: the case manager ordered
    without seeing what it cost."""
    label, source = terms_label_nl(terms_from_product(code, product_price), code)
    return OrderTerms(
        price=f"{label[:1].upper()}{label[1:]} ({source})",
        rate_ceiling=(
            f"{format_euro(rate_ceiling)} per uur (plafond voor jobcoaching en jobfinding)"
            if rate_ceiling is not None
            else ""
        ),
        vat=VAT_CODE_LABELS_NL[vat_code],
        duration=duration_nl(duration_days),
    )


def duration_nl(days: int) -> str:
    """A nominal duration in calendar days, with whole weeks or months where it reads
    better: '182 dagen (26 weken)', '365 dagen (1 jaar)', '10 dagen'."""
    text = "1 dag" if days == 1 else f"{days} dagen"
    if days in (365, 366):
        return f"{text} (1 jaar)"
    if days >= 14 and days % 7 == 0:
        return f"{text} ({days // 7} weken)"
    return text


def quote_over_budget_nl(amount: Decimal | None, budget: Decimal | None) -> str:
    """A warning for the case manager who judges a quote (R-TRJ-1) that asks more than the
    budget set on the order; empty when it fits or either is unknown. The case manager may
    still approve (the spec sets no cap), but should not do so without seeing it: the quote
    of EUR 4.800,00 on an order with a budget of EUR 3.000,00 was shown without a word."""
    if amount is None or budget is None or amount <= budget:
        return ""
    return (
        f"De offerte ({format_euro(amount)}) is {format_euro(amount - budget)} hoger dan het "
        f"budget van de bestelling ({format_euro(budget)}). Keur haar alleen goed als het "
        "hogere bedrag is afgestemd; wijs haar anders af met de reden."
    )
