"""Dutch numbers and dates, read and written in ONE house style. Pure: no Django.

- Numbers: ``1.500`` and ``1.500,25`` (dot for thousands, comma for decimals).
- Percentages: ``28,4%``, ``28,39%``, ``100,0%`` (`format_percent`: one rule for KPI cards,
  finance and KPI reports, charts and templates).
- Dates: ``03-12-2026`` (dd-mm-jjjj), with time ``03-12-2026 14:05``; months in short
  Dutch names for chart labels (``dec 26``).
- Reading: dates as ``dd-mm-jjjj`` or ISO ``jjjj-mm-dd``; numbers as `parse_number`.
- Messages: a text longer than its field allows (`too_long`), in one wording everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .money import round_half_up, to_decimal

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "DATE_INPUT_FORMATS",
    "MONTHS_NL",
    "PERCENT_MAX_PLACES",
    "PERCENT_MIN_PLACES",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "month_label",
    "parse_date",
    "parse_number",
    "too_long",
]

DATE_FORMAT = "%d-%m-%Y"
DATETIME_FORMAT = "%d-%m-%Y %H:%M"
#: What a person may type for a date (forms, imports, the API's query parameters).
DATE_INPUT_FORMATS: tuple[str, ...] = ("%d-%m-%Y", "%Y-%m-%d")
#: The house rule for a percentage: one decimal, and a second only when the value has one
#: (a KPI of 66,7%, a published cost-split key of 28,39%, R-FIN-1); rounded half up to two.
PERCENT_MIN_PLACES = 1
PERCENT_MAX_PLACES = 2
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _swap(text: str) -> str:
    """Python's `1,500.25` to Dutch `1.500,25`."""
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_number(value: Decimal | int | float, places: int = 0) -> str:
    """``1.500`` (places=0), ``1.500,25`` (places=2); rounded half up."""
    number = round_half_up(to_decimal(value), places)
    return _swap(f"{number:,.{places}f}")


def format_percent(value: Decimal | int | float, places: int | None = None) -> str:
    """``28,4%`` for 28.4, ``28,39%`` for 28.39, ``100,0%`` for 100 (the value is a
    percentage, not a fraction): the house rule (`PERCENT_MIN_PLACES`,
    `PERCENT_MAX_PLACES`), so that the same value reads the same on every page, report and
    chart. `places` fixes the decimals instead, only for a text that must state a figure as
    agreed (a social-return agreement)."""
    if places is not None:
        return format_number(value, places) + "%"
    number = round_half_up(to_decimal(value), PERCENT_MAX_PLACES)
    exact = number == round_half_up(number, PERCENT_MIN_PLACES)
    return format_number(number, PERCENT_MIN_PLACES if exact else PERCENT_MAX_PLACES) + "%"


def format_date(value: dt.date | None) -> str:
    """``03-12-2026``; ``—`` for no date."""
    return "—" if value is None else value.strftime(DATE_FORMAT)


def format_datetime(value: dt.datetime | None) -> str:
    """``03-12-2026 14:05`` in the time zone of `value` (localise it first)."""
    return "—" if value is None else value.strftime(DATETIME_FORMAT)


def month_label(day: dt.date) -> str:
    """``dec 26``: a month on a chart axis."""
    return f"{MONTHS_NL[day.month - 1]} {day:%y}"


def parse_date(text: str | dt.date | None) -> dt.date | None:
    """A date typed as ``dd-mm-jjjj`` or ``jjjj-mm-dd``; None for empty input. Raises
    `ValueError` with a Dutch message otherwise."""
    if text is None or isinstance(text, dt.date):
        return text
    cleaned = text.strip()
    if not cleaned:
        return None
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(f"'{text}' is geen datum (dd-mm-jjjj).")


def parse_number(text: str | Decimal | int) -> Decimal:
    """A number a person typed, with a decimal comma or point (see
    `opstap.core.money.parse_amount`, which reads the same way)."""
    from .money import parse_amount

    return parse_amount(text)


def too_long(label: str, limit: int) -> str:
    """The one Dutch refusal of a text longer than its field allows: ``"De titel is te lang:
    hoogstens 200 tekens."`` (`label` as it reads in a sentence; its first letter is
    capitalised; the limit in the house style, ``20.000``)."""
    text = label.strip()
    return f"{text[:1].upper()}{text[1:]} is te lang: hoogstens {format_number(limit)} tekens."
