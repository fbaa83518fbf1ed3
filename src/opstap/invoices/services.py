"""Every state change of invoices, credit notes, payment batches, placement-fee claims and
travel claims (R-BILL-1..11).

- `invoice_submit` stores an invoice (portal, API or paper), builds the trajectory's facts and
  runs `payment_rules.check_claim` (green / orange / red with reasons). A duplicate of a live
  invoice (same trajectory, milestone and period, or the provider's invoice number again) is
  held (R-BILL-10); the database refuses a second live one even under a race.
- `invoice_recheck`, `invoice_confirm_substance`, `invoice_approve`, `invoice_reject` move the
  invoice along the workflow table (`workflow.py`); approval re-runs the rules and is refused
  with the reasons unless they allow the claim at that moment (R-BILL-2).
- `credit_note_create` links a (partial) credit to an invoice (R-BILL-8).
- `payment_batch_create` / `payment_batch_export` / `payment_batch_mark_paid` are idempotent:
  doing them twice changes nothing (R-BILL-10).
- `placement_fee_claim_submit` (R-BILL-6), `travel_claim_submit` (R-BILL-9).

Every service runs in one transaction, writes an `InvoiceEvent` and an audit record, and
raises `InvoiceError` with a Dutch message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.access import can_see
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.errors import InvalidInputError
from opstap.core.exports import MONEY, Sheet, XCell, csv_bytes, xlsx_bytes
from opstap.core.money import parse_amount
from opstap.core.roles import Perm, RoleCode
from opstap.documents import services as uploads
from opstap.providers.models import RateCeiling
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import Action as TrajectoryAction
from opstap.trajectories.selectors import add_working_days, handoffs
from opstap.trajectories.services import handoff_notify

from .models import (
    CreditNote,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSource,
    PaymentBatch,
    PlacementFeeClaim,
    TravelClaim,
    TravelTrip,
    VatRateRow,
)
from .money import (
    DEFAULT_VAT_RATES,
    MoneyError,
    VatCode,
    VatRate,
    to_cents,
    vat_line,
    vat_percentage_on,
)
from .payment_rules import (
    DEFAULT_CEILING_RATES,
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
    PriceBasis,
    PriceTerms,
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
)
from .rules.credit_notes import (
    CreditNoteAmounts,
    CreditNoteError,
    InvoiceAmounts,
    check_credit_note,
)
from .rules.travel import TravelDecision, TripClaim, check_travel_claim
from .workflow import (
    LIVE_STATUSES,
    IllegalInvoiceTransition,
    InvoiceAction,
    InvoiceStatus,
    next_status,
)

__all__ = [
    "PAYMENT_TERM_WORKING_DAYS",
    "InvoiceError",
    "LineInput",
    "credit_note_create",
    "invoice_approve",
    "invoice_confirm_substance",
    "invoice_recheck",
    "invoice_reject",
    "invoice_submit",
    "invoices_check_many",
    "payment_batch_create",
    "payment_batch_export",
    "payment_batch_mark_paid",
    "payment_rules_evaluate",
    "placement_fee_claim_submit",
    "trajectory_facts",
    "travel_claim_submit",
]

#: R-TRJ-3: an invoice is paid within 30 working days after receipt (Atw calendar).
PAYMENT_TERM_WORKING_DAYS = 30
MAX_PDF_BYTES = uploads.MAX_UPLOAD_BYTES
#: Milestones that need a person's confirmation of the facts before approval.
SUBSTANCE_MILESTONES = frozenset({MilestoneKind.EARLY_TERMINATION, MilestoneKind.PLACEMENT_FEE})
_ENDING_ACTIONS: Mapping[str, EndReason] = {
    TrajectoryAction.COMPLETE.value: EndReason.COMPLETED,
    TrajectoryAction.TERMINATE_EARLY.value: EndReason.TERMINATED_EARLY,
    # A return (R-TRJ-5) is an early end for reasons outside the provider's control.
    TrajectoryAction.APPROVE_RETURN.value: EndReason.TERMINATED_EARLY,
    TrajectoryAction.NOT_STARTED_AFTER_KLIKGESPREK.value: EndReason.NOT_STARTED_AFTER_KLIKGESPREK,
    TrajectoryAction.NOT_STARTED_AFTER_INTAKE.value: EndReason.NOT_STARTED_AFTER_INTAKE,
}


class InvoiceError(InvalidInputError):
    """A refused invoice change; `message` is Dutch and meant for the user. Raised with
    `code="not_found"`/`"forbidden"` it answers 404/403 in the API (`opstap.core.errors`)."""


@dataclass(frozen=True, slots=True)
class LineInput:
    """One invoice line as submitted; VAT is computed from the rate valid on the invoice date
    when not given (R-BILL-11)."""

    description: str
    amount_excl: Decimal
    vat_code: str = VatCode.HIGH
    vat: Decimal | None = None


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return timezone.now()


def _money(value: Any, *, field: str, label: str, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise InvoiceError(f"Vul {label} in.", field=field, code="required")
        return None
    try:
        amount = value if isinstance(value, Decimal) else parse_amount(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvoiceError(f"{label.capitalize()} is geen geldig bedrag.", field=field) from exc
    if not amount.is_finite():
        raise InvoiceError(f"{label.capitalize()} is geen geldig bedrag.", field=field)
    if amount != to_cents(amount):
        raise InvoiceError(
            f"{label.capitalize()} heeft meer dan twee decimalen (R-BILL-11).", field=field
        )
    if abs(amount) >= Decimal("10000000000"):
        raise InvoiceError(f"{label.capitalize()} is te groot.", field=field)
    if amount < 0:  # amounts, rates, hours and distances are never negative (R-SEC-6)
        raise InvoiceError(f"{label.capitalize()} kan niet negatief zijn.", field=field)
    return amount


def _req_money(value: Any, *, field: str, label: str) -> Decimal:
    amount = _money(value, field=field, label=label)
    assert amount is not None
    return amount


def _is_provider_of(actor: Actor, provider_id: int) -> bool:
    membership = getattr(actor, "provider_membership", None)
    return (
        actor.has_role(RoleCode.PROVIDER_STAFF)
        and membership is not None
        and membership.provider_id == provider_id
    )


def _is_finance(actor: Actor) -> bool:
    return bool(actor.has_opstap_perm(Perm.INVOICE_APPROVE)) and not actor.has_role(
        RoleCode.PROVIDER_STAFF
    )


def _require_finance(actor: Actor) -> None:
    if actor is None or not _is_finance(actor):
        raise InvoiceError(
            "Alleen de administratie (recht 'facturen goedkeuren') mag dit.", code="forbidden"
        )


def _require_visible(actor: Actor, obj: Any, what: str = "Deze factuur") -> None:
    if actor is None or not can_see(actor, obj):
        raise InvoiceError(f"{what} bestaat niet of u heeft er geen toegang toe.", code="not_found")


def _reasons_json(reasons: Iterable[Reason]) -> list[dict[str, str]]:
    return [{"code": str(r.code), "message": r.message} for r in reasons]


def _record(
    *,
    actor: Actor,
    invoice: Invoice,
    action: str,
    from_status: str,
    reason: str = "",
    payload: Mapping[str, Any] | None = None,
    audit: AuditAction = AuditAction.UPDATE,
    changes: Mapping[str, Any] | None = None,
) -> None:
    InvoiceEvent.objects.create(
        organisation_id=invoice.organisation_id,
        invoice=invoice,
        occurred_at=_now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=invoice.status,
        reason=reason,
        payload=dict(payload or {}),
    )
    audit_log(
        action=audit,
        actor=actor,
        object_type="invoice",
        object_id=invoice.pk,
        client_id=invoice.client_id,
        purpose=f"Factuur: {action}",
        changes=changes or {"status": [from_status or None, invoice.status]},
        organisation_id=invoice.organisation_id,
    )


def _transition(invoice: Invoice, action: InvoiceAction) -> str:
    """Move `invoice` along the workflow table; returns the old status."""
    try:
        target = next_status(invoice.status, action)
    except IllegalInvoiceTransition as exc:
        raise InvoiceError(str(exc), code="illegal_transition") from exc
    old = invoice.status
    invoice.status = target.value
    return old


def _lock(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update()
        .select_related("trajectory", "trajectory__product", "client", "provider")
        .get(pk=invoice.pk)
    )


# --------------------------------------------------------------------------------------------
# Facts of a trajectory (input of the pure payment rules)
# --------------------------------------------------------------------------------------------


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
            trajectory_id__in=list(trajectory_ids), status__in=[s.value for s in LIVE_STATUSES]
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
    """The trajectory's stored price terms, as the payment rules read them."""
    from opstap.trajectories.services import TrajectoryError, price_terms_of

    try:
        stored = price_terms_of(trajectory)
        return PriceTerms(
            basis=PriceBasis(stored.basis.value),
            price=stored.price,
            hourly_rate=stored.hourly_rate,
            agreed_hours=stored.agreed_hours,
            budget_cap=stored.budget_cap,
        )
    except (TrajectoryError, PaymentRuleError) as exc:
        raise InvoiceError(str(exc), field="price_terms") from exc


def trajectory_facts(
    trajectory: Trajectory,
    *,
    substance: Mapping[str, Any] | None = None,
    logbook: Sequence[Mapping[str, Any]] = (),
    exclude_invoice_id: int | None = None,
    loaded: _Loaded | None = None,
) -> TrajectoryFacts:
    """Everything the payment rules need, read from the trajectory (price terms and dated
    history), its end event, its placement-fee claims with the client's hour restriction on
    the placement date (R-BILL-6), and the live invoices already sent for it (net of credit
    notes). Built by `payment_rules.facts_from_events`, the same code the `_evaluate`
    endpoint runs. `loaded` lets a bulk check pass what it prefetched (no queries then)."""
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
    hours: list[HoursEntry] = []
    for i, entry in enumerate(logbook):
        try:
            hours.append(
                HoursEntry(
                    worked_on=dt.date.fromisoformat(str(entry["date"])),
                    hours=Decimal(str(entry["hours"])),
                )
            )
        except (KeyError, ValueError, InvalidOperation, PaymentRuleError) as exc:
            raise InvoiceError(
                f"Regel {i + 1} van het urenlogboek is ongeldig (datum en uren).", field="logbook"
            ) from exc
    try:
        return facts_from_events(
            product_code=ProductCode(trajectory.product_code),
            terms=_price_terms(trajectory),
            events=trajectory_events(trajectory, end_reason, termination),
            logbook=hours,
            already_invoiced=already,
            placements=placements,
            vat_code=str(substance.get("vat_code") or VatCode.HIGH),
            reported_on_time=bool(substance.get("reported_on_time", False)),
            adjustment=_substance_adjustment(substance),
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


def _run_check(invoice: Invoice) -> CheckResult:
    """The payment rules plus the checks only the stored invoice allows (client data, lines,
    invoiced hourly rate)."""
    try:
        facts = trajectory_facts(
            invoice.trajectory,
            substance=invoice.substance,
            logbook=invoice.logbook,
            exclude_invoice_id=invoice.pk,
        )
    except InvoiceError as exc:
        return Status.RED, (Reason(ReasonCode.FIELD_MISSING, exc.message),), None
    ctx = rules_context(invoice.organisation_id)
    return _verdict(invoice, facts, ctx, list(invoice.lines.all()))


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
        claim=InvoiceClaim(
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
        ),
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
    "substance",
    "client__client_number",
    "client__last_name",
    *(
        f"trajectory__{name}"
        for name in (
            "product_code",
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
            facts = trajectory_facts(
                invoice.trajectory,
                substance=invoice.substance,
                logbook=invoice.logbook,
                exclude_invoice_id=invoice.pk,
                loaded=loaded,
            )
        except InvoiceError as exc:
            results[invoice.pk] = (
                Status.RED,
                (Reason(ReasonCode.FIELD_MISSING, exc.message),),
                None,
            )
            continue
        results[invoice.pk] = _verdict(invoice, facts, ctx, lines.get(invoice.pk, []))
    return results


def _apply_check(invoice: Invoice) -> None:
    status, reasons, allowed = _run_check(invoice)
    invoice.verdict = status.value
    invoice.reasons = _reasons_json(reasons)
    invoice.allowed_excl = allowed
    invoice.checked_at = _now()


# --------------------------------------------------------------------------------------------
# Invoices
# --------------------------------------------------------------------------------------------


def _check_pdf(pdf: UploadedFile[Any] | None, *, field: str = "pdf") -> None:
    if pdf is None:
        return
    try:
        uploads.check_upload(pdf, allowed=uploads.PDF_ONLY, max_bytes=MAX_PDF_BYTES)
    except uploads.UploadRefusedError as exc:
        raise InvoiceError(str(exc), field=field) from exc


#: Dates an invoice, credit note or claim can plausibly carry (the Participatiewet started
#: in 2015; older dates are typing errors, and year 1 crashed the working-day arithmetic).
PLAUSIBLE_FIRST_DAY = dt.date(2000, 1, 1)
PLAUSIBLE_LAST_DAY = dt.date(2099, 12, 31)


def _parse_date(value: Any, *, field: str, label: str, required: bool) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise InvoiceError(f"Vul {label} in.", field=field, code="required")
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise InvoiceError(f"{label.capitalize()} is geen geldige datum.", field=field) from exc
    if not PLAUSIBLE_FIRST_DAY <= day <= PLAUSIBLE_LAST_DAY:  # e.g. 0001-01-01 (R-SEC-6)
        raise InvoiceError(
            f"{label.capitalize()} ligt niet tussen {PLAUSIBLE_FIRST_DAY:%d-%m-%Y} en "
            f"{PLAUSIBLE_LAST_DAY:%d-%m-%Y}.",
            field=field,
        )
    return day


def _check_submitter(actor: Actor, trajectory: Trajectory) -> None:
    """Provider staff submit only for their own provider's trajectories; the administration
    may register paper invoices. Anyone else, or another provider, is refused as if the
    trajectory did not exist (R-SEC-1)."""
    if actor is None or not actor.is_authenticated:
        raise InvoiceError("Log in om een factuur in te dienen.", code="forbidden")
    if actor.has_role(RoleCode.PROVIDER_STAFF):
        if not _is_provider_of(actor, trajectory.provider_id):
            # Same words as a missing trajectory: another provider's work is no business.
            raise InvoiceError(
                "Dit traject bestaat niet of u heeft er geen toegang toe.",
                field="trajectory",
                code="not_found",
            )
    elif not _is_finance(actor):
        raise InvoiceError(
            "Alleen de aanbieder of de administratie kan een factuur indienen.", code="forbidden"
        )
    _require_visible(actor, trajectory, "Dit traject")


@transaction.atomic
def invoice_submit(
    *,
    actor: Actor,
    trajectory: Trajectory,
    invoice_number: str,
    invoice_date: dt.date | str,
    milestone: MilestoneKind | str,
    amount_excl: Decimal | str,
    vat: Decimal | str,
    amount_incl: Decimal | str,
    client_number: str,
    client_surname: str,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
    lines: Sequence[LineInput] = (),
    hourly_rate: Decimal | str | None = None,
    logbook: Sequence[Mapping[str, Any]] = (),
    pdf: UploadedFile[Any] | None = None,
    source: str = InvoiceSource.PORTAL,
    structured_data: Mapping[str, Any] | None = None,
    received_at: dt.datetime | None = None,
) -> Invoice:
    """Receive an invoice for one client and one milestone of `trajectory` and check it
    against the payment rules (R-BILL-2). Provider staff submit only for their own provider's
    trajectories (others are "not found"); the administration may register paper invoices.
    A duplicate is stored but held (R-BILL-10)."""
    _check_submitter(actor, trajectory)
    try:
        kind = MilestoneKind(milestone)
    except ValueError as exc:
        raise InvoiceError("Kies waarvoor u factureert (mijlpaal).", field="milestone") from exc
    number = (invoice_number or "").strip()
    if not number:
        raise InvoiceError("Vul het factuurnummer in.", field="invoice_number", code="required")
    if len(number) > 60:
        raise InvoiceError("Het factuurnummer is te lang (max. 60 tekens).", field="invoice_number")
    inv_date = _parse_date(
        invoice_date, field="invoice_date", label="de factuurdatum", required=True
    )
    assert inv_date is not None
    p_start = _parse_date(
        period_start, field="period_start", label="het begin van de periode", required=False
    )
    p_end = _parse_date(
        period_end, field="period_end", label="het einde van de periode", required=False
    )
    if p_start and p_end and p_end < p_start:
        raise InvoiceError("De periode eindigt vóór het begin.", field="period_end")
    excl = _req_money(amount_excl, field="amount_excl", label="het bedrag excl. btw")
    vat_amount = _req_money(vat, field="vat", label="de btw")
    incl = _req_money(amount_incl, field="amount_incl", label="het bedrag incl. btw")
    rate = _money(hourly_rate, field="hourly_rate", label="het uurtarief", required=False)
    if source not in InvoiceSource.values:
        raise InvoiceError("Onbekende bron van de factuur.", field="source")
    _check_pdf(pdf)
    received = received_at or _now()
    received_day = timezone.localdate(received)
    if inv_date > received_day:
        raise InvoiceError("De factuurdatum ligt na de ontvangstdatum.", field="invoice_date")
    key = claim_key(trajectory.pk, kind, p_start)
    invoice = Invoice(
        organisation_id=trajectory.organisation_id,
        provider_id=trajectory.provider_id,
        trajectory=trajectory,
        client_id=trajectory.client_id,
        invoice_number=number,
        invoice_date=inv_date,
        received_at=received,
        due_on=add_working_days(
            received_day,
            PAYMENT_TERM_WORKING_DAYS,
            equated_days=trajectory_selectors.equated_days(),
        ),
        milestone=kind.value,
        period_start=p_start,
        period_end=p_end,
        stated_client_number=(client_number or "").strip(),
        stated_client_surname=(client_surname or "").strip(),
        hourly_rate=rate,
        logbook=[dict(e) for e in logbook],
        amount_excl=excl,
        vat=vat_amount,
        amount_incl=incl,
        structured_data=dict(structured_data or {}),
        source=source,
        submitted_by=actor,
        status=InvoiceStatus.RECEIVED.value,
        needs_substance=kind in SUBSTANCE_MILESTONES,
        claim_key=key,
    )
    if pdf is not None:
        invoice.pdf_name = (pdf.name or "factuur.pdf")[:255]
        invoice.pdf.save(f"{number}.pdf".replace("/", "-"), pdf, save=False)
    invoice.save()
    _save_lines(invoice, lines, inv_date)
    _record(
        actor=actor,
        invoice=invoice,
        action="submit",
        from_status="",
        payload={"source": source, "milestone": kind.value},
        audit=AuditAction.CREATE,
        changes={"invoice_number": [None, number], "amount_incl": [None, str(incl)]},
    )
    _check_or_hold(actor, invoice)
    return invoice


def _save_lines(invoice: Invoice, lines: Sequence[LineInput], on: dt.date) -> None:
    rates = vat_rates()
    if not lines:
        # One line from the totals, with the VAT code whose rate matches the VAT (or high).
        code = VatCode.HIGH
        for candidate in (VatCode.HIGH, VatCode.LOW, VatCode.EXEMPT):
            pct = vat_percentage_on(rates, candidate, on)
            if vat_line(invoice.amount_excl, pct).vat == invoice.vat:
                code = candidate
                break
        lines = [
            LineInput(
                description=invoice.get_milestone_display(),
                amount_excl=invoice.amount_excl,
                vat_code=code,
                vat=invoice.vat,
            )
        ]
    rows = []
    for position, line in enumerate(lines, start=1):
        if line.vat_code not in VatCode.__members__.values():
            raise InvoiceError(f"Regel {position}: onbekende btw-code.", field="lines")
        pct = vat_percentage_on(rates, line.vat_code, on)
        computed = vat_line(
            _req_money(line.amount_excl, field="lines", label=f"regel {position}"), pct
        )
        line_vat = computed.vat if line.vat is None else to_cents(line.vat)
        rows.append(
            InvoiceLine(
                invoice=invoice,
                position=position,
                description=(line.description or invoice.get_milestone_display())[:255],
                vat_code=line.vat_code,
                vat_percentage=pct,
                amount_excl=computed.excl,
                vat=line_vat,
                amount_incl=computed.excl + line_vat,
            )
        )
    InvoiceLine.objects.bulk_create(rows)


def _live_duplicate(invoice: Invoice) -> Invoice | None:
    live = [s.value for s in LIVE_STATUSES]
    return (
        Invoice.objects.filter(organisation_id=invoice.organisation_id, status__in=live)
        .filter(
            Q(claim_key=invoice.claim_key)
            | Q(provider_id=invoice.provider_id, invoice_number=invoice.invoice_number)
        )
        .exclude(pk=invoice.pk)
        .order_by("received_at", "id")
        .first()
    )


def _hold(actor: Actor, invoice: Invoice, original: Invoice, action: InvoiceAction) -> None:
    old = _transition(invoice, action)
    invoice.duplicate_of = original
    invoice.verdict = Status.RED.value
    invoice.reasons = _reasons_json(
        [
            Reason(
                ReasonCode.DUPLICATE,
                f"Dubbel: dezelfde mijlpaal (of hetzelfde factuurnummer) is al gedeclareerd met "
                f"factuur {original.invoice_number}; aangehouden, nooit dubbel betaald "
                "(R-BILL-10).",
            )
        ]
    )
    invoice.checked_at = _now()
    invoice.save()
    _record(
        actor=actor,
        invoice=invoice,
        action=action.value,
        from_status=old,
        reason=invoice.reasons[0]["message"],
        payload={"duplicate_of": original.pk},
    )


def _check_or_hold(actor: Actor, invoice: Invoice) -> None:
    original = _live_duplicate(invoice)
    if original is not None:
        _hold(actor, invoice, original, InvoiceAction.HOLD)
        return
    old = _transition(invoice, InvoiceAction.CHECK)
    _apply_check(invoice)
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError:
        # Another submission of the same claim won the race: this one is the duplicate.
        invoice.status = old
        original = _live_duplicate(invoice)
        if original is None:  # pragma: no cover - defensive
            raise
        _hold(actor, invoice, original, InvoiceAction.HOLD)
        return
    _record(
        actor=actor,
        invoice=invoice,
        action=InvoiceAction.CHECK.value,
        from_status=old,
        payload={"verdict": invoice.verdict, "reasons": invoice.reasons},
    )


@transaction.atomic
def invoice_recheck(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Run the rules again (e.g. the final report arrived after the invoice). A held invoice
    is released only when its original is no longer alive (R-BILL-10)."""
    _require_visible(actor, invoice)
    if not (_is_finance(actor) or actor.has_opstap_perm(Perm.TRAJECTORY_ORDER)):
        raise InvoiceError("U mag deze factuur niet opnieuw controleren.", code="forbidden")
    locked = _lock(invoice)
    if locked.status == InvoiceStatus.HELD.value:
        original = _live_duplicate(locked)
        if original is not None:
            raise InvoiceError(
                f"Deze factuur blijft aangehouden: factuur {original.invoice_number} voor "
                "dezelfde mijlpaal loopt nog (R-BILL-10).",
                code="duplicate",
            )
        locked.duplicate_of = None
    old = _transition(locked, InvoiceAction.RECHECK)
    _apply_check(locked)
    locked.save()
    _record(
        actor=actor,
        invoice=locked,
        action=InvoiceAction.RECHECK.value,
        from_status=old,
        payload={"verdict": locked.verdict, "reasons": locked.reasons},
    )
    invoice.refresh_from_db()
    return invoice


@transaction.atomic
def invoice_confirm_substance(
    *,
    actor: Actor,
    invoice: Invoice,
    termination_reason: str = "",
    reported_on_time: bool = False,
    adjusted_amount_excl: Decimal | str | None = None,
    adjustment_reason: str = "",
    note: str = "",
) -> Invoice:
    """The case manager confirms what only a person can judge (R-BILL-5, R-BILL-6): the reason
    of an early termination, that the provider reported on time, an adjusted pro-rata amount
    (with a reason), or the placement facts behind a placement fee. The rules then run again."""
    _require_visible(actor, invoice)
    if not actor.has_opstap_perm(Perm.TRAJECTORY_ORDER) or actor.has_role(RoleCode.PROVIDER_STAFF):
        raise InvoiceError(
            "Alleen de klantmanager van het traject bevestigt de inhoud.", code="forbidden"
        )
    locked = _lock(invoice)
    if not locked.needs_substance:
        raise InvoiceError("Voor deze factuur is geen inhoudelijke bevestiging nodig.")
    substance: dict[str, Any] = {"reported_on_time": bool(reported_on_time), "note": note.strip()}
    if locked.milestone == MilestoneKind.EARLY_TERMINATION.value:
        if termination_reason not in TerminationReason.__members__.values():
            raise InvoiceError(
                "Kies de reden van voortijdige beëindiging.", field="termination_reason"
            )
        substance["termination_reason"] = termination_reason
        adjusted = _money(
            adjusted_amount_excl,
            field="adjusted_amount_excl",
            label="het aangepaste bedrag",
            required=False,
        )
        if adjusted is not None:
            if not adjustment_reason.strip():
                raise InvoiceError(
                    "Geef een reden voor het aangepaste bedrag (R-BILL-5).",
                    field="adjustment_reason",
                )
            substance["adjusted_amount_excl"] = str(adjusted)
            substance["adjustment_reason"] = adjustment_reason.strip()
    substance["confirmed_by"] = actor.pk
    old_substance = dict(locked.substance)
    locked.substance = substance
    old = _transition(locked, InvoiceAction.CONFIRM_SUBSTANCE)
    _apply_check(locked)
    locked.save()
    _record(
        actor=actor,
        invoice=locked,
        action=InvoiceAction.CONFIRM_SUBSTANCE.value,
        from_status=old,
        reason=note.strip(),
        payload={"substance": substance, "verdict": locked.verdict},
        changes={"substance": [old_substance, substance], "status": [old, locked.status]},
    )
    invoice.refresh_from_db()
    return invoice


@transaction.atomic
def invoice_approve(*, actor: Actor, invoice: Invoice, note: str = "") -> Invoice:
    """Approve for payment (R-BILL-2): only what the rules allow at this moment. The rules run
    again; a red verdict is refused with every reason, an orange one needs a note, and early
    terminations and placement fees need the case manager's confirmation first."""
    _require_finance(actor)
    _require_visible(actor, invoice)
    locked = _lock(invoice)
    if locked.status == InvoiceStatus.CHECKED.value and locked.needs_substance:
        raise InvoiceError(
            "Eerst moet de klantmanager de inhoud bevestigen (reden beëindiging, "
            "rapportage, plaatsing).",
            code="substance_required",
        )
    old = _transition(locked, InvoiceAction.APPROVE)
    _apply_check(locked)
    if locked.verdict == Status.RED.value:
        messages = " ".join(r["message"] for r in locked.reasons)
        raise InvoiceError(f"Goedkeuren kan niet: {messages}", code="refused_by_rules")
    if locked.verdict == Status.ORANGE.value and not note.strip():
        raise InvoiceError(
            "Deze factuur is oranje: licht toe waarom u hem toch goedkeurt.", field="note"
        )
    locked.approved_by = actor
    locked.approved_at = _now()
    locked.decision_note = note.strip()
    locked.save()
    _record(
        actor=actor,
        invoice=locked,
        action=InvoiceAction.APPROVE.value,
        from_status=old,
        reason=note.strip(),
        payload={"verdict": locked.verdict},
    )
    _notify_provider(actor, locked, handoffs.INVOICE_APPROVED, note.strip())
    invoice.refresh_from_db()
    return invoice


@transaction.atomic
def invoice_reject(*, actor: Actor, invoice: Invoice, reason: str) -> Invoice:
    """Reject an invoice with a reason (shown to the provider)."""
    _require_finance(actor)
    _require_visible(actor, invoice)
    if not (reason or "").strip():
        raise InvoiceError("Geef een reden voor de afwijzing.", field="reason", code="required")
    locked = _lock(invoice)
    old = _transition(locked, InvoiceAction.REJECT)
    locked.decision_note = reason.strip()
    locked.save()
    _record(
        actor=actor,
        invoice=locked,
        action=InvoiceAction.REJECT.value,
        from_status=old,
        reason=reason.strip(),
    )
    _notify_provider(actor, locked, handoffs.INVOICE_REJECTED, reason.strip())
    invoice.refresh_from_db()
    return invoice


def _notify_provider(actor: Any, invoice: Invoice, event: str, reason: str) -> None:
    """The finance decision goes to the provider's staff (hand-off table, once only)."""
    handoff_notify(
        event=event,
        actor=actor,
        trajectory=invoice.trajectory,
        dedupe_key=f"invoice:{invoice.pk}:{event}",
        url=f"/facturen/{invoice.pk}/",
        reason=reason,
        invoice=invoice.invoice_number,
    )


# --------------------------------------------------------------------------------------------
# Credit notes (R-BILL-8)
# --------------------------------------------------------------------------------------------


@transaction.atomic
def credit_note_create(
    *,
    actor: Actor,
    invoice: Invoice,
    number: str,
    credit_date: dt.date | str,
    reason: str,
    amount_excl: Decimal | str,
    vat: Decimal | str,
    amount_incl: Decimal | str,
) -> CreditNote:
    """A (partial) credit note on an approved or paid invoice; never more than the invoice
    still has (R-BILL-8)."""
    _require_finance(actor)
    _require_visible(actor, invoice)
    locked = _lock(invoice)
    if locked.status not in (
        InvoiceStatus.APPROVED.value,
        InvoiceStatus.IN_BATCH.value,
        InvoiceStatus.PAID.value,
    ):
        raise InvoiceError(
            "Alleen een goedgekeurde of betaalde factuur kan worden gecrediteerd; wijs een "
            "onjuiste factuur anders af."
        )
    number = (number or "").strip()
    if not number:
        raise InvoiceError("Vul het nummer van de creditnota in.", field="number")
    if not (reason or "").strip():
        raise InvoiceError("Geef de reden van de creditnota.", field="reason")
    day = _parse_date(credit_date, field="credit_date", label="de datum", required=True)
    assert day is not None
    new = CreditNoteAmounts(
        number=number,
        invoice_number=locked.invoice_number,
        excl=_req_money(amount_excl, field="amount_excl", label="het bedrag excl. btw"),
        vat=_req_money(vat, field="vat", label="de btw"),
        incl=_req_money(amount_incl, field="amount_incl", label="het bedrag incl. btw"),
    )
    existing = [
        CreditNoteAmounts(c.number, locked.invoice_number, c.amount_excl, c.vat, c.amount_incl)
        for c in locked.credit_notes.all()
    ]
    try:
        check_credit_note(
            new,
            InvoiceAmounts(
                number=locked.invoice_number,
                trajectory_ref=str(locked.trajectory_id),
                provider_ref=str(locked.provider_id),
                excl=locked.amount_excl,
                vat=locked.vat,
                incl=locked.amount_incl,
            ),
            existing,
        )
    except CreditNoteError as exc:
        raise InvoiceError(str(exc), field="amount_incl") from exc
    if CreditNote.objects.filter(provider_id=locked.provider_id, number=number).exists():
        raise InvoiceError(f"Creditnota {number} bestaat al.", field="number", code="duplicate")
    note = CreditNote.objects.create(
        organisation_id=locked.organisation_id,
        invoice=locked,
        provider_id=locked.provider_id,
        number=number,
        credit_date=day,
        reason=reason.strip(),
        amount_excl=new.excl,
        vat=new.vat,
        amount_incl=new.incl,
        created_by=actor,
    )
    _record(
        actor=actor,
        invoice=locked,
        action="credit_note",
        from_status=locked.status,
        reason=reason.strip(),
        payload={"credit_note": note.pk, "amount_incl": str(new.incl)},
        audit=AuditAction.CREATE,
        changes={"credit_note": [None, number], "amount_incl": [None, str(new.incl)]},
    )
    return note


# --------------------------------------------------------------------------------------------
# Payment batches (R-BILL-10: idempotent)
# --------------------------------------------------------------------------------------------


def _batch_audit(actor: Actor, batch: PaymentBatch, action: AuditAction, purpose: str) -> None:
    audit_log(
        action=action,
        actor=actor,
        object_type="payment_batch",
        object_id=batch.pk,
        purpose=purpose,
        organisation_id=batch.organisation_id,
    )


@transaction.atomic
def payment_batch_create(*, actor: Actor) -> PaymentBatch:
    """Put every approved invoice (and every credit note not yet settled) of the organisation
    in a new batch. Each invoice can be in one batch only (the workflow and a check constraint
    guarantee it); with nothing approved nothing is created (R-BILL-10)."""
    _require_finance(actor)
    org_id = organisation_id_of(actor)
    invoices = list(
        Invoice.objects.select_for_update()
        .filter(organisation_id=org_id, status=InvoiceStatus.APPROVED.value)
        .order_by("provider_id", "due_on", "id")
    )
    if not invoices:
        raise InvoiceError("Er zijn geen goedgekeurde facturen die nog betaald moeten worden.")
    credits = list(
        CreditNote.objects.select_for_update().filter(
            organisation_id=org_id, payment_batch__isnull=True
        )
    )
    count = PaymentBatch.objects.filter(organisation_id=org_id).count()
    now = _now()
    batch = PaymentBatch.objects.create(
        organisation_id=org_id,
        reference=f"BB-{timezone.localdate(now).year}-{count + 1:04d}",
        created_by=actor,
        created_at=now,
        invoice_count=len(invoices),
        total_incl=sum((i.amount_incl for i in invoices), Decimal(0))
        - sum((c.amount_incl for c in credits), Decimal(0)),
    )
    for invoice in invoices:
        old = _transition(invoice, InvoiceAction.ADD_TO_BATCH)
        invoice.payment_batch = batch
        invoice.save(update_fields=["status", "payment_batch", "updated_at"])
        InvoiceEvent.objects.create(
            organisation_id=org_id,
            invoice=invoice,
            occurred_at=now,
            actor=actor,
            action=InvoiceAction.ADD_TO_BATCH.value,
            from_status=old,
            to_status=invoice.status,
            payload={"batch": batch.reference},
        )
    CreditNote.objects.filter(pk__in=[c.pk for c in credits]).update(payment_batch=batch)
    _batch_audit(actor, batch, AuditAction.CREATE, f"Betaalbatch {batch.reference} samengesteld")
    return batch


EXPORT_COLUMNS = (
    "Batch",
    "Soort",
    "Aanbieder",
    "Factuurnummer",
    "Factuurdatum",
    "Uiterste betaaldatum",
    "Klantnummer",
    "Mijlpaal",
    "Bedrag excl. btw",
    "Btw",
    "Bedrag incl. btw",
)


def batch_rows(batch: PaymentBatch) -> list[tuple[Any, ...]]:
    """The rows of the export: invoices, then credit notes as negative amounts."""
    invoices = batch.invoices.select_related("provider", "client").order_by("provider__name", "id")
    rows: list[tuple[Any, ...]] = [
        (
            batch.reference,
            "factuur",
            inv.provider.name,
            inv.invoice_number,
            inv.invoice_date,
            inv.due_on,
            inv.client.client_number,
            inv.get_milestone_display(),
            inv.amount_excl,
            inv.vat,
            inv.amount_incl,
        )
        for inv in invoices
    ]
    rows.extend(
        (
            batch.reference,
            "creditnota",
            note.provider.name,
            note.number,
            note.credit_date,
            None,
            note.invoice.client.client_number,
            f"Credit op {note.invoice.invoice_number}",
            -note.amount_excl,
            -note.vat,
            -note.amount_incl,
        )
        for note in batch.credit_notes.select_related("provider", "invoice__client").order_by("id")
    )
    return rows


def _csv_bytes(rows: Sequence[tuple[Any, ...]]) -> bytes:
    return csv_bytes(EXPORT_COLUMNS, rows)


def _xlsx_bytes(rows: Sequence[tuple[Any, ...]]) -> bytes:
    """Typed cells: dates as dates, euro amounts as numbers with a euro format."""

    def typed(v: Any) -> Any:
        return XCell(v, MONEY) if isinstance(v, Decimal | float | int) else v

    body = ([typed(v) for v in row] for row in rows)
    return xlsx_bytes([Sheet("Betaalbatch", itertools.chain([list(EXPORT_COLUMNS)], body))])


@transaction.atomic
def payment_batch_export(*, actor: Actor, batch: PaymentBatch) -> PaymentBatch:
    """Export a batch (xlsx + CSV). The first export freezes the files and their checksum;
    exporting again returns the same files and changes nothing (R-BILL-10)."""
    _require_finance(actor)
    _require_visible(actor, batch, "Deze betaalbatch")
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.exported_at is not None:
        _batch_audit(actor, locked, AuditAction.EXPORT, f"Betaalbatch {locked.reference} opnieuw")
        return locked
    rows = batch_rows(locked)
    csv_data = _csv_bytes(rows)
    locked.export_csv.save(f"{locked.reference}.csv", ContentFile(csv_data), save=False)
    locked.export_xlsx.save(f"{locked.reference}.xlsx", ContentFile(_xlsx_bytes(rows)), save=False)
    locked.export_sha256 = hashlib.sha256(csv_data).hexdigest()
    locked.exported_at = _now()
    locked.exported_by = actor
    locked.status = PaymentBatch.BatchStatus.EXPORTED
    locked.save()
    _batch_audit(actor, locked, AuditAction.EXPORT, f"Betaalbatch {locked.reference} export")
    batch.refresh_from_db()
    return batch


@transaction.atomic
def payment_batch_mark_paid(*, actor: Actor, batch: PaymentBatch, paid_on: dt.date) -> PaymentBatch:
    """Record the bank's payment of an exported batch; a second time changes nothing."""
    _require_finance(actor)
    _require_visible(actor, batch, "Deze betaalbatch")
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status == PaymentBatch.BatchStatus.PAID:
        return locked
    if locked.exported_at is None:
        raise InvoiceError("Exporteer de batch eerst naar de bank.")
    now = _now()
    for invoice in locked.invoices.select_for_update().filter(status=InvoiceStatus.IN_BATCH.value):
        old = _transition(invoice, InvoiceAction.PAY)
        invoice.paid_on = paid_on
        invoice.save(update_fields=["status", "paid_on", "updated_at"])
        InvoiceEvent.objects.create(
            organisation_id=locked.organisation_id,
            invoice=invoice,
            occurred_at=now,
            actor=actor,
            action=InvoiceAction.PAY.value,
            from_status=old,
            to_status=invoice.status,
            payload={"batch": locked.reference, "paid_on": paid_on.isoformat()},
        )
    locked.status = PaymentBatch.BatchStatus.PAID
    locked.paid_on = paid_on
    locked.save(update_fields=["status", "paid_on"])
    _batch_audit(actor, locked, AuditAction.UPDATE, f"Betaalbatch {locked.reference} betaald")
    batch.refresh_from_db()
    return batch


# --------------------------------------------------------------------------------------------
# Placement fee (R-BILL-6)
# --------------------------------------------------------------------------------------------


@transaction.atomic
def placement_fee_claim_submit(
    *,
    actor: Actor,
    trajectory: Trajectory,
    invoice_number: str,
    invoice_date: dt.date | str,
    employer: str,
    placement_start: dt.date | str,
    hours_per_week: Decimal | str,
    contract_months: int | None,
    probation_end: dt.date | str | None = None,
    client_hour_restriction: Decimal | str | None = None,
    contract: UploadedFile[Any] | None = None,
    pdf: UploadedFile[Any] | None = None,
    vat_code: str = VatCode.HIGH,
    source: str = InvoiceSource.PORTAL,
) -> PlacementFeeClaim:
    """Claim the one-off EUR 500 placement fee with the employment contract (R-BILL-6). The
    rules check hours, duration and timing; one fee per placement (a second claim for the same
    placement is refused here and by a unique constraint)."""
    _check_submitter(actor, trajectory)
    start = _parse_date(placement_start, field="placement_start", label="de start", required=True)
    assert start is not None
    if not (employer or "").strip():
        raise InvoiceError("Vul de werkgever in.", field="employer")
    hours = _req_money(hours_per_week, field="hours_per_week", label="de uren per week")
    if hours <= 0:
        raise InvoiceError("Het aantal uren per week moet positief zijn.", field="hours_per_week")
    if contract_months is not None and contract_months < 1:
        raise InvoiceError("De contractduur is minimaal 1 maand.", field="contract_months")
    if PlacementFeeClaim.objects.filter(trajectory=trajectory, placement_start=start).exists():
        raise InvoiceError(
            "Voor deze plaatsing is al een bemiddelingsfee gedeclareerd (één fee per plaatsing).",
            field="placement_start",
            code="duplicate",
        )
    if contract is not None:
        _check_pdf(contract, field="contract")
    claim = PlacementFeeClaim(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        provider_id=trajectory.provider_id,
        client_id=trajectory.client_id,
        employer=employer.strip()[:200],
        placement_start=start,
        contract_months=contract_months,
        hours_per_week=hours,
        probation_end=_parse_date(
            probation_end, field="probation_end", label="het einde van de proeftijd", required=False
        ),
        client_hour_restriction=_money(
            client_hour_restriction,
            field="client_hour_restriction",
            label="de urenbeperking",
            required=False,
        ),
        submitted_at=_now(),
    )
    if contract is not None:
        claim.contract_name = (contract.name or "contract.pdf")[:255]
        claim.contract.save(
            f"contract-{trajectory.pk}-{start.isoformat()}.pdf", contract, save=False
        )
    inv_date = _parse_date(
        invoice_date, field="invoice_date", label="de factuurdatum", required=True
    )
    assert inv_date is not None
    pct = vat_percentage_on(vat_rates(), vat_code, inv_date)
    from .payment_rules import PLACEMENT_FEE

    amounts = vat_line(PLACEMENT_FEE, pct)
    invoice = invoice_submit(
        actor=actor,
        trajectory=trajectory,
        invoice_number=invoice_number,
        invoice_date=inv_date,
        milestone=MilestoneKind.PLACEMENT_FEE,
        amount_excl=amounts.excl,
        vat=amounts.vat,
        amount_incl=amounts.incl,
        client_number=trajectory.client.client_number,
        client_surname=trajectory.client.last_name,
        period_start=start,
        period_end=start,
        lines=[LineInput("Bemiddelingsfee", amounts.excl, vat_code, amounts.vat)],
        pdf=pdf,
        source=source,
        structured_data={"employer": employer.strip(), "placement_start": start.isoformat()},
    )
    claim.invoice = invoice
    claim.save()
    if invoice.status != InvoiceStatus.HELD.value:
        # Now that the placement is on record, the rules see it: check again.
        invoice_recheck_internal(invoice)
    return claim


@transaction.atomic
def invoice_recheck_internal(invoice: Invoice) -> None:
    """Re-run the rules without an actor (system step after new facts were stored)."""
    locked = _lock(invoice)
    _apply_check(locked)
    locked.save(update_fields=["verdict", "reasons", "allowed_excl", "checked_at", "updated_at"])
    invoice.refresh_from_db()


# --------------------------------------------------------------------------------------------
# Travel costs (R-BILL-9)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TripInput:
    trip_date: dt.date
    single_trip_km: Decimal
    amount: Decimal


def attended_dates(trajectory: Trajectory) -> set[dt.date]:
    """The attendance register of a trajectory: days with an appointment marked attended."""
    return trajectory_selectors.attended_dates(trajectory)


def trip_lines_parse(text: str) -> list[TripInput]:
    """Trips typed one per line as `JJJJ-MM-DD km-enkele-reis bedrag` (comma or point), as on
    the staff page and in the portal; a Dutch message names the first bad line."""
    trips: list[TripInput] = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        try:
            trips.append(
                TripInput(
                    dt.date.fromisoformat(parts[0]),
                    parse_amount(parts[1]),
                    parse_amount(parts[2]),
                )
            )
        except (IndexError, ValueError, ArithmeticError) as exc:
            raise InvoiceError(
                f"Rit {number}: gebruik 'JJJJ-MM-DD km bedrag'.", field="trips"
            ) from exc
    if not trips:
        raise InvoiceError("Voer minstens één rit in.", field="trips")
    return trips


def _is_resident(actor: Actor) -> bool:
    return bool(
        actor is not None
        and actor.has_opstap_perm(Perm.PORTAL_VIEW)
        and not actor.has_opstap_perm(Perm.CLIENT_VIEW)
    )


@transaction.atomic
def travel_claim_submit(
    *,
    actor: Actor,
    trajectory: Trajectory,
    trips: Sequence[TripInput],
    attended_on: Iterable[dt.date] = (),
) -> TravelClaim:
    """Enter a candidate's travel claim (R-BILL-9): each trip is checked against the
    trajectory's attendance register (appointments marked attended); only when the trajectory
    has no register yet, against the attended dates entered with the claim. Single trips over
    50 km are at the provider's expense.

    The candidate may claim for their own trajectory in the portal (R-POR); their claim is
    checked against the attendance register only (attended dates they type are ignored)."""
    resident = _is_resident(actor)
    if (
        actor is None
        or actor.has_role(RoleCode.PROVIDER_STAFF)
        or not (actor.has_opstap_perm(Perm.TRAJECTORY_ORDER) or _is_finance(actor) or resident)
    ):
        raise InvoiceError(
            "Reiskosten worden ingevoerd door de klantmanager of de administratie.",
            code="forbidden",
        )
    if resident:
        attended_on = ()
    _require_visible(actor, trajectory, "Dit traject")
    if not trips:
        raise InvoiceError("Voer minstens één rit in.", field="trips")
    register = attended_dates(trajectory)
    source = "register" if register else "claim"
    attended = register or set(attended_on)
    parsed = [
        TripClaim(
            trip_date=t.trip_date,
            single_trip_km=_req_money(t.single_trip_km, field="trips", label="de afstand"),
            amount=_req_money(t.amount, field="trips", label="het bedrag"),
        )
        for t in trips
    ]
    if any(t.single_trip_km < 0 or t.amount < 0 for t in parsed):
        raise InvoiceError("Afstand en bedrag kunnen niet negatief zijn.", field="trips")
    result = check_travel_claim(parsed, attended)
    claim = TravelClaim.objects.create(
        organisation_id=trajectory.organisation_id,
        client_id=trajectory.client_id,
        trajectory=trajectory,
        entered_by=actor,
        entered_at=_now(),
        attendance_source=source,
        organisation_pays=result.organisation_pays,
        provider_pays=result.provider_pays,
        refused=result.refused,
    )
    TravelTrip.objects.bulk_create(
        [
            TravelTrip(
                claim=claim,
                trip_date=v.trip.trip_date,
                single_trip_km=v.trip.single_trip_km,
                amount=to_cents(v.trip.amount),
                decision=v.decision.value,
                reason=v.reason[:255],
            )
            for v in result.verdicts
        ]
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="travel_claim",
        object_id=claim.pk,
        client_id=claim.client_id,
        purpose="Reiskostendeclaratie ingevoerd",
        changes={
            "organisation_pays": [None, str(result.organisation_pays)],
            "provider_pays": [None, str(result.provider_pays)],
        },
        organisation_id=claim.organisation_id,
    )
    return claim


__all__ += ["TravelDecision", "TripInput", "attended_dates", "invoice_recheck_internal"]
