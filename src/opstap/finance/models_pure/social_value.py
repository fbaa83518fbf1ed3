"""Social value per ladder position (R-INT-5), Meetstandaard Social Impact, 2026 parameters.

The standard values a person per year by one of its own five positions; our ladder steps map
onto those positions through reference data an administrator can edit (`DEFAULT_MAPPING` is
the seed). The social value of a plan is the change in yearly value between the distribution
of people over the ladder before and the expected distribution after the investment:
Σ (after - before) * amount(position(step)). The social-assistance amount is shown as a
parameter for context; benefit savings are already in the business case itself and are
not counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import FinanceInputError
from .money import money

POSITION_LABELS_NL: dict[int, str] = {
    1: "Positie 1",
    2: "Positie 2",
    3: "Positie 3",
    4: "Positie 4 — betaald werk met ondersteuning, LKS of beschut",
    5: "Positie 5 — regulier werk",
}


@dataclass(frozen=True)
class SocialValueParameters:
    """Yearly amounts per person (Meetstandaard Social Impact 2026)."""

    year: int = 2026
    positions: Mapping[int, Decimal] = field(
        default_factory=lambda: {
            1: Decimal("-21150"),
            2: Decimal("-19500"),
            3: Decimal("-15000"),
            4: Decimal("-5000"),
            5: Decimal("11050"),
        }
    )
    social_assistance: Decimal = Decimal("-18768")


DEFAULT_PARAMETERS = SocialValueParameters()

# Seed of the editable mapping: ladder step → Meetstandaard position.
#: Keys are ladder step codes ("1", "2a" … "6": the values of the clients app's `LadderStep`,
#: a `StrEnum`, so its members work as keys too). Plain codes keep this module pure: it
#: imports nothing of another app.
DEFAULT_MAPPING: dict[str, int] = {
    "1": 1,
    "2a": 1,
    "2b": 2,
    "3": 2,
    "4": 3,
    "5": 3,
    "6": 5,
}


@dataclass(frozen=True)
class SocialValueResult:
    before: Decimal
    after: Decimal
    change: Decimal  # after - before, per year


def position_of(step: str, mapping: Mapping[str, int]) -> int:
    position = mapping.get(step, DEFAULT_MAPPING[step])
    if position not in POSITION_LABELS_NL:
        raise FinanceInputError(f"Onbekende positie {position} voor trede {step}.")
    return position


def value_of(
    distribution: Mapping[str, int],
    *,
    parameters: SocialValueParameters = DEFAULT_PARAMETERS,
    mapping: Mapping[str, int] = DEFAULT_MAPPING,
) -> Decimal:
    total = Decimal(0)
    for step, count in distribution.items():
        if count < 0:
            raise FinanceInputError(f"Aantal personen op trede {step} is negatief.")
        total += parameters.positions[position_of(step, mapping)] * count
    return money(total)


def social_value(
    before: Mapping[str, int],
    after: Mapping[str, int],
    *,
    parameters: SocialValueParameters = DEFAULT_PARAMETERS,
    mapping: Mapping[str, int] = DEFAULT_MAPPING,
) -> SocialValueResult:
    """R-INT-5: the yearly social value of moving people over the ladder."""
    v_before = value_of(before, parameters=parameters, mapping=mapping)
    v_after = value_of(after, parameters=parameters, mapping=mapping)
    return SocialValueResult(before=v_before, after=v_after, change=money(v_after - v_before))
