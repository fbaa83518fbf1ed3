"""Cost-split key (verdeelsleutel, R-FIN-1).

Each municipality's share = w * its inhabitants / total inhabitants
+ (1 - w) * its client files / total client files, with w = 50% by default (configurable,
any value from 0 to 100%). Shares are published as percentages with two decimals; they are
rounded with the largest-remainder method so that they always add up to exactly 100.00%.
Amounts split by the key use the published (rounded) percentages as weights and again the
largest-remainder method, so the parts add up to the total to the cent.

Reference (1-1-2021): Duiven 25,067 / 433, Westervoort 15,011 / 347, Zevenaar 44,099 / 824
→ 28.39%, 19.73%, 51.88%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import FinanceInputError
from .money import HUNDRED, largest_remainder, split_money

DEFAULT_INHABITANT_WEIGHT = Decimal(50)  # percent


@dataclass(frozen=True)
class MunicipalityFigures:
    name: str
    inhabitants: int
    client_files: int


@dataclass(frozen=True)
class Share:
    name: str
    inhabitants: int
    client_files: int
    exact: Decimal  # unrounded fraction (0..1)
    percentage: Decimal  # published share, two decimals, the column sums to 100.00


@dataclass(frozen=True)
class CostSplitResult:
    inhabitant_weight: Decimal  # percent
    shares: tuple[Share, ...]
    total_inhabitants: int
    total_client_files: int

    def weights(self) -> list[Decimal]:
        return [s.percentage for s in self.shares]

    def split(self, amount: Decimal) -> list[tuple[str, Decimal]]:
        """Split an amount by the key (parts sum to the amount to the cent)."""
        parts = split_money(amount, self.weights())
        return [(s.name, part) for s, part in zip(self.shares, parts, strict=True)]


def first_duplicate(names: Sequence[str]) -> str | None:
    """The first name that occurs twice (ignoring case and surrounding spaces), or None: a key
    per municipality names each municipality once (two rows "Duiven" split the amount by
    position but were shown and exported by name, the second row's amount on both)."""
    seen: set[str] = set()
    for name in names:
        folded = name.strip().casefold()
        if folded in seen:
            return name.strip()
        seen.add(folded)
    return None


def compute_cost_split(
    municipalities: Sequence[MunicipalityFigures],
    *,
    inhabitant_weight: Decimal = DEFAULT_INHABITANT_WEIGHT,
) -> CostSplitResult:
    """R-FIN-1: the key for any weight and any number of municipalities."""
    if not municipalities:
        raise FinanceInputError("Geef ten minste één gemeente op.", field="municipalities")
    if not Decimal(0) <= inhabitant_weight <= HUNDRED:
        raise FinanceInputError(
            "Het gewicht van het inwonertal ligt tussen 0% en 100%.", field="inhabitantWeight"
        )
    twice = first_duplicate([m.name for m in municipalities])
    if twice is not None:
        raise FinanceInputError(
            f"Gemeente {twice} staat twee keer in de lijst; vul elke gemeente één keer in.",
            field="municipalities",
        )
    for m in municipalities:
        if m.inhabitants < 0 or m.client_files < 0:
            raise FinanceInputError(
                f"Inwoners en klantdossiers van {m.name} kunnen niet negatief zijn.",
                field="municipalities",
            )
    w = inhabitant_weight / HUNDRED
    total_inh = sum(m.inhabitants for m in municipalities)
    total_files = sum(m.client_files for m in municipalities)
    if w > 0 and total_inh == 0:
        raise FinanceInputError(
            "Het totaal aantal inwoners is 0; vul inwonertallen in.", field="municipalities"
        )
    if w < 1 and total_files == 0:
        raise FinanceInputError(
            "Het totaal aantal klantdossiers is 0; vul klantaantallen in.",
            field="municipalities",
        )
    exact: list[Decimal] = []
    for m in municipalities:
        part = Decimal(0)
        if w > 0:
            part += w * Decimal(m.inhabitants) / Decimal(total_inh)
        if w < 1:
            part += (1 - w) * Decimal(m.client_files) / Decimal(total_files)
        exact.append(part)
    basis_points = largest_remainder(exact, 10_000)
    shares = tuple(
        Share(
            name=m.name,
            inhabitants=m.inhabitants,
            client_files=m.client_files,
            exact=e,
            percentage=(Decimal(bp) / 100).quantize(Decimal("0.01")),
        )
        for m, e, bp in zip(municipalities, exact, basis_points, strict=True)
    )
    return CostSplitResult(
        inhabitant_weight=inhabitant_weight,
        shares=shares,
        total_inhabitants=total_inh,
        total_client_files=total_files,
    )
