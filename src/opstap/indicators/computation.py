"""Performance indicators of providers (R-PI-1), as pure functions over fact counts.

The selectors count facts per provider (and per product) for a period with grouped SQL; this
module turns those counts into indicators. It imports no ORM, so a policy officer can read
the rules here and the table-driven tests in `tests/test_computation.py`.

Seven process indicators (LEON programme of requirements, § 5.2.1) with their targets:

1. plan with result agreements signed by the candidate, per trajectory whose plan was
   approved in the period (100%);
2. progress reports delivered on time, per progress-report due date in the period (100%);
3. trajectories finished within the agreed term (planned end date, including approved
   extensions), per started trajectory that ended in the period (80%);
4. cooperation with evaluations: the evaluation meeting was held and improvement actions
   recorded, per evaluation of the provider that was open in the period (100%);
5. staff with a VOG valid on the last day of the period, per known staff member (100%);
6. complaints procedure on file, valid on the last day of the period (100%);
7. quarterly overview delivered, per calendar quarter that ended in the period (100%).

Indicators 4-7 are facts about the provider as a whole: per product they are "not
applicable" (the product page shows the provider's value).

Outcome indicators (no targets in the spec: shown as information), over the started
trajectories that ended in the period: share ending in work (a placement was recorded), in
werkfit, share of decided placements that were durable (R-TRJ-7: more than 6 months;
placements whose 6 months have not yet passed are left out), average cost per successful
outcome (net paid invoices of the cohort divided by the trajectories ending in work or
werkfit), lead-time compliance (R-TRJ-3 due dates of the provider in the period met on time)
and client satisfaction (average score, when scores exist).

**Zero denominators.** A share over nothing is *no data* ("geen gegevens"), never 0% and
never 100%: a provider without trajectories has neither failed nor met its targets. The same
holds for the average cost when there is no successful outcome (the cost is not divided by
zero) or no paid invoice yet (not reported as EUR 0), and for satisfaction without scores.

**Met or not.** A share meets its target when numerator / denominator >= target, compared
exactly (in integers), so 999 of 1000 (99.9%, shown rounded) does not meet a 100% target.
Shares are shown as percentages rounded half-up to one decimal; money is quantised to cents
half-up (R-BILL-11).

**Small numbers (R-SEC-1, issue 19 item 11).** The indicators that count clients (their
trajectories, due dates or survey answers: `CLIENT_BASED`) can point at a person when a count
is 1 to 4 ("the one candidate of this product who did not sign the plan"). For a user who
may not see every client behind the numbers, `suppress_small_numbers` hides such a result:
numerator, denominator, value and verdict are withheld and it is shown as "< 5"
(`Status.SUPPRESSED`; threshold `OPSTAP_SMALL_NUMBER_THRESHOLD`, rules in
`opstap.core.disclosure`, as for the KPIs). Where the rows add up to a total that is shown
(providers to "Alle aanbieders", products to their provider), a single hidden row gets a
second one so it cannot be computed back. The provider-wide facts (evaluations, staff with a
VOG, complaints procedure, quarterly overviews) count no clients and are always shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from opstap.core.disclosure import marker, suppressed_cells
from opstap.core.dutch import format_number
from opstap.core.errors import InvalidInputError
from opstap.core.money import format_euro, round_half_up

__all__ = [
    "CLIENT_BASED",
    "INDICATORS",
    "OUTCOME_CODES",
    "PROCESS_CODES",
    "TARGETS",
    "IndicatorFacts",
    "IndicatorResult",
    "Level",
    "Period",
    "PeriodError",
    "Status",
    "compute",
    "quarters_due",
    "share",
    "suppress_small_numbers",
]

NO_DATA_LABEL = "geen gegevens"


class Status(StrEnum):
    MET = "met"  # target met
    NOT_MET = "not_met"  # target not met
    NO_TARGET = "no_target"  # a value, but the spec sets no target (outcome indicators)
    NO_DATA = "no_data"  # geen gegevens: nothing to measure in the period
    NOT_APPLICABLE = "not_applicable"  # a provider-wide fact, asked per product
    SUPPRESSED = "suppressed"  # small numbers: withheld from this user (R-SEC-1)

    @property
    def label(self) -> str:
        return {
            Status.MET: "norm gehaald",
            Status.NOT_MET: "norm niet gehaald",
            Status.NO_TARGET: "geen norm",
            Status.NO_DATA: NO_DATA_LABEL,
            Status.NOT_APPLICABLE: "per aanbieder",
            Status.SUPPRESSED: "niet getoond (kleine aantallen)",
        }[self]


class Level(StrEnum):
    PROVIDER = "provider"
    PRODUCT = "product"


class Kind(StrEnum):
    SHARE = "share"  # a percentage
    MONEY = "money"  # euro
    SCORE = "score"  # a mark (1-10)


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    label: str
    kind: Kind
    provider_only: bool
    target: Decimal | None  # percentage; None = no target (information)
    explanation: str


#: The indicators in display order. Codes are stable (API, export); labels are Dutch.
INDICATORS: tuple[IndicatorDefinition, ...] = (
    IndicatorDefinition(
        "plan_signed",
        "1. Plan met resultaatafspraken, getekend door kandidaat",
        Kind.SHARE,
        False,
        Decimal(100),
        "Trajecten met een in de periode goedgekeurd plan van aanpak waarin "
        "resultaatafspraken staan en dat door de kandidaat is ondertekend.",
    ),
    IndicatorDefinition(
        "progress_reports",
        "2. Voortgangsrapportages zoals afgesproken",
        Kind.SHARE,
        False,
        Decimal(100),
        "Voortgangsrapportages met een uiterste datum in de periode die op tijd zijn ingediend.",
    ),
    IndicatorDefinition(
        "within_term",
        "3. Binnen de termijn van het trajectaanbod",
        Kind.SHARE,
        False,
        Decimal(80),
        "Gestarte trajecten die in de periode eindigden op of vóór de (verlengde) geplande "
        "einddatum.",
    ),
    IndicatorDefinition(
        "evaluations",
        "4. Medewerking aan evaluaties, verbeterplan aanwezig",
        Kind.SHARE,
        True,
        Decimal(100),
        "Evaluaties die in de periode liepen waarvan het gesprek is gehouden en "
        "verbeteracties zijn vastgelegd.",
    ),
    IndicatorDefinition(
        "vog",
        "5. Professionals met een VOG",
        Kind.SHARE,
        True,
        Decimal(100),
        "Bekende medewerkers (accounts en VOG-registraties) met een VOG die geldig is op "
        "de laatste dag van de periode.",
    ),
    IndicatorDefinition(
        "complaints_procedure",
        "6. Klachtenprocedure aanwezig",
        Kind.SHARE,
        True,
        Decimal(100),
        "Een klachtenregeling als bewijsstuk, geldig op de laatste dag van de periode.",
    ),
    IndicatorDefinition(
        "quarterly_overviews",
        "7. Kwartaaloverzicht geleverd",
        Kind.SHARE,
        True,
        Decimal(100),
        "Kwartalen die in de periode eindigden waarvoor het kwartaaloverzicht (kandidaten, "
        "looptijd, activiteiten, kosten) is ontvangen.",
    ),
    IndicatorDefinition(
        "work",
        "Uitstroom naar werk",
        Kind.SHARE,
        False,
        None,
        "Gestarte trajecten die in de periode eindigden met een plaatsing in werk.",
    ),
    IndicatorDefinition(
        "werkfit",
        "Werkfit",
        Kind.SHARE,
        False,
        None,
        "Gestarte trajecten die in de periode eindigden met het resultaat werkfit.",
    ),
    IndicatorDefinition(
        "durable",
        "Duurzame plaatsing (> 6 maanden)",
        Kind.SHARE,
        False,
        None,
        "Plaatsingen uit die trajecten waarvan de duurzaamheid is vastgesteld en die "
        "duurzaam waren; nog niet te beoordelen plaatsingen tellen niet mee.",
    ),
    IndicatorDefinition(
        "cost_per_success",
        "Gemiddelde kosten per succesvolle uitkomst",
        Kind.MONEY,
        False,
        None,
        "Betaalde facturen (excl. btw, na creditnota's) van die trajecten gedeeld door het "
        "aantal dat eindigde in werk of werkfit.",
    ),
    IndicatorDefinition(
        "lead_times",
        "Doorlooptijden gehaald",
        Kind.SHARE,
        False,
        None,
        "Termijnen van de aanbieder (intake, plan, start, verlengingsaanvraag, "
        "eindrapportage, factuur) met een uiterste datum in de periode die op tijd zijn "
        "gehaald.",
    ),
    IndicatorDefinition(
        "satisfaction",
        "Klanttevredenheid",
        Kind.SCORE,
        False,
        None,
        "Gemiddeld rapportcijfer van kandidaten, als er scores zijn.",
    ),
)
INDICATOR_BY_CODE: Mapping[str, IndicatorDefinition] = MappingProxyType(
    {d.code: d for d in INDICATORS}
)
#: Short column headers for wide tables (the full label is in the header's title text).
SHORT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "plan_signed": "1. Plan getekend",
        "progress_reports": "2. Rapportages",
        "within_term": "3. Binnen termijn",
        "evaluations": "4. Evaluaties",
        "vog": "5. VOG",
        "complaints_procedure": "6. Klachten",
        "quarterly_overviews": "7. Kwartaal",
        "work": "Werk",
        "werkfit": "Werkfit",
        "durable": "Duurzaam",
        "cost_per_success": "Kosten per succes",
        "lead_times": "Doorlooptijden",
        "satisfaction": "Tevredenheid",
    }
)
PROCESS_CODES: tuple[str, ...] = tuple(d.code for d in INDICATORS[:7])
OUTCOME_CODES: tuple[str, ...] = tuple(d.code for d in INDICATORS[7:])
TARGETS: Mapping[str, Decimal] = MappingProxyType(
    {d.code: d.target for d in INDICATORS if d.target is not None}
)


@dataclass(frozen=True)
class IndicatorFacts:
    """Counts for one provider or product in one period, as the selectors deliver them.

    Provider-wide facts (evaluations, staff, complaints procedure, quarterly overviews) are
    `None` at product level. Facts add up (`+`) to totals over providers."""

    plans_approved: int = 0
    plans_signed: int = 0
    progress_reports_due: int = 0
    progress_reports_on_time: int = 0
    ended_with_term: int = 0
    ended_within_term: int = 0
    ended: int = 0
    in_work: int = 0
    werkfit: int = 0
    successful: int = 0
    placements_decided: int = 0
    placements_durable: int = 0
    cost_paid: Decimal = Decimal("0.00")
    invoices_paid: int = 0
    lead_times_due: int = 0
    lead_times_on_time: int = 0
    satisfaction_count: int = 0
    satisfaction_sum: Decimal = Decimal(0)
    evaluations: int | None = None
    evaluations_cooperated: int | None = None
    staff: int | None = None
    staff_with_vog: int | None = None
    complaints_procedure: bool | None = None
    quarters_due: int | None = None
    quarterly_overviews: int | None = None

    def __add__(self, other: IndicatorFacts) -> IndicatorFacts:
        values: dict[str, object] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if f.name == "complaints_procedure":
                # A total over providers counts providers with a procedure: see `compute`.
                values[f.name] = None
            elif a is None or b is None:
                values[f.name] = b if a is None else a
            else:
                values[f.name] = a + b
        return IndicatorFacts(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    label: str
    kind: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None  # percentage (share), euro (money) or mark (score); None = no data
    target: Decimal | None
    status: Status
    explanation: str
    #: Set when the result is withheld (small numbers): the threshold, e.g. 5 for "< 5".
    suppressed_below: int | None = None

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def display(self) -> str:
        """The value as a Dutch text: '87,5%', '€ 1.234,50', '7,8' or 'geen gegevens'."""
        if self.status == Status.NOT_APPLICABLE:
            return "per aanbieder"
        if self.status == Status.SUPPRESSED and self.suppressed_below is not None:
            return marker(self.suppressed_below)
        if self.value is None:
            return NO_DATA_LABEL
        if self.kind == Kind.MONEY:
            return format_euro(self.value)
        text = format_number(self.value, 1)
        return f"{text}%" if self.kind == Kind.SHARE else text


def share(numerator: int, denominator: int) -> Decimal | None:
    """The percentage numerator / denominator, one decimal half-up; None when the
    denominator is zero (no data, never 0% or 100%)."""
    if denominator < 0 or numerator < 0 or numerator > denominator:
        raise ValueError(f"Ongeldige telling {numerator} van {denominator}.")
    if denominator == 0:
        return None
    return round_half_up(Decimal(numerator) * 100 / Decimal(denominator), 1)


def _share_result(
    definition: IndicatorDefinition,
    numerator: int | None,
    denominator: int | None,
    targets: Mapping[str, Decimal],
) -> IndicatorResult:
    target = targets.get(definition.code) if definition.target is not None else None
    if numerator is None or denominator is None:
        return _result(definition, None, None, None, target, Status.NOT_APPLICABLE)
    value = share(numerator, denominator)
    if value is None:
        status = Status.NO_DATA
    elif target is None:
        status = Status.NO_TARGET
    else:
        # Exact comparison: numerator / denominator >= target / 100.
        met = Decimal(numerator) * 100 >= target * Decimal(denominator)
        status = Status.MET if met else Status.NOT_MET
    return _result(definition, numerator, denominator, value, target, status)


def _result(
    definition: IndicatorDefinition,
    numerator: int | None,
    denominator: int | None,
    value: Decimal | None,
    target: Decimal | None,
    status: Status,
) -> IndicatorResult:
    """A result under its definition's code, label, kind and explanation."""
    return IndicatorResult(
        definition.code,
        definition.label,
        definition.kind,
        numerator,
        denominator,
        value,
        target,
        status,
        definition.explanation,
    )


def _value_result(
    definition: IndicatorDefinition, value: Decimal | None, numerator: int, denominator: int
) -> IndicatorResult:
    status = Status.NO_DATA if value is None else Status.NO_TARGET
    return _result(definition, numerator, denominator, value, None, status)


def compute(
    facts: IndicatorFacts,
    *,
    providers_with_complaints_procedure: tuple[int, int] | None = None,
    targets: Mapping[str, Decimal] = TARGETS,
) -> tuple[IndicatorResult, ...]:
    """All indicators (R-PI-1) for one provider, product or total, in display order.

    `providers_with_complaints_procedure` = (with procedure, providers) for a total over
    several providers; for one provider indicator 6 comes from `facts.complaints_procedure`.
    """
    d = INDICATOR_BY_CODE
    if providers_with_complaints_procedure is not None:
        complaints_num, complaints_den = providers_with_complaints_procedure
    elif facts.complaints_procedure is None:
        complaints_num = complaints_den = None  # type: ignore[assignment]
    else:
        complaints_num, complaints_den = int(facts.complaints_procedure), 1
    cost: Decimal | None = None
    if facts.successful > 0 and facts.invoices_paid > 0:
        cost = round_half_up(facts.cost_paid / facts.successful, 2)
    satisfaction: Decimal | None = None
    if facts.satisfaction_count > 0:
        satisfaction = round_half_up(facts.satisfaction_sum / facts.satisfaction_count, 1)
    return (
        _share_result(d["plan_signed"], facts.plans_signed, facts.plans_approved, targets),
        _share_result(
            d["progress_reports"],
            facts.progress_reports_on_time,
            facts.progress_reports_due,
            targets,
        ),
        _share_result(d["within_term"], facts.ended_within_term, facts.ended_with_term, targets),
        _share_result(d["evaluations"], facts.evaluations_cooperated, facts.evaluations, targets),
        _share_result(d["vog"], facts.staff_with_vog, facts.staff, targets),
        _share_result(d["complaints_procedure"], complaints_num, complaints_den, targets),
        _share_result(
            d["quarterly_overviews"], facts.quarterly_overviews, facts.quarters_due, targets
        ),
        _share_result(d["work"], facts.in_work, facts.ended, targets),
        _share_result(d["werkfit"], facts.werkfit, facts.ended, targets),
        _share_result(d["durable"], facts.placements_durable, facts.placements_decided, targets),
        _value_result(d["cost_per_success"], cost, facts.successful, facts.ended),
        _share_result(d["lead_times"], facts.lead_times_on_time, facts.lead_times_due, targets),
        _value_result(d["satisfaction"], satisfaction, facts.satisfaction_count, 0),
    )


# --- Small numbers (R-SEC-1) ----------------------------------------------------------------

#: The indicators that count clients (trajectories, due dates of trajectories, answers of
#: residents). The provider-wide facts (evaluations, staff, complaints procedure, quarterly
#: overviews) count no clients.
CLIENT_BASED: frozenset[str] = frozenset(
    {
        "plan_signed",
        "progress_reports",
        "within_term",
        "work",
        "werkfit",
        "durable",
        "cost_per_success",
        "lead_times",
        "satisfaction",
    }
)


def withheld(result: IndicatorResult, threshold: int) -> IndicatorResult:
    """`result` with its counts, value and verdict withheld: shown as "< threshold"."""
    return replace(
        result,
        numerator=None,
        denominator=None,
        value=None,
        status=Status.SUPPRESSED,
        suppressed_below=threshold,
    )


def suppress_small_numbers(
    rows: Sequence[Sequence[IndicatorResult]], threshold: int | None, *, additive: bool
) -> list[tuple[IndicatorResult, ...]]:
    """The results of each row (a provider or product; every row in `compute`'s order) with
    each client-based result withheld whose numerator or denominator is 1 … threshold-1.
    `additive`: the rows add up to a total that is shown, so a single withheld row in a
    column gets a second one (the smallest other non-zero). `threshold` None: nothing hidden
    (the user may see every client behind the numbers)."""
    out = [list(row) for row in rows]
    if threshold is None or not out:
        return [tuple(row) for row in out]
    for index, first in enumerate(out[0]):
        if first.code not in CLIENT_BASED:
            continue
        column = [row[index] for row in out]
        if any(result.code != first.code for result in column):
            raise ValueError("Rijen met indicatoren in verschillende volgorde.")
        by_n = suppressed_cells([r.numerator for r in column], threshold, additive=additive)
        by_d = suppressed_cells([r.denominator for r in column], threshold, additive=additive)
        for position, (small_n, small_d) in enumerate(zip(by_n, by_d, strict=True)):
            if small_n or small_d:
                out[position][index] = withheld(column[position], threshold)
    return [tuple(row) for row in out]


# --- Periods and quarters -------------------------------------------------------------------


class PeriodError(InvalidInputError, ValueError):
    """An invalid period, with a Dutch message for the user."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


#: A comparison over more than this many days is refused (the queries stay bounded).
MAX_PERIOD_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    """A period of calendar days, both ends inclusive."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("De einddatum ligt vóór de begindatum.", field="to")
        if (self.end - self.start).days > MAX_PERIOD_DAYS:
            raise PeriodError("Kies een periode van hoogstens vijf jaar.", field="from")

    @classmethod
    def last_twelve_months(cls, today: dt.date) -> Period:
        """The default: the twelve months up to and including `today`."""
        try:
            start = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - 1, day=28)
        return cls(start + dt.timedelta(days=1), today)

    def measured_until(self, today: dt.date) -> dt.date:
        """Due dates after today cannot have been missed yet: count up to today at most."""
        return min(self.end, today)


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    next_first = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return next_first - dt.timedelta(days=1)


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, quarter * 3 - 2, 1)


def quarters_due(period: Period, *, today: dt.date) -> tuple[tuple[int, int], ...]:
    """(year, quarter) of each calendar quarter whose last day lies in the period and before
    `today` (R-PI-1 item 7). The selector keeps only the quarters in which the provider had
    candidates: without candidates there is nothing to report."""
    until = period.measured_until(today)
    result = []
    for year in range(period.start.year, until.year + 1):
        for quarter in (1, 2, 3, 4):
            last = quarter_end(year, quarter)
            if period.start <= last <= until and last < today:
                result.append((year, quarter))
    return tuple(result)
