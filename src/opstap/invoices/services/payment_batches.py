"""Payment batches: create, export, mark paid; each is idempotent (R-BILL-10)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.exports import MONEY, Sheet, XCell, csv_bytes, xlsx_bytes
from opstap.invoices.models import (
    CreditNote,
    Invoice,
    InvoiceEvent,
    PaymentBatch,
)
from opstap.invoices.workflow import (
    InvoiceAction,
    InvoiceStatus,
)

from ._common import InvoiceError, _now, _require_finance, _require_visible, _transition


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
