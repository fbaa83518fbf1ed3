"""Money: `Decimal` euros, rounded to whole cents with ROUND_HALF_UP in this ONE place, and
written the Dutch way (`€ 1.500,00`). Pure: no Django.

Apps keep their domain rules about money (VAT, indexation, splitting a total); they round
with `to_cents` and `round_half_up` from here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

__all__ = [
    "CENT",
    "HUNDRED",
    "VAT_CODE_LABELS_NL",
    "ZERO",
    "AmbiguousAmountError",
    "VatCode",
    "format_euro",
    "parse_amount",
    "round_half_up",
    "to_cents",
    "to_decimal",
]

CENT = Decimal("0.01")


class VatCode(StrEnum):
    """VAT categories (btw-tarieven, R-BILL-11). A product records its category (providers),
    a trajectory keeps the one of its order, the invoice rules read it; the percentages
    themselves are reference data by date (`invoices.money.VatRate`)."""

    EXEMPT = "exempt"  # vrijgesteld / 0%
    LOW = "low"  # laag tarief, 9% since 2019-01-01
    HIGH = "high"  # hoog tarief, 21% since 2012-10-01


VAT_CODE_LABELS_NL: dict[VatCode, str] = {
    VatCode.EXEMPT: "Vrijgesteld (0%)",
    VatCode.LOW: "Laag tarief",
    VatCode.HIGH: "Hoog tarief",
}
#: the part before the decimal comma when it has thousands dots: 1.500 or 12.345.678
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")


#: What a typed amount may hold: a sign, digits, dots and commas (no letters or exponents).
_TYPED = re.compile(r"[-+]?[\d.,]*\d[\d.,]*")


class AmbiguousAmountError(ValueError):
    """Typed text that reads as two amounts (``2.500``); the message names both."""


#: One dot after one to three digits, then exactly three: 2.500 is two thousand five hundred
#: to a Dutch reader and two and a half to a system; refused rather than guessed.
_THOUSANDS_OR_DECIMALS = re.compile(r"[-+]?[1-9]\d{0,2}\.\d{3}")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def to_decimal(value: Decimal | int | str | float) -> Decimal:
    """A Decimal from a number; floats go through `str()` so 0.1 stays 0.1. Raises
    `ValueError` (Dutch message) for text that is no finite number."""
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value) if isinstance(value, float) else value)
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise ValueError(f"'{value}' is geen geldig bedrag.") from exc
    if not result.is_finite():
        raise ValueError(f"'{value}' is geen geldig bedrag.")
    return result


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """`value` rounded half up to `places` decimals (0.005 -> 0.01): the only rounding rule,
    for amounts (`places=2`) and for percentages and scores alike. Raises `ValueError`
    (Dutch message) for a number too large to hold with those decimals (`1e309` typed into an
    amount field), as for text that is no number: never a bare `decimal.InvalidOperation`."""
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"'{value}' is te groot om mee te rekenen.") from exc


def to_cents(amount: Decimal | int | str | float) -> Decimal:
    """An amount in euros rounded to whole cents, half up."""
    return round_half_up(to_decimal(amount), 2)


def parse_amount(text: str | Decimal | int) -> Decimal:
    """An amount a person typed: ``1.500,50``, ``1500,50``, ``€ 1.500`` or ``1500.50``.

    A comma is the decimal separator; with a comma present, dots are thousands separators,
    and only in their places (``1.500,00``): ``1,500.00`` (English notation) and ``1.50,00``
    are refused rather than read as 1,50 or 150. Without a comma, several dots can only be
    thousands separators (``1.500.000``), and a single dot is read as a decimal point, so
    ``12.5`` is twelve and a half, unless it could as well be a thousands dot: ``2.500`` and
    ``€ 1.500`` are refused with how to write either (on the invoice form it was read as
    € 2,50, on the order form refused). Not rounded: the caller decides (`to_cents`). Raises
    `ValueError` with a Dutch message for anything else."""
    if isinstance(text, Decimal | int):
        return to_decimal(text)
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not _TYPED.fullmatch(cleaned):  # letters, exponents (1e3 was read as 1.000)
        raise ValueError(
            f"'{text}' is geen geldig bedrag: schrijf een bedrag als 1.500,00 "
            "(punt voor duizendtallen, komma voor de centen)."
        )
    if "," in cleaned:
        whole, _, fraction = cleaned.rpartition(",")
        if "." in fraction or ("." in whole and not _THOUSANDS.fullmatch(whole)):
            raise ValueError(
                f"'{text}' is geen geldig bedrag: schrijf een bedrag als 1.500,00 "
                "(punt voor duizendtallen, komma voor de centen)."
            )
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1 and _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")  # 1.500.000: dots that can only be thousands
    elif _THOUSANDS_OR_DECIMALS.fullmatch(cleaned):
        whole, _, fraction = cleaned.partition(".")
        raise AmbiguousAmountError(
            f"Is '{text.strip()}' {whole}{fraction} of {whole},{fraction.rstrip('0') or '0'}? "
            f"Schrijf {whole}.{fraction},00 voor duizendtallen, of een komma voor de decimalen."
        )
    try:
        return to_decimal(cleaned)
    except ValueError:
        raise ValueError(f"'{text}' is geen geldig bedrag.") from None


def format_euro(amount: Decimal | int | float | None, *, places: int = 2) -> str:
    """Dutch notation: ``€ 1.500,00`` (``€ -12,50`` for a negative amount, ``—`` for none)."""
    if amount is None:
        return "—"
    from .dutch import format_number

    return "€ " + format_number(to_decimal(amount), places)


#: The space between € and the number on a page: it does not break, so at 320 px (WCAG
#: 1.4.10 reflow) an amount never wraps into "€" and "1.500,00" on two lines.
NO_BREAK_SPACE = "\u00a0"


def format_euro_html(amount: Decimal | int | float | None, *, places: int = 2) -> str:
    """`format_euro` for HTML (the `euro_html` filter): ``€\u00a01.500,00``. Exports (xlsx,
    CSV, SEPA, PDF text) and messages keep `format_euro` with its plain space."""
    return format_euro(amount, places=places).replace("€ ", "€" + NO_BREAK_SPACE, 1)
