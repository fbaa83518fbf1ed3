"""Credit notes: a (partial) credit linked to an invoice (R-BILL-8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.core.actor import Actor
from opstap.invoices.models import (
    CreditNote,
    Invoice,
)
from opstap.invoices.rules.credit_notes import (
    CreditNoteAmounts,
    CreditNoteError,
    InvoiceAmounts,
    check_new_credit_note,
    credit_date_refusal,
)
from opstap.invoices.workflow import InvoiceStatus, credit_note_refusal

from ._common import (
    InvoiceError,
    _lock,
    _now,
    _parse_date,
    _record,
    _req_money,
    _require_finance,
    _require_visible,
)


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
    if why := credit_note_refusal(locked.status, fully_credited=locked.fully_credited):
        raise InvoiceError(why)
    number = (number or "").strip()
    if not number:
        raise InvoiceError("Vul het nummer van de creditnota in.", field="number")
    if not (reason or "").strip():
        raise InvoiceError("Geef de reden van de creditnota.", field="reason")
    day = _parse_date(credit_date, field="credit_date", label="de datum", required=True)
    assert day is not None
    if why := credit_date_refusal(
        day, invoice_date=locked.invoice_date, today=timezone.localdate(_now())
    ):
        raise InvoiceError(why, field="credit_date")
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
        check_new_credit_note(
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
    credited = sum((c.incl for c in existing), new.incl)
    fully = credited >= locked.amount_incl
    changes: dict[str, list[object]] = {
        "credit_note": [None, number],
        "amount_incl": [None, str(new.incl)],
    }
    if fully and not locked.fully_credited:
        # Credited in full: the invoice no longer claims its milestone (R-BILL-8), so the
        # provider's corrected invoice is not a duplicate of it (R-BILL-10).
        locked.fully_credited = True
        locked.save(update_fields=["fully_credited", "updated_at"])
        changes["fully_credited"] = [False, True]
    _record(
        actor=actor,
        invoice=locked,
        action="credit_note",
        from_status=locked.status,
        reason=reason.strip(),
        payload={"credit_note": note.pk, "amount_incl": str(new.incl), "fully_credited": fully},
        audit=AuditAction.CREATE,
        changes=changes,
    )
    if fully:
        _release_held_duplicates(actor, locked)
    return note


def _release_held_duplicates(actor: Actor, original: Invoice) -> None:
    """Invoices held as duplicates of `original` are checked again now that it is credited in
    full; one that is still a duplicate of another live invoice stays held."""
    from .invoices import invoice_recheck

    held = Invoice.objects.filter(duplicate_of=original, status=InvoiceStatus.HELD.value).order_by(
        "received_at", "id"
    )
    for invoice in held:
        try:
            with transaction.atomic():
                invoice_recheck(actor=actor, invoice=invoice)
        except InvoiceError:
            continue
