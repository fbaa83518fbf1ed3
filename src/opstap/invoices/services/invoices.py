"""Invoices along their workflow: submit (portal, API or paper), recheck, confirm the substance,
approve, reject (R-BILL-1..5, R-BILL-10, R-BILL-11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.core.actor import Actor
from opstap.core.dutch import too_long
from opstap.core.roles import Perm, RoleCode
from opstap.invoices.models import (
    Invoice,
    InvoiceLine,
    InvoiceSource,
)
from opstap.invoices.money import (
    VatCode,
    to_cents,
    vat_line,
    vat_percentage_on,
)
from opstap.invoices.payment_rules import (
    MilestoneKind,
    Status,
    TerminationReason,
    held_duplicate_reason,
)
from opstap.invoices.workflow import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    InvoiceAction,
    InvoiceStatus,
)
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import add_working_days, handoffs
from opstap.trajectories.services import handoff_notify

from ._common import (
    PAYMENT_TERM_WORKING_DAYS,
    SUBSTANCE_MILESTONES,
    InvoiceError,
    LineInput,
    _check_pdf,
    _check_submitter,
    _is_finance,
    _lock,
    _money,
    _now,
    _parse_date,
    _reasons_json,
    _record,
    _req_money,
    _require_finance,
    _require_visible,
    _transition,
)
from .checks import _apply_check, claim_key, logbook_entries, vat_rates


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
        raise InvoiceError(too_long("het factuurnummer", 60), field="invoice_number")
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
    logbook_entries(logbook)  # refused at the door, not stored as a red invoice (R-BILL-7)
    if source not in InvoiceSource.values:
        raise InvoiceError("Onbekende bron van de factuur.", field="source")
    _check_pdf(pdf)
    received = received_at or _now()
    received_day = timezone.localdate(received)
    if problem := _receipt_problem(inv_date, received_day, stamped=received_at is not None):
        raise problem
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


def paper_received_at(
    day: dt.date | None, *, invoice_date: dt.date | None = None
) -> dt.datetime | None:
    """The moment a paper invoice counts as received: the stamped day (noon, local time), or
    None (now) when no day was given or the day is today. A day after today is refused, and
    so is a day before `invoice_date` when given (`_receipt_problem`), so that a form names
    it with its other problems. (`invoice_submit` itself takes any `received_at`, like the
    `on` of other services, so a simulation can walk the calendar.)"""
    today = timezone.localdate(_now())
    if day is not None and day > today:
        raise InvoiceError("De ontvangstdatum ligt in de toekomst.", field="received_on")
    if invoice_date is not None and (
        problem := _receipt_problem(
            invoice_date, day or today, stamped=day is not None and day != today
        )
    ):
        raise problem
    if day is None or day == today:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _receipt_problem(
    invoice_date: dt.date, received_on: dt.date, *, stamped: bool
) -> InvoiceError | None:
    """An invoice is not received before its own date (R-TRJ-3: the payment term runs from
    receipt). With a stamped day (a paper invoice the administration registers) before an
    invoice date that is not in the future, the stamp is the date to correct: the message
    stands at "Ontvangen op", the field the clerk typed last. It stood at the invoice date,
    as "De factuurdatum ligt na de ontvangstdatum.". Received now (a provider, the API, or
    no stamp), the invoice date is after today and is the one to correct."""
    if invoice_date <= received_on:
        return None
    if stamped and invoice_date <= timezone.localdate(_now()):
        return InvoiceError("De ontvangstdatum ligt vóór de factuurdatum.", field="received_on")
    return InvoiceError("De factuurdatum ligt na de ontvangstdatum.", field="invoice_date")


def _live_duplicate(invoice: Invoice) -> Invoice | None:
    live = [s.value for s in LIVE_STATUSES]
    return (
        Invoice.objects.filter(organisation_id=invoice.organisation_id, status__in=live)
        .filter(
            # A fully credited invoice no longer claims its milestone (R-BILL-8); its number
            # stays taken.
            Q(claim_key=invoice.claim_key, fully_credited=False)
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
    # An earlier invoice that is open and red (e.g. a quarter sent before it ended) blocks
    # this one: the provider hears which, why and what to do (R-BILL-10).
    open_red = (
        original.verdict == Status.RED.value and InvoiceStatus(original.status) in OPEN_STATUSES
    )
    invoice.reasons = _reasons_json(
        [
            held_duplicate_reason(
                original_number=original.invoice_number,
                original_received=timezone.localdate(original.received_at),
                original_refusals=[r["message"] for r in original.reasons or []]
                if open_red
                else (),
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
                "dezelfde mijlpaal loopt nog.",
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
                    "Geef een reden voor het aangepaste bedrag.",
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


def _notify_provider(actor: Actor, invoice: Invoice, event: str, reason: str) -> None:
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


#: The statuses in which an invoice still waits for a decision: a change of the facts (new
#: price terms) makes the rules run again on these, never on decided ones.
_OPEN_FOR_CHECK = (
    InvoiceStatus.RECEIVED.value,
    InvoiceStatus.CHECKED.value,
    InvoiceStatus.SUBSTANCE_CONFIRMED.value,
)


@transaction.atomic
def invoices_recheck_open(*, trajectory_id: int, cause: str) -> int:
    """System step after the trajectory's facts changed (a (revised) quote approved, R-BILL-1):
    every open invoice of the trajectory is checked again on the new facts, and its history
    says why. Held and decided invoices keep their state. Returns how many were checked."""
    checked = 0
    for invoice in Invoice.objects.filter(
        trajectory_id=trajectory_id, status__in=_OPEN_FOR_CHECK
    ).order_by("pk"):
        locked = _lock(invoice)
        if locked.status not in _OPEN_FOR_CHECK:
            continue  # decided meanwhile
        before = (locked.verdict, locked.allowed_excl)
        _apply_check(locked)
        locked.save(
            update_fields=["verdict", "reasons", "allowed_excl", "checked_at", "updated_at"]
        )
        _record(
            actor=None,
            invoice=locked,
            action=InvoiceAction.RECHECK.value,
            from_status=locked.status,
            reason=cause,
            payload={"verdict": locked.verdict, "reasons": locked.reasons},
            changes={
                "verdict": [before[0], locked.verdict],
                "allowed_excl": [
                    str(before[1]) if before[1] is not None else None,
                    str(locked.allowed_excl) if locked.allowed_excl is not None else None,
                ],
            },
        )
        checked += 1
    return checked


def on_price_terms_changed(sender: Any, *, trajectory: Trajectory, **kwargs: Any) -> None:
    """Receiver of `trajectories.services.price_terms_changed` (connected in apps.ready)."""
    invoices_recheck_open(
        trajectory_id=trajectory.pk,
        cause="De prijsafspraak van het traject is gewijzigd (goedgekeurde offerte).",
    )


@transaction.atomic
def invoice_recheck_internal(invoice: Invoice) -> None:
    """Re-run the rules without an actor (system step after new facts were stored)."""
    locked = _lock(invoice)
    _apply_check(locked)
    locked.save(update_fields=["verdict", "reasons", "allowed_excl", "checked_at", "updated_at"])
    invoice.refresh_from_db()
