"""Price terms (R-BILL-1): what was agreed about the price of one trajectory, in one place.

The trajectory stores them (`trajectories.price_terms` derives them from the product or the
approved quote) and the payment rules read them (`invoices.payment_rules`): both apps use
this one type, so the two can never disagree on what a number means.

* **fixed**: one ``price`` excl. VAT for the whole trajectory;
* **hourly**: an ``hourly_rate``, optionally with ``agreed_hours`` and a ``budget_cap`` (the
  most that can ever be paid in total).

Pure module: no ORM, a frozen dataclass, Decimal money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .dutch import format_number
from .money import format_euro


class PriceBasis(StrEnum):
    FIXED = "fixed"
    HOURLY = "hourly"


class PriceTermsError(ValueError):
    """Price terms (or a quote) that cannot be accepted; ``field`` names the input, the
    ``message`` is Dutch."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class PriceTerms:
    """What was agreed about the price: a fixed ``price``, or an ``hourly_rate`` with
    optional ``agreed_hours`` and ``budget_cap``. Contradicting terms are refused."""

    basis: PriceBasis
    price: Decimal | None = None
    hourly_rate: Decimal | None = None
    agreed_hours: Decimal | None = None
    budget_cap: Decimal | None = None

    def __post_init__(self) -> None:
        for field, value in (
            ("price", self.price),
            ("hourly_rate", self.hourly_rate),
            ("agreed_hours", self.agreed_hours),
            ("budget_cap", self.budget_cap),
        ):
            if value is not None and (not value.is_finite() or value < 0):
                raise PriceTermsError("Vul een bedrag of aantal van 0 of meer in.", field=field)
        hourly_terms = (self.hourly_rate, self.agreed_hours, self.budget_cap)
        if self.basis is PriceBasis.FIXED and any(v is not None for v in hourly_terms):
            raise PriceTermsError(
                "Bij een vaste prijs horen geen uurtarief, uren of budgetplafond.", field="basis"
            )
        if self.basis is PriceBasis.HOURLY and self.price is not None:
            raise PriceTermsError(
                "Bij een uurtarief hoort geen vaste prijs; gebruik het budgetplafond.",
                field="price",
            )

    def label_nl(self) -> str:
        """Short Dutch description, e.g. for the trajectory page."""
        if self.basis is PriceBasis.FIXED:
            return "vaste prijs" if self.price is None else f"vaste prijs {format_euro(self.price)}"
        parts = [
            "uurtarief" if self.hourly_rate is None else f"{format_euro(self.hourly_rate)} per uur"
        ]
        if self.agreed_hours is not None:
            hours = self.agreed_hours
            places = 0 if hours == hours.to_integral_value() else 2
            parts.append(f"{format_number(hours, places)} uur afgesproken")
        if self.budget_cap is not None:
            parts.append(f"maximaal {format_euro(self.budget_cap)}")
        return ", ".join(parts)
