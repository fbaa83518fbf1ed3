"""The facts of a trajectory as the pure payment rules see them, and running the rules on invoices
(R-BILL-1..5, R-BILL-10).

`trajectory_facts` builds `payment_rules.TrajectoryFacts` from the record; `invoices_check_many`
checks a list of invoices with a fixed number of queries; `payment_rules_evaluate` answers the
stateless evaluation of the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from opstap.invoices.models import (
    Invoice,
    InvoiceLine,
    PlacementFeeClaim,
    VatRateRow,
)
from opstap.invoices.money import (
    DEFAULT_VAT_RATES,
    MoneyError,
    VatCode,
    VatRate,
)
from opstap.invoices.payment_rules import (
    DEFAULT_CEILING_RATES,
    INVOICE_DEADLINE_DAYS,
    PERIODIC_MILESTONES,
    Adjustment,
    Assessment,
    DatedEvent,
    EndReason,
    EventKind,
    HoursEntry,
    InvoiceClaim,
    InvoicedAmount,
    MilestoneKind,
    PaymentRuleError,
    PlacementFacts,
    PriceTerms,
    PriceTermsInvalidError,
    ProductCode,
    Reason,
    ReasonCode,
    RulesContext,
    Status,
    StoredInvoice,
    TerminationReason,
    TrajectoryFacts,
    assess,
    check_invoice,
    facts_from_events,
    logbook_day_problem,
)
from opstap.invoices.workflow import (
    LIVE_STATUSES,
)
from opstap.providers.models import RateCeiling
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import Trajectory

from ._common import _ENDING_ACTIONS, InvoiceError, _now, _reasons_json


def rules_context(organisation_id: int) -> RulesContext:
    """Ceilings (R-NET-7) from the providers' reference data; VAT rates (R-BILL-11) from the
    dated VAT table (`VatRateRow`, editable by the application administrator)."""
    rows = RateCeiling.objects.filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    ).values_list("valid_from", "amount", "organisation_id")
    # The organisation's own (indexed) rows go first so they win a tie on the same date.
    ordered = sorted(rows, key=lambda r: r[2] is None)
    ceilings = tuple((valid_from, amount) for valid_from, amount, _org in ordered)
    return RulesContext(ceiling_rates=ceilings or DEFAULT_CEILING_RATES, vat_rates=vat_rates())


def vat_rates() -> tuple[VatRate, ...]:
    """The dated VAT table (R-BILL-11) from reference data; the built-in defaults only when
    the table is empty."""
    rows = tuple(
        VatRate(valid_from, code, percentage)
        for code, valid_from, percentage in VatRateRow.objects.values_list(
            "code", "valid_from", "percentage"
        )
    )
    return rows or DEFAULT_VAT_RATES


def _end_event(trajectory: Trajectory) -> tuple[str, Mapping[str, Any]] | None:
    """How the trajectory ended (action, payload), or None while it runs."""
    return trajectory_selectors.ending_events([trajectory.pk], _ENDING_ACTIONS).get(trajectory.pk)


def _substance_adjustment(substance: Mapping[str, Any]) -> Adjustment | None:
    amount = substance.get("adjusted_amount_excl")
    if amount in (None, ""):
        return None
    try:
        return Adjustment(
            amount_excl=Decimal(str(amount)), reason=str(substance.get("adjustment_reason", ""))
        )
    except PaymentRuleError as exc:
        raise InvoiceError(str(exc), field="adjusted_amount_excl") from exc


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What `trajectory_facts` reads from the database for one trajectory."""

    end_action: str | None
    end_payload: Mapping[str, Any]
    earlier: Sequence[_EarlierRow]
    placements: Sequence[PlacementFeeClaim]
    #: the client's hour restriction per placement start (R-BILL-6), from the client's record
    restrictions: Mapping[dt.date, int | None]


#: (invoice id, milestone, amount excl., period start, credited, jobcoaching hours)
_EarlierRow = tuple[int, str, Decimal, dt.date | None, Decimal | None, Decimal | None]


def _logbook_hours(logbook: Any) -> Decimal | None:
    """Total hours of a stored logbook (jobcoaching); None when it cannot be read."""
    total = Decimal(0)
    try:
        for entry in logbook or []:
            total += Decimal(str(entry["hours"]))
    except (KeyError, TypeError, InvalidOperation, ValueError):
        return None
    return total if total.is_finite() else None


def _earlier_rows(trajectory_ids: Iterable[int]) -> dict[int, list[_EarlierRow]]:
    rows: dict[int, list[_EarlierRow]] = {}
    for pk, tid, kind, amount, period_start, credited, logbook in (
        Invoice.objects.filter(
            trajectory_id__in=list(trajectory_ids),
            status__in=[s.value for s in LIVE_STATUSES],
            # Credited in full: nothing of it was invoiced any more (R-BILL-8).
            fully_credited=False,
        )
        .annotate(credited=Sum("credit_notes__amount_excl"))
        .values_list(
            "pk", "trajectory_id", "milestone", "amount_excl", "period_start", "credited", "logbook"
        )
    ):
        hours = _logbook_hours(logbook) if kind == MilestoneKind.JOBCOACHING_QUARTER else None
        rows.setdefault(tid, []).append((pk, kind, amount, period_start, credited, hours))
    return rows


def _restrictions(
    pairs: Iterable[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], int | None]:
    """The client's hour restriction valid on each (client, day), from the client's record."""
    from opstap.clients.selectors import hour_restrictions_on

    return hour_restrictions_on(pairs)


def _load(trajectory: Trajectory) -> _Loaded:
    end = _end_event(trajectory)
    placements = list(PlacementFeeClaim.objects.filter(trajectory=trajectory))
    restrictions = _restrictions((trajectory.client_id, p.placement_start) for p in placements)
    return _Loaded(
        end_action=end[0] if end is not None else None,
        end_payload=dict(end[1]) if end is not None else {},
        earlier=_earlier_rows([trajectory.pk]).get(trajectory.pk, []),
        placements=placements,
        restrictions={day: value for (_c, day), value in restrictions.items()},
    )


_EVENT_OF_END: Mapping[EndReason, EventKind] = {
    EndReason.COMPLETED: EventKind.COMPLETED,
    EndReason.TERMINATED_EARLY: EventKind.TERMINATED_EARLY,
    EndReason.NOT_STARTED_AFTER_KLIKGESPREK: EventKind.NOT_STARTED_AFTER_KLIKGESPREK,
    EndReason.NOT_STARTED_AFTER_INTAKE: EventKind.NOT_STARTED_AFTER_INTAKE,
}


def trajectory_events(
    trajectory: Trajectory, end_reason: EndReason | None, termination: TerminationReason | None
) -> list[DatedEvent]:
    """The dated history of a trajectory as the payment rules read it."""
    events = [DatedEvent(EventKind.ORDERED, trajectory.order_date)]
    intake = trajectory.intake_held_on or trajectory.intake_date
    if intake is not None:
        events.append(DatedEvent(EventKind.INTAKE, intake))
    if trajectory.plan_approved_on is not None:
        events.append(DatedEvent(EventKind.PLAN_APPROVED, trajectory.plan_approved_on))
    if trajectory.start_date is not None:
        events.append(
            DatedEvent(
                EventKind.STARTED, trajectory.start_date, planned_end=trajectory.planned_end_date
            )
        )
    if end_reason is not None and trajectory.actual_end_date is not None:
        events.append(
            DatedEvent(
                _EVENT_OF_END[end_reason],
                trajectory.actual_end_date,
                termination_reason=termination,
            )
        )
    if trajectory.final_report_on is not None:
        events.append(DatedEvent(EventKind.FINAL_REPORT, trajectory.final_report_on))
    if trajectory.handed_over_on is not None:
        events.append(DatedEvent(EventKind.HANDED_OVER, trajectory.handed_over_on))
    return events


def _price_terms(trajectory: Trajectory) -> PriceTerms:
    """The trajectory's stored price terms: the foundation's `PriceTerms`, which the payment
    rules read as they are."""
    from opstap.trajectories.services import TrajectoryError, price_terms_of

    try:
        return price_terms_of(trajectory)
    except (TrajectoryError, PriceTermsInvalidError) as exc:
        raise InvoiceError(str(exc), field="price_terms") from exc


def logbook_entries(logbook: Sequence[Mapping[str, Any]]) -> list[HoursEntry]:
    """The submitted hours logbook as the payment rules read it (R-BILL-7); a line that is no
    day with hours, or a day with more hours than it has, is refused with its line number."""
    hours: list[HoursEntry] = []
    for i, entry in enumerate(logbook):
        try:
            hours.append(
                HoursEntry(
                    worked_on=dt.date.fromisoformat(str(entry["date"])),
                    hours=Decimal(str(entry["hours"])),
                )
            )
        except PaymentRuleError as exc:  # a day with more hours than it has, negative hours
            raise InvoiceError(
                f"Regel {i + 1} van het urenlogboek: {exc}", field="logbook"
            ) from exc
        except (KeyError, ValueError, InvalidOperation) as exc:
            raise InvoiceError(
                f"Regel {i + 1} van het urenlogboek is ongeldig (datum en uren).", field="logbook"
            ) from exc
    problem = logbook_day_problem(hours)
    if problem is not None:
        raise InvoiceError(f"Urenlogboek: {problem}", field="logbook")
    return hours


def trajectory_facts(
    trajectory: Trajectory,
    *,
    substance: Mapping[str, Any] | None = None,
    logbook: Sequence[Mapping[str, Any]] = (),
    exclude_invoice_id: int | None = None,
    loaded: _Loaded | None = None,
    equated: frozenset[dt.date] | None = None,
) -> TrajectoryFacts:
    """Everything the payment rules need, read from the trajectory (price terms and dated
    history), its end event, its placement-fee claims with the client's hour restriction on
    the placement date (R-BILL-6), and the live invoices already sent for it (net of credit
    notes). Built by `payment_rules.facts_from_events`, the same code the `_evaluate`
    endpoint runs. `loaded` and `equated` (the decree-equated days) let a bulk check pass what
    it prefetched (no queries then)."""
    substance = substance or {}
    data = loaded if loaded is not None else _load(trajectory)
    end_reason = _ENDING_ACTIONS.get(data.end_action) if data.end_action else None
    termination: TerminationReason | None = None
    raw_termination = substance.get("termination_reason") or data.end_payload.get(
        "termination_reason"
    )
    if raw_termination:
        try:
            termination = TerminationReason(str(raw_termination))
        except ValueError as exc:
            raise InvoiceError(
                "Onbekende reden van voortijdige beëindiging.", field="termination_reason"
            ) from exc
    already = tuple(
        InvoicedAmount(
            kind=MilestoneKind(kind),
            amount_excl=amount - (credited or Decimal(0)),
            period_start=period_start,
            # A fully credited quarter paid no hours.
            hours=None if credited is not None and credited >= amount else hours,
        )
        for pk, kind, amount, period_start, credited, hours in data.earlier
        if pk != exclude_invoice_id
    )
    placements = tuple(
        PlacementFacts(
            start=claim.placement_start,
            contract_months=claim.contract_months,
            hours_per_week=claim.hours_per_week,
            probation_end=claim.probation_end,
            # R-BILL-6: the record's restriction on the placement date, never the typed one.
            client_hour_restriction=_restriction_decimal(
                data.restrictions.get(claim.placement_start)
            ),
            contract_received=bool(claim.contract),
        )
        for claim in data.placements
    )
    hours = logbook_entries(logbook)
    ended = trajectory.actual_end_date if end_reason is not None else None
    invoice_due = (
        trajectory_selectors.invoice_due_on(
            ended, equated=trajectory_selectors.equated_days() if equated is None else equated
        )
        if ended is not None
        else None
    )
    try:
        return facts_from_events(
            product_code=ProductCode(trajectory.product_code),
            terms=_price_terms(trajectory),
            events=trajectory_events(trajectory, end_reason, termination),
            logbook=hours,
            already_invoiced=already,
            placements=placements,
            # R-BILL-11: the VAT category of the order (the product's, recorded by the
            # contract manager), never what the invoice states.
            vat_code=trajectory.vat_code,
            reported_on_time=bool(substance.get("reported_on_time", False)),
            adjustment=_substance_adjustment(substance),
            invoice_due_on=invoice_due,
        )
    except PaymentRuleError as exc:
        raise InvoiceError(str(exc), field="trajectory") from exc


def _restriction_decimal(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


#: The `_evaluate` endpoint accepts dates in this range (a quarter loop over 8,000 years
#: would be a denial of service, not a question).
EVALUATE_FIRST_DAY = dt.date(1900, 1, 1)
EVALUATE_LAST_DAY = dt.date(2199, 12, 31)


def payment_rules_evaluate(
    *,
    organisation_id: int,
    product_code: int,
    terms: PriceTerms,
    events: Sequence[DatedEvent],
    as_of: dt.date,
    logbook: Sequence[HoursEntry] = (),
    already_invoiced: Sequence[InvoicedAmount] = (),
    placements: Sequence[PlacementFacts] = (),
    vat_code: str = VatCode.HIGH,
    reported_on_time: bool = False,
    adjustment: Adjustment | None = None,
) -> Assessment:
    """What the payment rules allow on `as_of` for the given facts (stateless: nothing is read
    but the reference data, nothing is written). The same `facts_from_events` + `assess` the
    invoice check runs, with the organisation's ceilings and VAT table. Refusals of the input
    raise `InvoiceError` naming the field."""
    days = [
        ("asOf", as_of),
        *(("events", e.on) for e in events),
        *(("events", e.planned_end) for e in events if e.planned_end is not None),
        *(("hoursLogbook", h.worked_on) for h in logbook),
        *(("alreadyInvoiced", i.period_start) for i in already_invoiced if i.period_start),
        *(("placements", p.start) for p in placements),
        *(("placements", p.probation_end) for p in placements if p.probation_end),
    ]
    if (problem := logbook_day_problem(logbook)) is not None:
        raise InvoiceError(problem, field="hoursLogbook")
    for field, day in days:
        if not EVALUATE_FIRST_DAY <= day <= EVALUATE_LAST_DAY:
            raise InvoiceError(
                f"Datum {day.isoformat()} valt buiten de jaren "
                f"{EVALUATE_FIRST_DAY.year} tot en met {EVALUATE_LAST_DAY.year}.",
                field=field,
            )
    try:
        facts = facts_from_events(
            product_code=ProductCode(product_code),
            terms=terms,
            events=events,
            logbook=logbook,
            already_invoiced=already_invoiced,
            placements=placements,
            vat_code=vat_code,
            reported_on_time=reported_on_time,
            adjustment=adjustment,
        )
    except PaymentRuleError as exc:
        raise InvoiceError(str(exc), field="events") from exc
    try:
        return assess(facts, rules_context(organisation_id), as_of=as_of)
    except (PaymentRuleError, MoneyError) as exc:
        message = str(exc)
        field = (
            "priceTerms"
            if "prijs" in message
            else "vatCode"
            if "btw" in message
            else "hoursLogbook"
            if "plafond" in message
            else "events"
        )
        raise InvoiceError(message, field=field) from exc


def claim_key(trajectory_id: int, milestone: MilestoneKind, period_start: dt.date | None) -> str:
    """Identity of a claim (R-BILL-10): the trajectory (one client at one provider), the
    milestone and, for periodic milestones, the period."""
    period = period_start.isoformat() if milestone in PERIODIC_MILESTONES and period_start else ""
    return f"{trajectory_id}|{milestone.value}|{period}"


CheckResult = tuple[Status, tuple[Reason, ...], Decimal | None]


def _check_facts(
    invoice: Invoice, *, loaded: _Loaded | None = None, equated: frozenset[dt.date] | None = None
) -> TrajectoryFacts:
    """The facts the payment rules judge `invoice` on, for the single and the bulk check
    alike: its trajectory's, with what the case manager confirmed and the hours logged on the
    invoice, the invoice itself not counted among those already sent. `loaded` and `equated`
    as in `trajectory_facts`."""
    return trajectory_facts(
        invoice.trajectory,
        substance=invoice.substance,
        logbook=invoice.logbook,
        exclude_invoice_id=invoice.pk,
        loaded=loaded,
        equated=equated,
    )


def _facts_missing(exc: InvoiceError) -> CheckResult:
    """The verdict on an invoice whose trajectory facts cannot be gathered: red, with why."""
    return Status.RED, (Reason(ReasonCode.FIELD_MISSING, exc.message),), None


def _run_check(invoice: Invoice) -> CheckResult:
    """The payment rules plus the checks only the stored invoice allows (client data, lines,
    invoiced hourly rate)."""
    try:
        facts = _check_facts(invoice)
    except InvoiceError as exc:
        return _facts_missing(exc)
    ctx = rules_context(invoice.organisation_id)
    return _verdict(invoice, facts, ctx, list(invoice.lines.all()))


def claim_of(invoice: Invoice) -> InvoiceClaim:
    """What the provider claims on a stored invoice, as the pure payment rules read it."""
    return InvoiceClaim(
        provider_ref=str(invoice.provider_id),
        client_number=invoice.stated_client_number,
        client_surname=invoice.stated_client_surname,
        invoice_number=invoice.invoice_number,
        invoice_date=invoice.invoice_date,
        milestone=MilestoneKind(invoice.milestone),
        amount_excl=invoice.amount_excl,
        vat=invoice.vat,
        amount_incl=invoice.amount_incl,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        received_on=timezone.localdate(invoice.received_at),
    )


def _verdict(
    invoice: Invoice,
    facts: TrajectoryFacts,
    ctx: RulesContext,
    lines: Sequence[InvoiceLine | _LineAmounts],
) -> CheckResult:
    """Run `payment_rules.check_invoice` on a stored invoice: this function only gathers the
    facts, the pure module decides."""
    client = invoice.client
    stored = StoredInvoice(
        claim=claim_of(invoice),
        record_client_number=client.client_number,
        record_client_surname=client.last_name,
        line_totals=tuple((line.amount_excl, line.vat) for line in lines),
        invoiced_rate=invoice.hourly_rate,
    )
    verdict = check_invoice(stored, facts, ctx)
    allowed = verdict.allowed.amount_excl if verdict.allowed is not None else None
    return verdict.status, verdict.reasons, allowed


@dataclass(frozen=True, slots=True)
class _LineAmounts:
    amount_excl: Decimal
    vat: Decimal


_CHECK_FIELDS = (
    "organisation_id",
    "provider_id",
    "trajectory_id",
    "client_id",
    "invoice_number",
    "invoice_date",
    "milestone",
    "period_start",
    "period_end",
    "stated_client_number",
    "stated_client_surname",
    "hourly_rate",
    "logbook",
    "amount_excl",
    "vat",
    "amount_incl",
    "received_at",
    "substance",
    "client__client_number",
    "client__last_name",
    *(
        f"trajectory__{name}"
        for name in (
            "product_code",
            "vat_code",
            "order_date",
            "client_id",
            "price_basis",
            "price",
            "hourly_rate",
            "agreed_hours",
            "budget_cap",
            "price_source",
            "budget",
            "intake_date",
            "intake_held_on",
            "plan_approved_on",
            "start_date",
            "planned_end_date",
            "actual_end_date",
            "final_report_on",
            "handed_over_on",
        )
    ),
)


def invoices_check_many(invoices: Sequence[Invoice]) -> dict[int, CheckResult]:
    """Run the checks of many stored invoices without writing (benchmarks, nightly rechecks):
    a constant number of queries per call instead of several per invoice. Each result is the
    same as `invoice_recheck` would store."""
    if not invoices:
        return {}
    ids = [i.pk for i in invoices]
    # Only what the checks read: far fewer conversions per row at national scale.
    loaded_invoices = list(
        Invoice.objects.filter(pk__in=ids)
        .select_related("trajectory", "client")
        .only(*_CHECK_FIELDS)
    )
    trajectory_ids = {i.trajectory_id for i in loaded_invoices}
    ends = trajectory_selectors.ending_events(trajectory_ids, _ENDING_ACTIONS)
    earlier = _earlier_rows(trajectory_ids)
    placements: dict[int, list[PlacementFeeClaim]] = {}
    for claim in PlacementFeeClaim.objects.filter(trajectory_id__in=trajectory_ids):
        placements.setdefault(claim.trajectory_id, []).append(claim)
    restrictions = _restrictions(
        (claim.client_id, claim.placement_start)
        for claims in placements.values()
        for claim in claims
    )
    lines: dict[int, list[_LineAmounts]] = {}
    for invoice_id, line_excl, line_vat in InvoiceLine.objects.filter(
        invoice_id__in=ids
    ).values_list("invoice_id", "amount_excl", "vat"):
        lines.setdefault(invoice_id, []).append(_LineAmounts(line_excl, line_vat))
    contexts: dict[int, RulesContext] = {}
    calendar: list[frozenset[dt.date]] = []

    def equated_for(invoice: Invoice) -> frozenset[dt.date]:
        """The decree-equated days, read once and only when they can change a verdict: an
        invoice received within 30 calendar days of the end is in time whatever the calendar
        (the Atw only extends the period), so a bulk of invoices in time reads no calendar."""
        ended = invoice.trajectory.actual_end_date
        received = timezone.localdate(invoice.received_at)
        if ended is None or received <= ended + dt.timedelta(days=INVOICE_DEADLINE_DAYS):
            return frozenset()
        if not calendar:
            calendar.append(trajectory_selectors.equated_days())
        return calendar[0]

    results: dict[int, CheckResult] = {}
    for invoice in loaded_invoices:
        end = ends.get(invoice.trajectory_id)
        loaded = _Loaded(
            end_action=end[0] if end else None,
            end_payload=end[1] if end else {},
            earlier=earlier.get(invoice.trajectory_id, []),
            placements=placements.get(invoice.trajectory_id, []),
            restrictions={
                day: value
                for (client_id, day), value in restrictions.items()
                if client_id == invoice.client_id
            },
        )
        ctx = contexts.get(invoice.organisation_id)
        if ctx is None:
            ctx = contexts[invoice.organisation_id] = rules_context(invoice.organisation_id)
        try:
            facts = _check_facts(invoice, loaded=loaded, equated=equated_for(invoice))
        except InvoiceError as exc:
            results[invoice.pk] = _facts_missing(exc)
            continue
        results[invoice.pk] = _verdict(invoice, facts, ctx, lines.get(invoice.pk, []))
    return results


def _apply_check(invoice: Invoice) -> None:
    status, reasons, allowed = _run_check(invoice)
    invoice.verdict = status.value
    invoice.reasons = _reasons_json(reasons)
    invoice.allowed_excl = allowed
    invoice.checked_at = _now()
