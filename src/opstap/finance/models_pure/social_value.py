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

from opstap.clients.ladder import LadderStep

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
DEFAULT_MAPPING: dict[LadderStep, int] = {
    LadderStep.STEP_1: 1,
    LadderStep.STEP_2A: 1,
    LadderStep.STEP_2B: 2,
    LadderStep.STEP_3: 2,
    LadderStep.STEP_4: 3,
    LadderStep.STEP_5: 3,
    LadderStep.STEP_6: 5,
}


@dataclass(frozen=True)
class SocialValueResult:
    before: Decimal
    after: Decimal
    change: Decimal  # after - before, per year


def position_of(step: LadderStep, mapping: Mapping[LadderStep, int]) -> int:
    position = mapping.get(step, DEFAULT_MAPPING[step])
    if position not in POSITION_LABELS_NL:
        raise FinanceInputError(f"Onbekende positie {position} voor trede {step.value}.")
    return position


def value_of(
    distribution: Mapping[LadderStep, int],
    *,
    parameters: SocialValueParameters = DEFAULT_PARAMETERS,
    mapping: Mapping[LadderStep, int] = DEFAULT_MAPPING,
) -> Decimal:
    total = Decimal(0)
    for step, count in distribution.items():
        if count < 0:
            raise FinanceInputError(f"Aantal personen op trede {step.value} is negatief.")
        total += parameters.positions[position_of(step, mapping)] * count
    return money(total)


def social_value(
    before: Mapping[LadderStep, int],
    after: Mapping[LadderStep, int],
    *,
    parameters: SocialValueParameters = DEFAULT_PARAMETERS,
    mapping: Mapping[LadderStep, int] = DEFAULT_MAPPING,
) -> SocialValueResult:
    """R-INT-5: the yearly social value of moving people over the ladder."""
    v_before = value_of(before, parameters=parameters, mapping=mapping)
    v_after = value_of(after, parameters=parameters, mapping=mapping)
    return SocialValueResult(before=v_before, after=v_after, change=money(v_after - v_before))
