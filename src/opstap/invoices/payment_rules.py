"""Payment rules of trajectories (spec section 5, R-BILL-1 .. R-BILL-7, R-BILL-10, R-NET-7).

Given the facts of one trajectory on a given day, :func:`assess` says which milestones can be
invoiced now (kind, period, amount excl. VAT, VAT, amount incl. VAT) and, for everything else,
why not (a stable reason code plus a Dutch text). :func:`check_claim` matches an incoming
invoice against that assessment (green / orange / red) and :func:`find_duplicates` detects
duplicate claims (R-BILL-10).

Payment schedule per product code (R-BILL-1):

=====  ==========================  =====================================================
code   kind                        invoiceable milestones
=====  ==========================  =====================================================
1      < 3 months, fixed price     0% at start, 100% after the final report
2      < 3 months, variable price  same as code 1
3      > 3 months, fixed price     50% after plan approval, 50% after the final report
4      > 3 months, variable price  same as code 3
5      jobcoaching, hourly         each quarter in arrears: hours x rate, rate capped at
                                   the ceiling (R-NET-7) valid on the day worked (R-BILL-7)
=====  ==========================  =====================================================

Decisions a reader might question (see also ``docs/payment-rules.md``):

* Jobcoaching quarters are 3-month periods counted from the trajectory's start date (not
  calendar quarters); the last one ends at the actual end date. A quarter is invoiceable from
  the day after it ended.
* After an early termination (R-BILL-5) the fixed milestones that were not yet invoiced are
  superseded by one settlement milestone: pro-rata amount minus everything already invoiced for
  the trajectory. So the trajectory never costs more than the pro-rata amount (or what was
  already paid) and never more than its price. A case manager's adjustment is capped at what
  is left of the price.
* A placement "directly after" the trajectory (R-BILL-6) starts at most
  :data:`PLACEMENT_DIRECTLY_AFTER_DAYS` days after the trajectory ended.
* ``already_invoiced`` holds amounts net of credit notes (R-BILL-8).
* Price terms are explicit (:class:`PriceTerms`; a trajectory stores them as decided in
  ``trajectories/price_terms.py``): codes 1-4 read ``price`` (fixed
  price: the product's price on the order date, or the approved quote for codes 2 and 4); code
  5 reads ``hourly_rate`` with optional ``agreed_hours`` and ``budget_cap``. Hours beyond the
  agreed hours and money beyond the cap are not paid (note ``uren_boven_afspraak`` /
  ``budget_bereikt``). The intake fee (R-BILL-4) pays at most 5 hours at the hourly rate, or
  at the ceiling valid on the intake day when the trajectory has no hourly rate.
* The placement fee (R-BILL-6) reads the client's hour restriction valid on the placement date
  from the client's record; what the claimant typed never decides.

Pure module: no ORM, frozen dataclasses, Decimal money (rounded only in :mod:`.money`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import IntEnum, StrEnum

from opstap.core.dutch import format_number
from opstap.core.errors import InvalidInputError
from opstap.core.money import format_euro
from opstap.core.price_terms import PriceBasis as PriceBasis  # re-exported: the rules read it
from opstap.core.price_terms import PriceTerms as PriceTerms
from opstap.core.price_terms import PriceTermsError
from opstap.invoices.money import (
    DEFAULT_VAT_RATES,
    ZERO,
    VatCode,
    VatLine,
    VatRate,
    sum_lines,
    to_cents,
    vat_line,
    vat_percentage_on,
)

# --------------------------------------------------------------------------------------------
# Constants from the contract (spec section 5, R-NET-7, R-TRJ-3)
# --------------------------------------------------------------------------------------------

#: R-NET-7: EUR 80.00 excl. VAT per hour on 2021-10-01, indexed each 1 January (reference data).
DEFAULT_CEILING_RATES: tuple[tuple[date, Decimal], ...] = ((date(2021, 10, 1), Decimal("80.00")),)
#: R-BILL-3: a free introduction lasts at most 1 hour.
KLIKGESPREK_MAX_HOURS = Decimal(1)
#: R-BILL-4: at most 5 hours after a targeted intake without start.
INTAKE_MAX_HOURS = Decimal(5)
#: R-BILL-6: one-off placement fee, not indexed.
PLACEMENT_FEE = Decimal("500.00")
PLACEMENT_MIN_CONTRACT_MONTHS = 6
PLACEMENT_MIN_HOURS_PER_WEEK = Decimal(24)
PLACEMENT_CLAIM_DAYS = 30
#: Assumption (documented): "directly after the trajectory" = start within 30 days of its end.
PLACEMENT_DIRECTLY_AFTER_DAYS = 30
#: R-TRJ-3: invoice at the latest 30 days after the end of the trajectory.
INVOICE_DEADLINE_DAYS = 30
#: R-BILL-1 codes 3/4: share invoiceable after plan approval.
PLAN_APPROVAL_SHARE = Decimal("0.5")
QUARTER_MONTHS = 3
#: A logbook line is one day's work: more hours than a day has is a typing error (R-SEC-6).
HOURS_IN_A_DAY = 24


def _hours(hours: Decimal) -> str:
    """Hours in Dutch: `10` or `10,50` (issue 14: never `10.50`)."""
    return format_number(hours, 0 if hours == hours.to_integral_value() else 2)


class PaymentRuleError(InvalidInputError, ValueError):
    """Input the payment rules refuse to guess about; the message is Dutch."""


# --------------------------------------------------------------------------------------------
# Enumerations
# --------------------------------------------------------------------------------------------


class ProductCode(IntEnum):
    """Payment regime of a product (R-BILL-1)."""

    SHORT_FIXED = 1
    SHORT_VARIABLE = 2
    LONG_FIXED = 3
    LONG_VARIABLE = 4
    JOBCOACHING = 5


FIXED_PRICE_CODES = frozenset(
    {
        ProductCode.SHORT_FIXED,
        ProductCode.SHORT_VARIABLE,
        ProductCode.LONG_FIXED,
        ProductCode.LONG_VARIABLE,
    }
)
#: R-BILL-2: for trajectories longer than 3 months the invoice states the period invoiced.
PERIOD_REQUIRED_CODES = frozenset(
    {ProductCode.LONG_FIXED, ProductCode.LONG_VARIABLE, ProductCode.JOBCOACHING}
)


class EndReason(StrEnum):
    """How a trajectory ended (R-TRJ-2)."""

    COMPLETED = "completed"
    TERMINATED_EARLY = "terminated_early"
    NOT_STARTED_AFTER_KLIKGESPREK = "not_started_after_klikgesprek"
    NOT_STARTED_AFTER_INTAKE = "not_started_after_intake"


class TerminationReason(StrEnum):
    """Sub-reason of an early termination (R-BILL-5)."""

    MOVE = "move"
    DROP_OUT = "drop_out"
    ACCEPTED_JOB = "accepted_job"
    OUTSIDE_PROVIDER_CONTROL = "outside_provider_control"


class MilestoneKind(StrEnum):
    """What an invoice (line) is for."""

    KLIKGESPREK = "klikgesprek"  # never invoiceable (R-BILL-3)
    PLAN_APPROVED = "plan_approved"  # codes 3/4: 50%
    FINAL_REPORT = "final_report"  # codes 1-4: the rest of the price
    JOBCOACHING_QUARTER = "jobcoaching_quarter"  # code 5, per quarter in arrears
    INTAKE_FEE = "intake_fee"  # R-BILL-4
    EARLY_TERMINATION = "early_termination"  # R-BILL-5 settlement
    PLACEMENT_FEE = "placement_fee"  # R-BILL-6


MILESTONE_LABELS_NL: dict[MilestoneKind, str] = {
    MilestoneKind.KLIKGESPREK: "Klikgesprek",
    MilestoneKind.PLAN_APPROVED: "Goedgekeurd plan van aanpak (50%)",
    MilestoneKind.FINAL_REPORT: "Eindrapportage",
    MilestoneKind.JOBCOACHING_QUARTER: "Jobcoaching per kwartaal",
    MilestoneKind.INTAKE_FEE: "Vergoeding intake",
    MilestoneKind.EARLY_TERMINATION: "Voortijdige beëindiging (naar rato)",
    MilestoneKind.PLACEMENT_FEE: "Bemiddelingsfee",
}

#: Milestones that make up the trajectory price (what R-BILL-5 subtracts as "already invoiced").
PRICE_MILESTONES = frozenset(
    {MilestoneKind.PLAN_APPROVED, MilestoneKind.FINAL_REPORT, MilestoneKind.EARLY_TERMINATION}
)
#: Milestones identified by a period or reference date besides their kind.
PERIODIC_MILESTONES = frozenset({MilestoneKind.JOBCOACHING_QUARTER, MilestoneKind.PLACEMENT_FEE})


class ReasonCode(StrEnum):
    """Stable reason codes (documented in docs/payment-rules.md); never rename a value."""

    KLIKGESPREK_FREE = "klikgesprek_gratis"
    NOT_STARTED = "niet_gestart"
    NOT_ENDED = "traject_loopt_nog"
    PLAN_NOT_APPROVED = "plan_niet_goedgekeurd"
    FINAL_REPORT_MISSING = "eindrapportage_ontbreekt"
    SUPERSEDED_BY_TERMINATION = "vervangen_door_naar_rato"
    TERMINATION_REASON_MISSING = "beeindigingsreden_ontbreekt"
    NOT_REPORTED_ON_TIME = "niet_tijdig_gerapporteerd"
    HANDOVER_MISSING = "warme_overdracht_ontbreekt"
    NOMINAL_DURATION_UNKNOWN = "looptijd_onbekend"
    NOTHING_LEFT = "niets_meer_te_factureren"
    ADJUSTMENT_CAPPED = "aanpassing_afgetopt"
    ADJUSTED = "aangepast_door_klantmanager"
    NON_START_REPORT_MISSING = "terugmelding_ontbreekt"
    INTAKE_HOURS_CAPPED = "intake_uren_afgetopt"
    NO_HOURLY_RATE = "geen_uurtarief"
    RATE_CAPPED = "uurtarief_afgetopt"
    HOURS_ABOVE_AGREED = "uren_boven_afspraak"
    BUDGET_REACHED = "budget_bereikt"
    QUARTER_NOT_ENDED = "kwartaal_niet_verstreken"
    NO_HOURS = "geen_uren"
    HOURS_OUTSIDE_TRAJECTORY = "uren_buiten_traject"
    PERIOD_OUTSIDE_TRAJECTORY = "periode_buiten_traject"
    HOURS_OUTSIDE_PERIOD = "uren_buiten_kwartaal"
    PLACEMENT_NOT_CONNECTED = "plaatsing_niet_aansluitend"
    PLACEMENT_TOO_SHORT = "plaatsing_te_kort"
    PLACEMENT_TOO_FEW_HOURS = "plaatsing_te_weinig_uren"
    PROBATION_RUNNING = "proeftijd_loopt"
    PROBATION_FAILED = "proeftijd_niet_doorlopen"
    CONTRACT_MISSING = "arbeidscontract_ontbreekt"
    PLACEMENT_CLAIM_LATE = "bemiddelingsfee_te_laat"
    DUPLICATE = "dubbel"
    # claim checks (R-BILL-2, R-TRJ-3)
    NO_MATCHING_MILESTONE = "geen_passende_mijlpaal"
    AMOUNT_ABOVE_ALLOWED = "bedrag_te_hoog"
    AMOUNT_BELOW_ALLOWED = "bedrag_lager_dan_toegestaan"
    AMOUNTS_INCONSISTENT = "bedragen_kloppen_niet"
    VAT_DIFFERS = "btw_wijkt_af"
    FIELD_MISSING = "verplicht_veld_ontbreekt"
    PERIOD_MISSING = "periode_ontbreekt"
    INVOICE_LATE = "factuur_te_laat"
    # checks of the stored invoice (services, R-BILL-2, R-NET-7)
    CLIENT_MISMATCH = "klantgegevens_wijken_af"
    RATE_ABOVE_CEILING = "uurtarief_boven_plafond"
    LINES_INCONSISTENT = "regels_kloppen_niet"


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason code with its Dutch explanation."""

    code: ReasonCode
    message: str


# --------------------------------------------------------------------------------------------
# Facts (input)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A closed date range (both days included)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PaymentRuleError(
                f"Periode eindigt ({self.end.isoformat()}) vóór het begin "
                f"({self.start.isoformat()})."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def label_nl(self) -> str:
        return f"{self.start:%d-%m-%Y} t/m {self.end:%d-%m-%Y}"


@dataclass(frozen=True, slots=True)
class HoursEntry:
    """One logbook line of jobcoaching: hours worked on a day (R-BILL-7)."""

    worked_on: date
    hours: Decimal

    def __post_init__(self) -> None:
        if self.hours < 0:
            raise PaymentRuleError(
                f"Aantal uren op {self.worked_on:%d-%m-%Y} kan niet negatief zijn ({self.hours})."
            )
        if self.hours > HOURS_IN_A_DAY:
            raise PaymentRuleError(
                f"Op {self.worked_on:%d-%m-%Y} staan {_hours(self.hours)} uur; een dag heeft er "
                f"{HOURS_IN_A_DAY}."
            )


def logbook_day_problem(entries: Iterable[HoursEntry]) -> str | None:
    """R-BILL-7, R-SEC-6: a day has 24 hours however many logbook lines give it hours (two
    lines of 20 hours on one day passed the check of each line). The Dutch refusal of the
    first day with more, or None."""
    totals: dict[date, Decimal] = {}
    for entry in entries:
        totals[entry.worked_on] = totals.get(entry.worked_on, ZERO) + entry.hours
    for day, total in sorted(totals.items()):
        if total > HOURS_IN_A_DAY:
            return (
                f"Op {day:%d-%m-%Y} staan in totaal {_hours(total)} uur (over meerdere regels); "
                f"een dag heeft er {HOURS_IN_A_DAY}."
            )
    return None


@dataclass(frozen=True, slots=True)
class PlacementFacts:
    """A placement in paid work (R-BILL-6). ``contract_months`` None = permanent contract."""

    start: date
    contract_months: int | None
    hours_per_week: Decimal
    probation_end: date | None = None
    #: the client's hour restriction valid on ``start`` per the client's record (never typed)
    client_hour_restriction: Decimal | None = None
    contract_received: bool = True
    ended_during_probation: bool = False


@dataclass(frozen=True, slots=True)
class InvoicedAmount:
    """What was already invoiced (net of credit notes) for a milestone (and period)."""

    kind: MilestoneKind
    amount_excl: Decimal
    period_start: date | None = None
    #: jobcoaching hours paid by it (counts towards the agreed hours)
    hours: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A case manager's adjustment of the pro-rata proposal (R-BILL-5); a reason is mandatory."""

    amount_excl: Decimal
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise PaymentRuleError("Een aanpassing van het bedrag vraagt altijd een reden.")
        if self.amount_excl < 0:
            raise PaymentRuleError("Een aangepast bedrag kan niet negatief zijn.")


@dataclass(frozen=True, slots=True)
class TrajectoryFacts:
    """Everything the payment rules need to know about one trajectory."""

    product_code: ProductCode
    order_date: date
    #: price terms (see module docstring): fixed price excl. VAT for codes 1-4 ...
    price: Decimal | None = None
    #: ... or, for code 5, the agreed hourly rate with optional agreed hours / budget cap
    hourly_rate: Decimal | None = None
    agreed_hours: Decimal | None = None
    budget_cap: Decimal | None = None
    vat_code: str = VatCode.HIGH
    intake_date: date | None = None
    plan_approved_on: date | None = None
    start_date: date | None = None
    planned_end_date: date | None = None
    actual_end_date: date | None = None
    end_reason: EndReason | None = None
    termination_reason: TerminationReason | None = None
    termination_adjustment: Adjustment | None = None
    final_report_on: date | None = None
    #: R-BILL-4: the provider's report (organisation's format) that the candidate won't start
    non_start_report_on: date | None = None
    intake_hours: Decimal | None = None
    handover_done: bool = False
    reported_on_time: bool = False
    jobcoaching_hours: tuple[HoursEntry, ...] = ()
    placements: tuple[PlacementFacts, ...] = ()
    already_invoiced: tuple[InvoicedAmount, ...] = ()
    #: R-TRJ-3: the last day to invoice, the trajectory's invoice deadline (30 days after the
    #: end, rolled to a working day by the Atw, `deadlines.DeadlineKind.INVOICE`); None: the
    #: end date + 30 calendar days
    invoice_due_on: date | None = None

    def __post_init__(self) -> None:
        for label, value in (
            ("prijs", self.price),
            ("uurtarief", self.hourly_rate),
            ("afgesproken uren", self.agreed_hours),
            ("budgetplafond", self.budget_cap),
            ("intake-uren", self.intake_hours),
        ):
            if value is not None and value < 0:
                raise PaymentRuleError(f"De {label} kan niet negatief zijn ({value}).")


@dataclass(frozen=True, slots=True)
class RulesContext:
    """Reference data: hourly-rate ceilings (R-NET-7) and VAT rates (R-BILL-11) by date."""

    ceiling_rates: tuple[tuple[date, Decimal], ...] = DEFAULT_CEILING_RATES
    vat_rates: tuple[VatRate, ...] = DEFAULT_VAT_RATES


def ceiling_on(ceiling_rates: Iterable[tuple[date, Decimal]], day: date) -> Decimal:
    """The hourly-rate ceiling valid on ``day`` (R-NET-7)."""
    best: tuple[date, Decimal] | None = None
    for valid_from, rate in ceiling_rates:
        if valid_from <= day and (best is None or valid_from > best[0]):
            best = (valid_from, rate)
    if best is None:
        raise PaymentRuleError(f"Geen plafondtarief bekend op {day:%d-%m-%Y}.")
    return best[1]


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's length (31 Jan + 1 -> end of Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: The price terms are the foundation's (`core.price_terms`), shared with the trajectory
#: that stores them; a contradiction raises its `PriceTermsError` (a ValueError with a Dutch
#: message and the field).
PriceTermsInvalidError = PriceTermsError


class EventKind(StrEnum):
    """Dated facts of a trajectory that the payment rules read (the trajectory's history)."""

    ORDERED = "ordered"
    INTAKE = "intake"  # the (targeted) intake was held on this day
    PLAN_APPROVED = "plan_approved"
    STARTED = "started"  # with the planned end date
    EXTENDED = "extended"  # a new planned end date
    COMPLETED = "completed"
    TERMINATED_EARLY = "terminated_early"  # with the termination reason
    NOT_STARTED_AFTER_KLIKGESPREK = "not_started_after_klikgesprek"
    NOT_STARTED_AFTER_INTAKE = "not_started_after_intake"
    FINAL_REPORT = "final_report"  # final report (or non-start report) received
    HANDED_OVER = "handed_over"


_END_EVENTS: dict[EventKind, EndReason] = {
    EventKind.COMPLETED: EndReason.COMPLETED,
    EventKind.TERMINATED_EARLY: EndReason.TERMINATED_EARLY,
    EventKind.NOT_STARTED_AFTER_KLIKGESPREK: EndReason.NOT_STARTED_AFTER_KLIKGESPREK,
    EventKind.NOT_STARTED_AFTER_INTAKE: EndReason.NOT_STARTED_AFTER_INTAKE,
}


@dataclass(frozen=True, slots=True)
class DatedEvent:
    """One dated fact; ``planned_end`` for started/extended, ``termination_reason`` for an
    early termination."""

    kind: EventKind
    on: date
    planned_end: date | None = None
    termination_reason: TerminationReason | None = None


def facts_from_events(
    *,
    product_code: ProductCode,
    terms: PriceTerms,
    events: Sequence[DatedEvent],
    logbook: Sequence[HoursEntry] = (),
    already_invoiced: Sequence[InvoicedAmount] = (),
    placements: Sequence[PlacementFacts] = (),
    vat_code: str = VatCode.HIGH,
    reported_on_time: bool = False,
    adjustment: Adjustment | None = None,
    invoice_due_on: date | None = None,
) -> TrajectoryFacts:
    """The facts of one trajectory from its price terms and dated history. The invoice check
    (``invoices.services.trajectory_facts``) and ``POST /api/v1/payment-rules/_evaluate`` both
    build their facts here, so both give the same answer for the same facts.

    When a kind occurs more than once the latest day counts (an extension moves the planned
    end); a trajectory has at most one end. Refuses (``PaymentRuleError``) a history without
    an order, with two different ends, or with an end before the start."""
    by_kind: dict[EventKind, DatedEvent] = {}
    for event in sorted(events, key=lambda e: e.on):
        by_kind[event.kind] = event
    ordered = by_kind.get(EventKind.ORDERED)
    if ordered is None:
        raise PaymentRuleError("De besteldatum (gebeurtenis 'ordered') ontbreekt.")
    ends = [by_kind[k] for k in _END_EVENTS if k in by_kind]
    if len(ends) > 1:
        raise PaymentRuleError("Een traject heeft één einde; er zijn er meerdere opgegeven.")
    end = ends[0] if ends else None
    started = by_kind.get(EventKind.STARTED)
    planned_end = started.planned_end if started is not None else None
    if (extended := by_kind.get(EventKind.EXTENDED)) is not None and extended.planned_end:
        planned_end = extended.planned_end
    if started is not None and end is not None and end.on < started.on:
        raise PaymentRuleError("Het traject eindigt vóór de start.")
    end_reason = _END_EVENTS[end.kind] if end is not None else None
    final_report = by_kind.get(EventKind.FINAL_REPORT)
    final_report_on = final_report.on if final_report is not None else None
    hourly = terms.basis is PriceBasis.HOURLY
    jobcoaching = product_code is ProductCode.JOBCOACHING

    def on(kind: EventKind) -> date | None:
        event = by_kind.get(kind)
        return event.on if event is not None else None

    return TrajectoryFacts(
        product_code=product_code,
        order_date=ordered.on,
        price=None if hourly else terms.price,
        hourly_rate=terms.hourly_rate if hourly else None,
        agreed_hours=terms.agreed_hours if hourly else None,
        budget_cap=terms.budget_cap if hourly else None,
        vat_code=vat_code,
        intake_date=on(EventKind.INTAKE),
        plan_approved_on=on(EventKind.PLAN_APPROVED),
        start_date=started.on if started is not None else None,
        planned_end_date=planned_end,
        actual_end_date=end.on if end is not None else None,
        end_reason=end_reason,
        termination_reason=end.termination_reason if end is not None else None,
        termination_adjustment=adjustment,
        final_report_on=final_report_on,
        # R-TRJ-6: for a non-start the final report is the feedback in the organisation's format.
        non_start_report_on=final_report_on
        if end_reason is EndReason.NOT_STARTED_AFTER_INTAKE
        else None,
        intake_hours=sum((h.hours for h in logbook), ZERO) if logbook else None,
        handover_done=EventKind.HANDED_OVER in by_kind,
        reported_on_time=reported_on_time,
        jobcoaching_hours=tuple(logbook) if jobcoaching else (),
        placements=tuple(placements),
        already_invoiced=tuple(already_invoiced),
        invoice_due_on=invoice_due_on,
    )


# --------------------------------------------------------------------------------------------
# Result (output)
# --------------------------------------------------------------------------------------------


def _key(kind: MilestoneKind, period_start: date | None) -> tuple[MilestoneKind, date | None]:
    """Identity of a milestone: its kind, plus the period start for periodic milestones."""
    return (kind, period_start if kind in PERIODIC_MILESTONES else None)


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One line of a milestone: description, rounded amounts with the VAT of its date."""

    description: str
    vat_code: str
    amounts: VatLine


@dataclass(frozen=True, slots=True)
class Milestone:
    """An invoiceable milestone with its allowed amount."""

    kind: MilestoneKind
    period: Period | None
    lines: tuple[InvoiceLine, ...]
    notes: tuple[Reason, ...] = ()

    @property
    def amount_excl(self) -> Decimal:
        return sum_lines([line.amounts for line in self.lines]).excl

    @property
    def vat(self) -> Decimal:
        return sum_lines([line.amounts for line in self.lines]).vat

    @property
    def amount_incl(self) -> Decimal:
        return sum_lines([line.amounts for line in self.lines]).incl

    @property
    def key(self) -> tuple[MilestoneKind, date | None]:
        return _key(self.kind, self.period.start if self.period else None)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A milestone that is not invoiceable (now), with every reason why."""

    kind: MilestoneKind
    period: Period | None
    reasons: tuple[Reason, ...]

    @property
    def code(self) -> ReasonCode:
        return self.reasons[0].code

    @property
    def key(self) -> tuple[MilestoneKind, date | None]:
        return _key(self.kind, self.period.start if self.period else None)


@dataclass(frozen=True, slots=True)
class Assessment:
    """What can be invoiced on ``as_of`` and what cannot."""

    as_of: date
    invoiceable: tuple[Milestone, ...]
    refused: tuple[Refusal, ...]

    @property
    def total_excl(self) -> Decimal:
        return sum((m.amount_excl for m in self.invoiceable), ZERO)

    def find(self, kind: MilestoneKind, period_start: date | None = None) -> Milestone | None:
        key = _key(kind, period_start)
        return next((m for m in self.invoiceable if m.key == key), None)

    def refusal(self, kind: MilestoneKind, period_start: date | None = None) -> Refusal | None:
        key = _key(kind, period_start)
        return next((r for r in self.refused if r.key == key), None)


# --------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------


class _Builder:
    """Collects milestones and refusals for one assessment."""

    def __init__(self, facts: TrajectoryFacts, ctx: RulesContext, as_of: date) -> None:
        self.facts = facts
        self.ctx = ctx
        self.as_of = as_of
        self.invoiceable: list[Milestone] = []
        self.refused: list[Refusal] = []

    def refuse(self, kind: MilestoneKind, *reasons: Reason, period: Period | None = None) -> None:
        self.refused.append(Refusal(kind=kind, period=period, reasons=tuple(reasons)))

    def line(self, description: str, amount_excl: Decimal, on: date) -> InvoiceLine:
        percentage = vat_percentage_on(self.ctx.vat_rates, self.facts.vat_code, on)
        return InvoiceLine(
            description=description,
            vat_code=self.facts.vat_code,
            amounts=vat_line(amount_excl, percentage),
        )

    def offer(self, milestone: Milestone) -> None:
        """Add a milestone unless it was invoiced before (R-BILL-10: never twice)."""
        if _already_invoiced(self.facts, milestone.kind, milestone.period):
            self.refuse(
                milestone.kind,
                Reason(
                    ReasonCode.DUPLICATE,
                    f"{MILESTONE_LABELS_NL[milestone.kind]} is al gefactureerd.",
                ),
                period=milestone.period,
            )
        else:
            self.invoiceable.append(milestone)


def held_duplicate_reason(
    *, original_number: str, original_received: date, original_refusals: Sequence[str] = ()
) -> Reason:
    """R-BILL-10: why a claim is held as a duplicate of the earlier invoice
    `original_number`. When that invoice is still open with a red verdict (`original_refusals`,
    its reasons: e.g. a quarter invoiced before it ended), the provider is told that it is
    that invoice which blocks this one, why it was not approved and what to do; the hold read
    "al gedeclareerd" only, as if the claim had been paid."""
    if not original_refusals:
        return Reason(
            ReasonCode.DUPLICATE,
            f"Dubbel: dezelfde mijlpaal (of hetzelfde factuurnummer) is al gedeclareerd met "
            f"factuur {original_number}; aangehouden, nooit dubbel betaald.",
        )
    why = " ".join(original_refusals)
    return Reason(
        ReasonCode.DUPLICATE,
        f"Aangehouden: factuur {original_number} (ontvangen {original_received:%d-%m-%Y}) is "
        "voor dezelfde mijlpaal en periode en staat nog open, maar wordt niet betaald: "
        f"{why} Zolang factuur {original_number} openstaat, wordt deze factuur niet betaald "
        "(nooit dubbel). Wat u kunt doen: vraag de administratie factuur "
        f"{original_number} af te wijzen; daarna kan zij deze factuur opnieuw controleren en "
        "vrijgeven. U hoeft niet opnieuw te factureren.",
    )


def _already_invoiced(facts: TrajectoryFacts, kind: MilestoneKind, period: Period | None) -> bool:
    key = _key(kind, period.start if period is not None else None)
    return any(_key(item.kind, item.period_start) == key for item in facts.already_invoiced)


def invoiced_for_price(facts: TrajectoryFacts) -> Decimal:
    """What was already invoiced towards the trajectory price (R-BILL-5), net of credits."""
    return sum(
        (item.amount_excl for item in facts.already_invoiced if item.kind in PRICE_MILESTONES),
        ZERO,
    )


def assess(facts: TrajectoryFacts, ctx: RulesContext, *, as_of: date) -> Assessment:
    """Invoiceable milestones and refusals of a trajectory on ``as_of`` (R-BILL-1 .. R-BILL-7)."""
    builder = _Builder(facts, ctx, as_of)
    # An end recorded with a date in the future does not count yet.
    ended = facts.actual_end_date
    reason = facts.end_reason if ended is None or ended <= as_of else None

    if reason is EndReason.NOT_STARTED_AFTER_KLIKGESPREK:
        _klikgesprek(builder)
    elif reason is EndReason.NOT_STARTED_AFTER_INTAKE:
        _intake_fee(builder)
    elif facts.product_code in FIXED_PRICE_CODES:
        if reason is EndReason.TERMINATED_EARLY:
            _early_termination(builder)
        else:
            _fixed_price(builder, completed=reason is EndReason.COMPLETED)
    else:
        _jobcoaching(builder)
    _placement_fees(builder)
    return Assessment(
        as_of=as_of, invoiceable=tuple(builder.invoiceable), refused=tuple(builder.refused)
    )


def _klikgesprek(b: _Builder) -> None:
    """R-BILL-3: a free introduction of at most 1 hour; without start nothing is invoiceable."""
    message = (
        "De kandidaat is na het kosteloze klikgesprek (max. 1 uur) niet gestart; "
        "hiervoor kan niets worden gefactureerd."
    )
    for kind in (MilestoneKind.KLIKGESPREK, *_regular_kinds(b.facts), MilestoneKind.INTAKE_FEE):
        b.refuse(kind, Reason(ReasonCode.KLIKGESPREK_FREE, message))


def _regular_kinds(facts: TrajectoryFacts) -> tuple[MilestoneKind, ...]:
    if facts.product_code in (ProductCode.LONG_FIXED, ProductCode.LONG_VARIABLE):
        return (MilestoneKind.PLAN_APPROVED, MilestoneKind.FINAL_REPORT)
    if facts.product_code is ProductCode.JOBCOACHING:
        return (MilestoneKind.JOBCOACHING_QUARTER,)
    return (MilestoneKind.FINAL_REPORT,)


def _intake_fee(b: _Builder) -> None:
    """R-BILL-4: after a targeted intake without start at most 5 hours are paid.

    The rate is the product's hourly rate, never above the jobcoaching ceiling; a product
    without an hourly rate (fixed price) gets the ceiling valid on the intake date.
    """
    facts = b.facts
    not_started = Reason(
        ReasonCode.NOT_STARTED,
        "De kandidaat is na de intake niet gestart; alleen de intakevergoeding is mogelijk.",
    )
    for kind in _regular_kinds(facts):
        b.refuse(kind, not_started)
    if facts.non_start_report_on is None:
        b.refuse(
            MilestoneKind.INTAKE_FEE,
            Reason(
                ReasonCode.NON_START_REPORT_MISSING,
                "De terugmelding in het format van de organisatie (waarom de kandidaat niet "
                "start) is nog niet ontvangen.",
            ),
        )
        return
    intake_day = facts.intake_date or facts.actual_end_date or b.as_of
    ceiling = ceiling_on(b.ctx.ceiling_rates, intake_day)
    notes: list[Reason] = []
    rate = ceiling if facts.hourly_rate is None else min(facts.hourly_rate, ceiling)
    if facts.hourly_rate is not None and facts.hourly_rate > ceiling:
        notes.append(_rate_capped_note(facts.hourly_rate, ceiling, intake_day))
    hours = INTAKE_MAX_HOURS if facts.intake_hours is None else facts.intake_hours
    if hours > INTAKE_MAX_HOURS:
        notes.append(
            Reason(
                ReasonCode.INTAKE_HOURS_CAPPED,
                f"Gedeclareerd {hours} uur; vergoed wordt maximaal {INTAKE_MAX_HOURS} uur.",
            )
        )
        hours = INTAKE_MAX_HOURS
    line = b.line(f"Intake: {_hours(hours)} uur x {format_euro(rate)}", hours * rate, intake_day)
    b.offer(Milestone(MilestoneKind.INTAKE_FEE, None, (line,), tuple(notes)))


def _rate_capped_note(rate: Decimal, ceiling: Decimal, day: date) -> Reason:
    return Reason(
        ReasonCode.RATE_CAPPED,
        f"Uurtarief {format_euro(rate)} ligt boven het plafond "
        f"van {format_euro(ceiling)} dat gold op "
        f"{day:%d-%m-%Y}; vergoed tegen {format_euro(ceiling)}.",
    )


def _require_price(facts: TrajectoryFacts) -> Decimal:
    if facts.price is None or facts.price < 0:
        raise PaymentRuleError(
            f"Product met code {int(facts.product_code)} heeft een (niet-negatieve) prijs nodig."
        )
    return facts.price


def _fixed_price(b: _Builder, *, completed: bool) -> None:
    """R-BILL-1 codes 1-4: 0% at start or 50% after plan approval; the rest after final report."""
    facts = b.facts
    price = _require_price(facts)
    first_share = ZERO
    if facts.product_code in (ProductCode.LONG_FIXED, ProductCode.LONG_VARIABLE):
        first_share = to_cents(price * PLAN_APPROVAL_SHARE)
        approved = facts.plan_approved_on
        if approved is None or approved > b.as_of:
            b.refuse(
                MilestoneKind.PLAN_APPROVED,
                Reason(
                    ReasonCode.PLAN_NOT_APPROVED,
                    "Het plan van aanpak is (nog) niet goedgekeurd door de klantmanager.",
                ),
            )
        else:
            line = b.line("50% na goedkeuring plan van aanpak", first_share, approved)
            b.offer(Milestone(MilestoneKind.PLAN_APPROVED, _trajectory_period(facts), (line,)))
    report = facts.final_report_on
    if not completed:
        b.refuse(
            MilestoneKind.FINAL_REPORT,
            Reason(ReasonCode.NOT_ENDED, "Het traject is nog niet afgerond."),
        )
    elif report is None or report > b.as_of:
        b.refuse(
            MilestoneKind.FINAL_REPORT,
            Reason(ReasonCode.FINAL_REPORT_MISSING, "De eindrapportage is nog niet ontvangen."),
        )
    else:
        # The rest of the price, so that 50% + rest is exactly the price (no rounding drift).
        rest = price - first_share
        share = "100%" if first_share == ZERO else "50%"
        line = b.line(f"{share} na oplevering eindrapportage", rest, report)
        b.offer(Milestone(MilestoneKind.FINAL_REPORT, _trajectory_period(facts), (line,)))


def _trajectory_period(facts: TrajectoryFacts) -> Period | None:
    start = facts.start_date
    end = facts.actual_end_date or facts.planned_end_date
    if start is None or end is None or end < start:
        return None
    return Period(start, end)


def pro_rata_proposal(facts: TrajectoryFacts) -> Decimal:
    """R-BILL-5 proposal: price x elapsed days / nominal days, capped at the price, minus what
    was already invoiced for the trajectory, never below zero.

    Elapsed days run from the start date to the termination date, nominal days from the start
    date to the planned end date (calendar days, end minus start).
    """
    price = _require_price(facts)
    start, planned_end, ended = facts.start_date, facts.planned_end_date, facts.actual_end_date
    if start is None or planned_end is None or ended is None or planned_end <= start:
        raise PaymentRuleError(
            "Naar rato berekenen kan alleen met een startdatum, een geplande einddatum na de "
            "start en een einddatum."
        )
    elapsed = max((ended - start).days, 0)
    nominal = (planned_end - start).days
    pro_rata = min(price, to_cents(price * elapsed / nominal))
    return max(pro_rata - invoiced_for_price(facts), ZERO)


def _early_termination(b: _Builder) -> None:
    """R-BILL-5: the fixed milestones are replaced by one pro-rata settlement."""
    facts = b.facts
    price = _require_price(facts)
    superseded = Reason(
        ReasonCode.SUPERSEDED_BY_TERMINATION,
        "Het traject is voortijdig beëindigd; de afrekening gaat naar rato.",
    )
    for kind in _regular_kinds(facts):
        if not _already_invoiced(facts, kind, None):
            b.refuse(kind, superseded)
    reasons: list[Reason] = []
    if facts.termination_reason is None:
        reasons.append(
            Reason(
                ReasonCode.TERMINATION_REASON_MISSING,
                "De reden van voortijdige beëindiging ontbreekt.",
            )
        )
    if not facts.reported_on_time:
        reasons.append(
            Reason(
                ReasonCode.NOT_REPORTED_ON_TIME,
                "De aanbieder heeft tijdens het traject niet tijdig gerapporteerd.",
            )
        )
    if facts.final_report_on is None or facts.final_report_on > b.as_of:
        reasons.append(
            Reason(ReasonCode.FINAL_REPORT_MISSING, "De eindrapportage is nog niet ontvangen.")
        )
    if not facts.handover_done:
        reasons.append(
            Reason(
                ReasonCode.HANDOVER_MISSING,
                "De kandidaat is nog niet warm overgedragen aan de klantmanager.",
            )
        )
    start, planned_end = facts.start_date, facts.planned_end_date
    if start is None or planned_end is None or planned_end <= start:
        reasons.append(
            Reason(
                ReasonCode.NOMINAL_DURATION_UNKNOWN,
                "Start- of geplande einddatum ontbreekt; naar rato is niet te berekenen.",
            )
        )
    if reasons:
        b.refuse(MilestoneKind.EARLY_TERMINATION, *reasons)
        return
    proposal = pro_rata_proposal(facts)
    notes: list[Reason] = []
    amount = proposal
    adjustment = facts.termination_adjustment
    if adjustment is not None:
        room = max(price - invoiced_for_price(facts), ZERO)
        amount = min(adjustment.amount_excl, room)
        notes.append(
            Reason(
                ReasonCode.ADJUSTED,
                f"Voorstel {format_euro(proposal)} aangepast "
                f"door de klantmanager: {adjustment.reason}",
            )
        )
        if adjustment.amount_excl > room:
            notes.append(
                Reason(
                    ReasonCode.ADJUSTMENT_CAPPED,
                    f"Aanpassing afgetopt op {format_euro(room)}: meer dan de prijs kan nooit.",
                )
            )
    if amount <= ZERO and not _already_invoiced(facts, MilestoneKind.EARLY_TERMINATION, None):
        b.refuse(
            MilestoneKind.EARLY_TERMINATION,
            Reason(
                ReasonCode.NOTHING_LEFT, "Naar rato is al alles gefactureerd; er resteert niets."
            ),
        )
        return
    ended = facts.actual_end_date or b.as_of
    line = b.line("Afrekening naar rato bij voortijdige beëindiging", amount, ended)
    b.offer(
        Milestone(MilestoneKind.EARLY_TERMINATION, _trajectory_period(facts), (line,), tuple(notes))
    )


def jobcoaching_quarters(start: date, last_day: date) -> tuple[Period, ...]:
    """3-month periods from ``start`` until ``last_day`` (the last one cut at ``last_day``)."""
    periods: list[Period] = []
    index = 0
    while True:
        q_start = add_months(start, QUARTER_MONTHS * index)
        if q_start > last_day:
            break
        q_end = add_months(start, QUARTER_MONTHS * (index + 1)) - timedelta(days=1)
        periods.append(Period(q_start, min(q_end, last_day)))
        index += 1
    return tuple(periods)


def _jobcoaching(b: _Builder) -> None:
    """R-BILL-1 code 5 / R-BILL-7: hours x rate per quarter in arrears, rate <= ceiling that day."""
    facts = b.facts
    kind = MilestoneKind.JOBCOACHING_QUARTER
    start = facts.start_date
    if start is None or start > b.as_of:
        b.refuse(kind, Reason(ReasonCode.NOT_STARTED, "De jobcoaching is nog niet gestart."))
        return
    if facts.hourly_rate is None:
        b.refuse(kind, Reason(ReasonCode.NO_HOURLY_RATE, "Het product heeft geen uurtarief."))
        return
    ended = facts.actual_end_date if facts.end_reason is not None else None
    last_day = ended if ended is not None and ended <= b.as_of else b.as_of
    periods = jobcoaching_quarters(start, last_day)
    # A running quarter is shown up to its nominal end, so the refusal names the real period.
    if ended is None or ended > b.as_of:
        q_end = add_months(periods[-1].start, QUARTER_MONTHS) - timedelta(days=1)
        if ended is not None:
            q_end = min(q_end, ended)
        periods = (*periods[:-1], Period(periods[-1].start, q_end))
    outside = [
        e
        for e in facts.jobcoaching_hours
        if e.worked_on < start or (ended is not None and e.worked_on > ended)
    ]
    if outside:
        days = ", ".join(f"{e.worked_on:%d-%m-%Y}" for e in outside)
        b.refuse(
            kind,
            Reason(
                ReasonCode.HOURS_OUTSIDE_TRAJECTORY,
                f"Uren buiten de looptijd van het traject worden niet vergoed: {days}.",
            ),
        )
    for period in periods:
        entries = [e for e in facts.jobcoaching_hours if e.worked_on in period]
        if period.end >= b.as_of:
            b.refuse(
                kind,
                Reason(
                    ReasonCode.QUARTER_NOT_ENDED,
                    f"Het kwartaal {period.label_nl()} is nog niet voorbij; jobcoaching wordt "
                    "achteraf per kwartaal gefactureerd. Factureer dit kwartaal met een "
                    f"factuurdatum vanaf {period.end + timedelta(days=1):%d-%m-%Y}.",
                ),
                period=period,
            )
            continue
        if not entries:
            b.refuse(
                kind,
                Reason(ReasonCode.NO_HOURS, f"Geen uren in het logboek voor {period.label_nl()}."),
                period=period,
            )
            continue
        b.offer(_quarter_milestone(b, period, entries, facts.hourly_rate))


def _earlier_jobcoaching(facts: TrajectoryFacts, before: date) -> tuple[Decimal, Decimal]:
    """Hours and money already paid for jobcoaching quarters that start before ``before``."""
    hours, money = ZERO, ZERO
    for item in facts.already_invoiced:
        if item.kind is MilestoneKind.JOBCOACHING_QUARTER and (
            item.period_start is None or item.period_start < before
        ):
            hours += item.hours or ZERO
            money += item.amount_excl
    return hours, money


def _quarter_milestone(
    b: _Builder, period: Period, entries: Sequence[HoursEntry], rate: Decimal
) -> Milestone:
    """Hours x agreed rate, the rate capped at the ceiling of the day worked (R-BILL-7); hours
    beyond the agreed hours and money beyond the budget cap are not paid. One rounded line per
    (rate applied, VAT percentage)."""
    facts = b.facts
    paid_hours, paid_money = _earlier_jobcoaching(facts, period.start)
    hours_left = None if facts.agreed_hours is None else max(facts.agreed_hours - paid_hours, ZERO)
    money_left = None if facts.budget_cap is None else max(facts.budget_cap - paid_money, ZERO)
    groups: dict[tuple[Decimal, Decimal], tuple[Decimal, Decimal]] = {}
    capped: dict[Decimal, date] = {}
    notes: list[Reason] = []
    for entry in sorted(entries, key=lambda e: e.worked_on):
        hours = entry.hours
        if hours_left is not None and hours > hours_left:
            if not any(n.code is ReasonCode.HOURS_ABOVE_AGREED for n in notes):
                notes.append(
                    Reason(
                        ReasonCode.HOURS_ABOVE_AGREED,
                        f"Er zijn {facts.agreed_hours} uur afgesproken; uren daarboven worden "
                        "niet vergoed.",
                    )
                )
            hours = hours_left
        if hours_left is not None:
            hours_left -= hours
        ceiling = ceiling_on(b.ctx.ceiling_rates, entry.worked_on)
        applied = min(rate, ceiling)
        if rate > ceiling:
            capped.setdefault(ceiling, entry.worked_on)
        amount = hours * applied
        if money_left is not None and amount > money_left:
            if not any(n.code is ReasonCode.BUDGET_REACHED for n in notes):
                notes.append(
                    Reason(
                        ReasonCode.BUDGET_REACHED,
                        f"Het budget van {format_euro(facts.budget_cap)} "
                        "is bereikt; meer wordt niet vergoed.",
                    )
                )
            amount = money_left
        if money_left is not None:
            money_left -= amount
        vat = vat_percentage_on(b.ctx.vat_rates, facts.vat_code, entry.worked_on)
        old_hours, old_amount = groups.get((applied, vat), (ZERO, ZERO))
        groups[(applied, vat)] = (old_hours + hours, old_amount + amount)
    lines = tuple(
        InvoiceLine(
            description=(
                f"Jobcoaching {period.label_nl()}: {_hours(hours)} uur x {format_euro(applied)}"
            ),
            vat_code=facts.vat_code,
            amounts=vat_line(amount, vat),
        )
        for (applied, vat), (hours, amount) in groups.items()
    )
    notes.extend(_rate_capped_note(rate, c, day) for c, day in capped.items())
    return Milestone(MilestoneKind.JOBCOACHING_QUARTER, period, lines, tuple(notes))


def placement_fee_window(placement: PlacementFacts) -> Period:
    """R-BILL-6: claimable within 30 days after any probation period (else after the start).

    With a probation period the window opens the day after its last day.
    """
    if placement.probation_end is None:
        return Period(placement.start, placement.start + timedelta(days=PLACEMENT_CLAIM_DAYS))
    return Period(
        placement.probation_end + timedelta(days=1),
        placement.probation_end + timedelta(days=PLACEMENT_CLAIM_DAYS),
    )


def _placement_fees(b: _Builder) -> None:
    """R-BILL-6: EUR 500 once per durable placement during or directly after the trajectory."""
    facts = b.facts
    kind = MilestoneKind.PLACEMENT_FEE
    for placement in facts.placements:
        period = Period(placement.start, placement.start)
        reasons: list[Reason] = []
        begin = facts.start_date or facts.order_date
        end = facts.actual_end_date or facts.planned_end_date
        if placement.start < begin or (
            end is not None
            and placement.start > end + timedelta(days=PLACEMENT_DIRECTLY_AFTER_DAYS)
        ):
            reasons.append(
                Reason(
                    ReasonCode.PLACEMENT_NOT_CONNECTED,
                    "De plaatsing valt niet tijdens of direct aansluitend op het traject.",
                )
            )
        months = placement.contract_months
        if months is not None and months < PLACEMENT_MIN_CONTRACT_MONTHS:
            reasons.append(
                Reason(
                    ReasonCode.PLACEMENT_TOO_SHORT,
                    f"Het contract duurt {months} maanden; minimaal "
                    f"{PLACEMENT_MIN_CONTRACT_MONTHS} maanden is nodig.",
                )
            )
        required = PLACEMENT_MIN_HOURS_PER_WEEK
        restriction = placement.client_hour_restriction
        if restriction is not None and restriction < PLACEMENT_MIN_HOURS_PER_WEEK:
            required = restriction
        if placement.hours_per_week < required:
            reasons.append(
                Reason(
                    ReasonCode.PLACEMENT_TOO_FEW_HOURS,
                    f"{placement.hours_per_week} uur per week; minimaal {required} uur is nodig.",
                )
            )
        if placement.ended_during_probation:
            reasons.append(
                Reason(
                    ReasonCode.PROBATION_FAILED,
                    "Het dienstverband is tijdens de proeftijd geëindigd.",
                )
            )
        if not placement.contract_received:
            reasons.append(
                Reason(ReasonCode.CONTRACT_MISSING, "Het arbeidscontract is niet overlegd.")
            )
        window = placement_fee_window(placement)
        if b.as_of < window.start:
            reasons.append(
                Reason(
                    ReasonCode.PROBATION_RUNNING,
                    f"De fee kan pas na afloop van de proeftijd ({window.start:%d-%m-%Y}) "
                    "worden gedeclareerd.",
                )
            )
        elif b.as_of > window.end:
            reasons.append(
                Reason(
                    ReasonCode.PLACEMENT_CLAIM_LATE,
                    f"De fee moest uiterlijk {window.end:%d-%m-%Y} worden gedeclareerd "
                    f"({PLACEMENT_CLAIM_DAYS} dagen na de proeftijd).",
                )
            )
        if reasons:
            b.refuse(kind, *reasons, period=period)
            continue
        line = b.line("Bemiddelingsfee (eenmalig, niet geïndexeerd)", PLACEMENT_FEE, b.as_of)
        b.offer(Milestone(kind, period, (line,)))


# --------------------------------------------------------------------------------------------
# Claims (R-BILL-2, R-BILL-10, R-TRJ-3)
# --------------------------------------------------------------------------------------------


class Status(StrEnum):
    """Traffic light of an incoming invoice."""

    GREEN = "green"  # matches what the rules allow: can be approved
    ORANGE = "orange"  # allowed, but needs a human look (late, VAT differs, ...)
    RED = "red"  # refused


@dataclass(frozen=True, slots=True)
class InvoiceClaim:
    """An incoming invoice for one client and one milestone (R-BILL-2).

    ``period_start``/``period_end`` state the period invoiced; for a jobcoaching quarter the
    start must be the quarter's start, for a placement fee the placement's start date.
    """

    provider_ref: str
    client_number: str
    client_surname: str
    invoice_number: str
    invoice_date: date
    milestone: MilestoneKind
    amount_excl: Decimal
    vat: Decimal
    amount_incl: Decimal
    period_start: date | None = None
    period_end: date | None = None
    #: the day the organisation received the invoice (the record); deadlines that the claim
    #: must meet (R-TRJ-3, R-BILL-6) are judged on it, never on the date the provider typed
    received_on: date | None = None

    @property
    def duplicate_key(self) -> tuple[str, str, MilestoneKind, date | None]:
        """Same provider, client, milestone and (for periodic milestones) period."""
        period = self.period_start if self.milestone in PERIODIC_MILESTONES else None
        return (self.provider_ref.strip(), self.client_number.strip(), self.milestone, period)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Result of checking a claim: status, every reason, and the allowed milestone if any."""

    status: Status
    reasons: tuple[Reason, ...]
    allowed: Milestone | None = None

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        return tuple(r.code for r in self.reasons)


def check_claim(
    claim: InvoiceClaim,
    facts: TrajectoryFacts,
    ctx: RulesContext,
    *,
    earlier_claims: Sequence[InvoiceClaim] = (),
) -> Verdict:
    """Check an incoming invoice against the rules on its invoice date (R-BILL-2, R-TRJ-3).

    Red: required field missing, amounts inconsistent, no milestone the rules allow now, amount
    above the allowed amount, or a duplicate (R-BILL-10). Orange: allowed but late (more than 30
    days after the end of the trajectory), VAT differs, or an amount below the allowed one.
    """
    red: list[Reason] = []
    orange: list[Reason] = []
    missing = [
        label
        for label, value in (
            ("achternaam cliënt", claim.client_surname),
            ("cliëntnummer", claim.client_number),
            ("factuurnummer", claim.invoice_number),
        )
        if not value.strip()
    ]
    if missing:
        red.append(
            Reason(ReasonCode.FIELD_MISSING, f"Verplicht op de factuur: {', '.join(missing)}.")
        )
    if facts.product_code in PERIOD_REQUIRED_CODES and (
        claim.period_start is None or claim.period_end is None
    ):
        red.append(
            Reason(
                ReasonCode.PERIOD_MISSING,
                "Bij een traject langer dan 3 maanden vermeldt de factuur de gefactureerde "
                "periode.",
            )
        )
    if (period_problem := _period_problem(claim, facts)) is not None:
        red.append(period_problem)
    if claim.amount_excl + claim.vat != claim.amount_incl:
        red.append(
            Reason(
                ReasonCode.AMOUNTS_INCONSISTENT,
                f"Bedrag excl. btw {format_euro(claim.amount_excl)} "
                f"+ btw {format_euro(claim.vat)} is niet "
                f"{format_euro(claim.amount_incl)}.",
            )
        )
    for earlier in earlier_claims:
        if earlier.duplicate_key == claim.duplicate_key and earlier is not claim:
            red.append(
                Reason(
                    ReasonCode.DUPLICATE,
                    f"Dubbel: dezelfde mijlpaal is al gedeclareerd met factuur "
                    f"{earlier.invoice_number}.",
                )
            )
            break
    assessment = assess(facts, ctx, as_of=claim.invoice_date)
    allowed = assessment.find(claim.milestone, claim.period_start)
    # A refusal without a period (logbook hours outside the trajectory, coaching not started)
    # concerns every period of a periodic milestone, so a claim for one period hears it too.
    general = (
        assessment.refusal(claim.milestone)
        if claim.milestone in PERIODIC_MILESTONES and claim.period_start is not None
        else None
    )
    general_reasons = general.reasons if general is not None else ()
    if allowed is None:
        refusal = assessment.refusal(claim.milestone, claim.period_start)
        reasons = (*(refusal.reasons if refusal is not None else ()), *general_reasons)
        if reasons:
            red.extend(r for r in reasons if r not in red)
        else:
            red.append(_no_matching_milestone(claim, assessment))
    else:
        if claim.amount_excl > allowed.amount_excl:
            red.append(
                Reason(
                    ReasonCode.AMOUNT_ABOVE_ALLOWED,
                    f"Gefactureerd {format_euro(claim.amount_excl)} "
                    "excl. btw; toegestaan is maximaal "
                    f"{format_euro(allowed.amount_excl)}.",
                )
            )
        elif claim.amount_incl > allowed.amount_incl:
            # R-BILL-11: whatever the split, never more incl. VAT than the rules allow.
            red.append(
                Reason(
                    ReasonCode.AMOUNT_ABOVE_ALLOWED,
                    f"Gefactureerd {format_euro(claim.amount_incl)} "
                    "incl. btw; toegestaan is maximaal "
                    f"{format_euro(allowed.amount_incl)} incl. btw "
                    f"({format_euro(allowed.vat)} btw).",
                )
            )
        else:
            if claim.amount_excl < allowed.amount_excl:
                orange.append(
                    Reason(
                        ReasonCode.AMOUNT_BELOW_ALLOWED,
                        f"Gefactureerd {format_euro(claim.amount_excl)}, lager dan de toegestane "
                        f"{format_euro(allowed.amount_excl)}; een tweede "
                        "factuur voor deze mijlpaal is dubbel.",
                    )
                )
            due_vat = _vat_due(allowed, claim.amount_excl)
            if due_vat is not None and claim.vat != due_vat:
                orange.append(
                    Reason(
                        ReasonCode.VAT_DIFFERS,
                        f"Btw {format_euro(claim.vat)} wijkt af van "
                        f"de berekende {format_euro(due_vat)}.",
                    )
                )
        orange.extend(allowed.notes)
        orange.extend(r for r in general_reasons if r not in orange)
        if claim.milestone is MilestoneKind.JOBCOACHING_QUARTER and allowed.period is not None:
            orange.extend(_hours_outside_period(facts, allowed.period))
    ended = facts.actual_end_date
    # R-TRJ-3 is met by the day the invoice reached the organisation (the record), not by the
    # date typed on it; the last day is the trajectory's invoice deadline (Atw roll-over).
    arrived = claim.received_on or claim.invoice_date
    if claim.milestone is not MilestoneKind.PLACEMENT_FEE and ended is not None:
        last_day = facts.invoice_due_on or ended + timedelta(days=INVOICE_DEADLINE_DAYS)
        if arrived > last_day:
            typed = (
                f"ontvangen op {arrived:%d-%m-%Y}"
                if claim.received_on is not None and claim.received_on != claim.invoice_date
                else f"van {claim.invoice_date:%d-%m-%Y}"
            )
            orange.append(
                Reason(
                    ReasonCode.INVOICE_LATE,
                    f"Factuur {typed} is later dan {INVOICE_DEADLINE_DAYS} dagen na het einde "
                    f"van het traject ({ended:%d-%m-%Y}); de laatste dag was "
                    f"{last_day:%d-%m-%Y}.",
                )
            )
    if claim.milestone is MilestoneKind.PLACEMENT_FEE and claim.received_on is not None:
        late = _placement_claim_late(facts, claim.period_start, claim.received_on)
        if late is not None and all(r.code is not late.code for r in red):
            red.append(late)
    if red:
        return Verdict(Status.RED, tuple(red) + tuple(orange), allowed)
    if orange:
        return Verdict(Status.ORANGE, tuple(orange), allowed)
    return Verdict(Status.GREEN, (), allowed)


#: Codes 3 and 4 state a free period; jobcoaching (code 5) invoices the trajectory's own
#: quarters, matched by their first day (`geen_passende_mijlpaal` names them).
_PRICED_PERIOD_CODES = frozenset({ProductCode.LONG_FIXED, ProductCode.LONG_VARIABLE})


def _period_problem(claim: InvoiceClaim, facts: TrajectoryFacts) -> Reason | None:
    """R-BILL-2: the period a trajectory longer than 3 months (codes 3, 4) states on its
    invoice is a period of this trajectory, checked against the record: it ends no earlier
    than it begins, begins no earlier than the order (aanmelding) and ends no later than the
    trajectory's end (the planned end, or the actual end when that is later). A placement
    fee states the placement instead."""
    start, end = claim.period_start, claim.period_end
    if (
        facts.product_code not in _PRICED_PERIOD_CODES
        or claim.milestone is MilestoneKind.PLACEMENT_FEE
        or start is None
        or end is None
    ):
        return None
    if end < start:
        return Reason(
            ReasonCode.PERIOD_OUTSIDE_TRAJECTORY,
            f"De gefactureerde periode eindigt ({end:%d-%m-%Y}) vóór ze begint ({start:%d-%m-%Y}).",
        )
    # The planned end bounds the period even after an early end: an instalment invoiced
    # before the end stated the period planned then (it is checked again after the end).
    ends = [d for d in (facts.planned_end_date, facts.actual_end_date) if d is not None]
    last = max(ends) if ends else None
    if start < facts.order_date or (last is not None and end > last):
        until = f" t/m {last:%d-%m-%Y}" if last is not None else ""
        return Reason(
            ReasonCode.PERIOD_OUTSIDE_TRAJECTORY,
            f"De gefactureerde periode {start:%d-%m-%Y} t/m {end:%d-%m-%Y} valt buiten het "
            f"traject (aangemeld op {facts.order_date:%d-%m-%Y}{until}).",
        )
    return None


def _vat_due(allowed: Milestone, amount_excl: Decimal) -> Decimal | None:
    """The VAT due on `amount_excl` at the milestone's VAT rate (R-BILL-11): the allowed VAT
    when the amount is the allowed one; None when the milestone's lines carry different rates
    (a lower amount cannot then be split between them)."""
    if amount_excl == allowed.amount_excl:
        return allowed.vat
    percentages = {line.amounts.percentage for line in allowed.lines}
    if len(percentages) != 1:
        return None
    return vat_line(amount_excl, percentages.pop()).vat


def _placement_claim_late(
    facts: TrajectoryFacts, placement_start: date | None, received_on: date
) -> Reason | None:
    """R-BILL-6: the fee is claimed within 30 days after the probation period; judged on the
    day the claim was received, so a back-dated invoice date does not reopen the window."""
    for placement in facts.placements:
        if placement.start != placement_start:
            continue
        window = placement_fee_window(placement)
        if received_on > window.end:
            return Reason(
                ReasonCode.PLACEMENT_CLAIM_LATE,
                f"De fee moest uiterlijk {window.end:%d-%m-%Y} worden gedeclareerd "
                f"({PLACEMENT_CLAIM_DAYS} dagen na de proeftijd); de declaratie is ontvangen op "
                f"{received_on:%d-%m-%Y}.",
            )
    return None


def _no_matching_milestone(claim: InvoiceClaim, assessment: Assessment) -> Reason:
    """Nothing of the claimed kind may be invoiced now; for a periodic milestone the reason
    names the periods the rules know from the trajectory, so the provider can correct the
    period (a jobcoaching quarter runs from the start date, not from a typed day)."""
    label = MILESTONE_LABELS_NL[claim.milestone]
    periods = [
        m.period
        for m in assessment.invoiceable
        if m.kind is claim.milestone and m.period is not None
    ] + [r.period for r in assessment.refused if r.kind is claim.milestone and r.period is not None]
    if claim.milestone is MilestoneKind.JOBCOACHING_QUARTER and periods:
        known = "; ".join(p.label_nl() for p in sorted(set(periods), key=lambda p: p.start))
        typed = f" {claim.period_start:%d-%m-%Y}" if claim.period_start is not None else ""
        return Reason(
            ReasonCode.NO_MATCHING_MILESTONE,
            f"Geen kwartaal van dit traject begint op{typed or ' de opgegeven dag'}. De "
            f"kwartalen volgen de startdatum van het traject: {known}. Vul de periode van "
            "het kwartaal in.",
        )
    return Reason(
        ReasonCode.NO_MATCHING_MILESTONE,
        f"Geen mijlpaal '{label}' die volgens de betalingsregels nu gefactureerd mag worden.",
    )


def _hours_outside_period(facts: TrajectoryFacts, period: Period) -> tuple[Reason, ...]:
    """R-BILL-7: a quarter's invoice pays the logbook hours of that quarter only; hours of
    other days within the trajectory are named, so they are invoiced with their own quarter
    (hours outside the trajectory have their own reason)."""
    start = facts.start_date
    end = facts.actual_end_date if facts.end_reason is not None else None
    days = sorted(
        e.worked_on
        for e in facts.jobcoaching_hours
        if e.worked_on not in period
        and (start is None or e.worked_on >= start)
        and (end is None or e.worked_on <= end)
    )
    if not days:
        return ()
    return (
        Reason(
            ReasonCode.HOURS_OUTSIDE_PERIOD,
            f"Uren buiten het kwartaal {period.label_nl()} tellen voor deze factuur niet mee: "
            f"{', '.join(f'{d:%d-%m-%Y}' for d in days)}. Factureer ze met hun eigen kwartaal.",
        ),
    )


@dataclass(frozen=True, slots=True)
class StoredInvoice:
    """A received invoice with what only the stored invoice tells (R-BILL-2, R-NET-7): the
    client on record, the totals of its lines, and the hourly rate the provider invoiced."""

    claim: InvoiceClaim
    record_client_number: str
    record_client_surname: str
    line_totals: tuple[tuple[Decimal, Decimal], ...] = ()  # (excl., VAT) per line
    invoiced_rate: Decimal | None = None


def check_invoice(invoice: StoredInvoice, facts: TrajectoryFacts, ctx: RulesContext) -> Verdict:
    """The full check of a stored invoice: :func:`check_claim` plus three checks of the stored
    document. Red when the stated client is not the client of the trajectory (R-BILL-2), when
    the lines do not add up to the totals, or when the invoiced hourly rate is above the
    ceiling valid on the first day of the period (R-NET-7). Input the rules refuse to guess
    about (a fixed-price code without a price) is red with its reason, never an error."""
    claim = invoice.claim
    try:
        verdict = check_claim(claim, facts, ctx)
    except PaymentRuleError as exc:
        return Verdict(Status.RED, (Reason(ReasonCode.NO_MATCHING_MILESTONE, str(exc)),), None)
    red = list(verdict.reasons) if verdict.status is Status.RED else []
    orange = [] if verdict.status is Status.RED else list(verdict.reasons)
    stated_number = claim.client_number.strip()
    if stated_number and (
        stated_number != invoice.record_client_number
        or claim.client_surname.strip().casefold() != invoice.record_client_surname.casefold()
    ):
        red.append(
            Reason(
                ReasonCode.CLIENT_MISMATCH,
                "Cliëntnummer of achternaam op de factuur hoort niet bij de klant van dit traject.",
            )
        )
    if invoice.line_totals and (
        sum((excl for excl, _vat in invoice.line_totals), ZERO) != claim.amount_excl
        or sum((vat for _excl, vat in invoice.line_totals), ZERO) != claim.vat
    ):
        red.append(
            Reason(
                ReasonCode.LINES_INCONSISTENT,
                "De factuurregels tellen niet op tot de totalen van de factuur.",
            )
        )
    if invoice.invoiced_rate is not None and claim.milestone in (
        MilestoneKind.JOBCOACHING_QUARTER,
        MilestoneKind.INTAKE_FEE,
    ):
        day = claim.period_start or claim.invoice_date
        try:
            ceiling: Decimal | None = ceiling_on(ctx.ceiling_rates, day)
        except PaymentRuleError as exc:
            red.append(Reason(ReasonCode.NO_MATCHING_MILESTONE, str(exc)))
            ceiling = None
        if ceiling is not None and invoice.invoiced_rate > ceiling:
            red.append(
                Reason(
                    ReasonCode.RATE_ABOVE_CEILING,
                    f"Gefactureerd uurtarief {format_euro(invoice.invoiced_rate)} "
                    "ligt boven het maximum "
                    f"uurtarief van {format_euro(ceiling)} dat gold op {day:%d-%m-%Y}.",
                )
            )
    if red:
        return Verdict(Status.RED, (*red, *orange), verdict.allowed)
    return Verdict(verdict.status, tuple(orange), verdict.allowed)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A claim that repeats an earlier one (same provider, client, milestone or period)."""

    claim: InvoiceClaim
    original: InvoiceClaim


def find_duplicates(claims: Iterable[InvoiceClaim]) -> tuple[Duplicate, ...]:
    """R-BILL-10: every claim after the first with the same key is a duplicate, to be held."""
    first: dict[tuple[str, str, MilestoneKind, date | None], InvoiceClaim] = {}
    duplicates: list[Duplicate] = []
    for claim in claims:
        key = claim.duplicate_key
        if key in first:
            duplicates.append(Duplicate(claim=claim, original=first[key]))
        else:
            first[key] = claim
    return tuple(duplicates)
