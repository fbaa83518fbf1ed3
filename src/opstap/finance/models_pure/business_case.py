"""Business case of an investment in re-integration (R-FIN-2).

Per investment year: the extra investment, the norm outflow (without the investment, e.g.
200), the expected outflow (e.g. 305) and the savings on benefit costs attributed to that
year's outflow in each following year: year 1 is the investment year itself (outflow spreads
over the year, so year 1 saves less than year 2), year 2 the next calendar year, and so on.

Savings come from the extra outflow above the norm. They are entered as estimated at a given
outflow (`savings_outflow`, by default the expected outflow); when a policy officer changes the
expected outflow the savings scale in proportion to the extra outflow:
savings * (expected - norm) / (savings_outflow - norm). This makes "what if fewer people
flow out?" a one-field change.

Outputs per investment year and in total: total savings, net savings (savings - investment),
payback year (the first calendar year in which the cumulative savings reach the investment),
the same split per municipality by the cost-split key (R-FIN-1), plan versus realisation when
realised figures are entered, and the societal return: MKBA estimate (default 10% of the
investment, configurable) and optionally the social value per ladder position (R-INT-5).

Reference (RSD de Liemers 2022-2023): investment 1,000,000 a year; savings 481,750 + 510,000 +
420,000 = 1,411,750, net 411,750 (2022); 505,750 + 510,000 + 420,000 = 1,435,750, net 435,750
(2023); both years net 847,500.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .cost_split import first_duplicate
from .errors import FinanceInputError
from .money import HUNDRED, money, split_money
from .social_value import SocialValueResult

DEFAULT_MKBA_PERCENTAGE = Decimal(10)


@dataclass(frozen=True)
class InvestmentYear:
    year: int
    investment: Decimal
    norm_outflow: int
    expected_outflow: int
    savings: tuple[Decimal, ...]  # year 1 (= investment year), year 2, ...
    savings_outflow: int | None = None  # outflow the savings were estimated at
    realised_investment: Decimal | None = None
    realised_outflow: int | None = None
    realised_savings: tuple[Decimal, ...] | None = None


@dataclass(frozen=True)
class YearResult:
    year: int
    investment: Decimal
    norm_outflow: int
    expected_outflow: int
    extra_outflow: int
    savings: tuple[Decimal, ...]  # after scaling
    total_savings: Decimal
    net_savings: Decimal
    payback_year: int | None
    realised_investment: Decimal | None
    realised_outflow: int | None
    realised_total_savings: Decimal | None
    realised_net_savings: Decimal | None


@dataclass(frozen=True)
class TimelineRow:
    year: int
    investment: Decimal
    savings: Decimal
    cumulative_net: Decimal


@dataclass(frozen=True)
class MunicipalitySplit:
    name: str
    percentage: Decimal
    investment: Decimal
    total_savings: Decimal
    net_savings: Decimal
    per_year: tuple[tuple[int, Decimal, Decimal, Decimal], ...]  # year, invest, savings, net


@dataclass(frozen=True)
class BusinessCaseResult:
    years: tuple[YearResult, ...]
    total_investment: Decimal
    total_savings: Decimal
    net_savings: Decimal
    payback_year: int | None
    timeline: tuple[TimelineRow, ...]
    municipalities: tuple[MunicipalitySplit, ...]
    mkba_percentage: Decimal
    mkba_value: Decimal
    social_value: SocialValueResult | None
    has_realisation: bool


def _scaled_savings(item: InvestmentYear) -> tuple[Decimal, ...]:
    basis = item.savings_outflow if item.savings_outflow is not None else item.expected_outflow
    if basis == item.expected_outflow:
        return tuple(money(s) for s in item.savings)
    extra_basis = basis - item.norm_outflow
    if extra_basis <= 0:
        raise FinanceInputError(
            f"{item.year}: de uitstroom waarop de besparing is geraamd moet boven de "
            "normuitstroom liggen.",
            field="years",
        )
    factor = Decimal(max(item.expected_outflow - item.norm_outflow, 0)) / Decimal(extra_basis)
    return tuple(money(s * factor) for s in item.savings)


def _payback(year: int, investment: Decimal, savings: Sequence[Decimal]) -> int | None:
    if investment <= 0:
        return year
    cumulative = Decimal(0)
    for offset, amount in enumerate(savings):
        cumulative += amount
        if cumulative >= investment:
            return year + offset
    return None


def _validate(item: InvestmentYear) -> None:
    if item.investment < 0:
        raise FinanceInputError(f"{item.year}: de investering kan niet negatief zijn.")
    if item.norm_outflow < 0 or item.expected_outflow < 0:
        raise FinanceInputError(f"{item.year}: uitstroom kan niet negatief zijn.")
    if not item.savings:
        raise FinanceInputError(f"{item.year}: vul de besparing per jaar in.")


def compute_business_case(
    years: Sequence[InvestmentYear],
    *,
    key: Sequence[tuple[str, Decimal]] = (),
    mkba_percentage: Decimal = DEFAULT_MKBA_PERCENTAGE,
    social_value: SocialValueResult | None = None,
) -> BusinessCaseResult:
    """R-FIN-2: totals, net, payback and the split per municipality by the key (percentages
    that sum to 100)."""
    if not years:
        raise FinanceInputError("Geef ten minste één investeringsjaar op.", field="years")
    if len({y.year for y in years}) != len(years):
        raise FinanceInputError("Elk investeringsjaar mag maar één keer voorkomen.")
    if mkba_percentage < 0:
        raise FinanceInputError("Het MKBA-percentage kan niet negatief zijn.")
    twice = first_duplicate([name for name, _ in key])
    if twice is not None:
        raise FinanceInputError(
            f"Gemeente {twice} staat twee keer in de verdeelsleutel; vul elke gemeente één "
            "keer in.",
            field="key",
        )
    if key and sum((p for _, p in key), Decimal(0)) != HUNDRED:
        raise FinanceInputError("De verdeelsleutel moet optellen tot 100%.", field="key")
    results: list[YearResult] = []
    flows: dict[int, list[Decimal]] = {}
    for item in sorted(years, key=lambda y: y.year):
        _validate(item)
        savings = _scaled_savings(item)
        investment = money(item.investment)
        total = money(sum(savings, Decimal(0)))
        realised_total = (
            money(sum(item.realised_savings, Decimal(0)))
            if item.realised_savings is not None
            else None
        )
        realised_inv = (
            money(item.realised_investment)
            if item.realised_investment is not None
            else (investment if realised_total is not None else None)
        )
        results.append(
            YearResult(
                year=item.year,
                investment=investment,
                norm_outflow=item.norm_outflow,
                expected_outflow=item.expected_outflow,
                extra_outflow=item.expected_outflow - item.norm_outflow,
                savings=savings,
                total_savings=total,
                net_savings=total - investment,
                payback_year=_payback(item.year, investment, savings),
                realised_investment=realised_inv,
                realised_outflow=item.realised_outflow,
                realised_total_savings=realised_total,
                realised_net_savings=(
                    realised_total - realised_inv
                    if realised_total is not None and realised_inv is not None
                    else None
                ),
            )
        )
        flows.setdefault(item.year, [Decimal(0), Decimal(0)])[0] += investment
        for offset, amount in enumerate(savings):
            flows.setdefault(item.year + offset, [Decimal(0), Decimal(0)])[1] += amount
    timeline: list[TimelineRow] = []
    cumulative = Decimal(0)
    total_investment = sum((r.investment for r in results), Decimal(0))
    for year in range(min(flows), max(flows) + 1):
        inv, sav = flows.get(year, [Decimal(0), Decimal(0)])
        cumulative += sav - inv
        timeline.append(
            TimelineRow(year=year, investment=inv, savings=sav, cumulative_net=cumulative)
        )
    # Programme payback: the first year from which the cumulative net stays >= 0.
    payback: int | None = None
    for row in timeline:
        if row.cumulative_net < 0:
            payback = None
        elif payback is None:
            payback = row.year
    total_savings = sum((r.total_savings for r in results), Decimal(0))
    municipalities = _split(results, key)
    return BusinessCaseResult(
        years=tuple(results),
        total_investment=total_investment,
        total_savings=total_savings,
        net_savings=total_savings - total_investment,
        payback_year=payback,
        timeline=tuple(timeline),
        municipalities=municipalities,
        mkba_percentage=mkba_percentage,
        mkba_value=money(total_investment * mkba_percentage / HUNDRED),
        social_value=social_value,
        has_realisation=any(r.realised_total_savings is not None for r in results),
    )


def _split(
    results: Sequence[YearResult], key: Sequence[tuple[str, Decimal]]
) -> tuple[MunicipalitySplit, ...]:
    if not key:
        return ()
    weights = [p for _, p in key]
    per_muni: list[list[tuple[int, Decimal, Decimal, Decimal]]] = [[] for _ in key]
    for r in results:
        inv = split_money(r.investment, weights)
        sav = split_money(r.total_savings, weights)
        for i in range(len(key)):
            per_muni[i].append((r.year, inv[i], sav[i], sav[i] - inv[i]))
    out: list[MunicipalitySplit] = []
    for (name, pct), rows in zip(key, per_muni, strict=True):
        investment = sum((row[1] for row in rows), Decimal(0))
        savings = sum((row[2] for row in rows), Decimal(0))
        out.append(
            MunicipalitySplit(
                name=name,
                percentage=pct,
                investment=investment,
                total_savings=savings,
                net_savings=savings - investment,
                per_year=tuple(rows),
            )
        )
    return tuple(out)
