"""Payment batches: create, export (xlsx/CSV and the SEPA pain.001 file), mark paid; each is
idempotent (R-BILL-10)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_records_for_request
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.exports import HEADER_FILL, MONEY, Sheet, XCell, csv_bytes, xlsx_bytes
from opstap.invoices.models import (
    CreditNote,
    Invoice,
    InvoiceEvent,
    PaymentBatch,
)
from opstap.invoices.pain001 import SCHEMAS, Creditor, Debtor, Pain001Error, build_pain001
from opstap.invoices.rules.payment_dates import paid_on_refusal
from opstap.invoices.rules.sepa import Line, Offset, Transfer, new_file_refusal, transfers_of
from opstap.invoices.rules.sepa_dates import requested_execution_date
from opstap.invoices.selectors import batch_client_items
from opstap.invoices.workflow import (
    InvoiceAction,
    InvoiceStatus,
)
from opstap.providers.selectors import active_bank_accounts

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


def payment_batch_audit_shown(
    *, request: HttpRequest, batch: PaymentBatch, action: AuditAction, purpose: str
) -> None:
    """Audit showing a payment batch (`READ`: its page) or handing it out (`EXPORT`: a
    download, page or API): the batch itself and, as its rows show the client number, every
    invoice and credit note in it (`LIST` on the page, `EXPORT` in a download; R-SEC-2)."""
    audit_log(
        action=action,
        request=request,
        object_type="payment_batch",
        object_id=batch.pk,
        purpose=purpose,
    )
    audit_records_for_request(
        request,
        action=AuditAction.LIST if action == AuditAction.READ else action,
        object_type="invoice",
        items=batch_client_items(batch),
        purpose=purpose,
    )


@dataclass(frozen=True, slots=True)
class BatchFile:
    """How one exported file of a batch is handed out: its field, name and content type."""

    field: str
    suffix: str
    content_type: str
    label: str


#: The files a batch can be downloaded as, by the name the page and the API use.
BATCH_FILES: dict[str, BatchFile] = {
    "csv": BatchFile("export_csv", "csv", "text/csv; charset=utf-8", "CSV"),
    "xlsx": BatchFile(
        "export_xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
    ),
    "xml": BatchFile("export_pain001", "pain001.xml", "application/xml", "SEPA (pain.001)"),
}


def payment_batch_download(
    *, request: HttpRequest, batch: PaymentBatch, fmt: str, channel: str
) -> tuple[FieldFile, str, str] | None:
    """The stored file of `batch` in format `fmt` (a key of `BATCH_FILES`) with its file name
    and content type, the hand-out audited (R-SEC-2); `None` when the format is unknown or
    the batch was not exported in it yet (export first)."""
    spec = BATCH_FILES.get(fmt)
    stored = getattr(batch, spec.field) if spec is not None else None
    if spec is None or not stored:
        return None
    payment_batch_audit_shown(
        request=request,
        batch=batch,
        action=AuditAction.EXPORT,
        purpose=f"Betaalbatch downloaden ({spec.label}, {channel})",
    )
    return stored, f"{batch.reference}.{spec.suffix}", spec.content_type


def _credits_that_fit(
    invoices: Sequence[Invoice], open_credits: Iterable[CreditNote]
) -> list[CreditNote]:
    """The open credit notes this batch settles (R-BILL-8): per provider, oldest first, as
    long as the provider's invoices in the batch still cover them. A credit note that would
    make the provider's net negative stays open for a later batch: a batch never pays a
    negative amount, and a credit note once in a batch is never netted again, so one taken
    into a batch that cannot absorb it would be lost."""
    room: dict[int, Decimal] = {}
    for invoice in invoices:
        room[invoice.provider_id] = room.get(invoice.provider_id, Decimal(0)) + invoice.amount_incl
    settled: list[CreditNote] = []
    for note in open_credits:
        left = room.get(note.provider_id, Decimal(0))
        if note.amount_incl <= left:
            room[note.provider_id] = left - note.amount_incl
            settled.append(note)
    return settled


@transaction.atomic
def payment_batch_create(*, actor: Actor) -> PaymentBatch:
    """Put every approved invoice of the organisation in a new batch, with every credit note
    not yet settled that the provider's invoices in the batch cover (`_credits_that_fit`).
    Each invoice can be in one batch only (the workflow and a check constraint guarantee
    it); with nothing approved nothing is created (R-BILL-10)."""
    _require_finance(actor)
    org_id = organisation_id_of(actor)
    invoices = list(
        Invoice.objects.select_for_update()
        .filter(organisation_id=org_id, status=InvoiceStatus.APPROVED.value)
        .order_by("provider_id", "due_on", "id")
    )
    if not invoices:
        raise InvoiceError("Er zijn geen goedgekeurde facturen die nog betaald moeten worden.")
    credits = _credits_that_fit(
        invoices,
        CreditNote.objects.select_for_update()
        .filter(organisation_id=org_id, payment_batch__isnull=True)
        .order_by("credit_date", "id"),
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


#: Column widths of the payment-batch sheet (characters), in EXPORT_COLUMNS order.
EXPORT_WIDTHS = (16, 11, 32, 18, 13, 13, 13, 30, 16, 12, 16)


def _xlsx_bytes(rows: Sequence[tuple[Any, ...]]) -> bytes:
    """The batch as Dutch Excel opens it (issue 14): a bold, frozen header row, column
    widths, dates as dates, amounts as numbers with the euro format, and a totals row (values,
    no formulas: nothing in an export is executed)."""

    def typed(v: Any) -> Any:
        return XCell(v, MONEY) if isinstance(v, Decimal | float | int) else v

    money_columns = range(len(EXPORT_COLUMNS) - 3, len(EXPORT_COLUMNS))
    totals = [sum((Decimal(row[i]) for row in rows), Decimal("0")) for i in money_columns]
    header = [XCell(title, bold=True, wrap=True, fill=HEADER_FILL) for title in EXPORT_COLUMNS]
    total_row = [
        XCell("Totaal", bold=True),
        *([""] * (len(EXPORT_COLUMNS) - 4)),
        *(XCell(total, MONEY, bold=True) for total in totals),
    ]
    body = ([typed(v) for v in row] for row in rows)
    sheet = Sheet(
        "Betaalbatch",
        itertools.chain([header], body, [total_row]),
        widths=dict(enumerate(EXPORT_WIDTHS, start=1)),
        freeze="A2",
    )
    return xlsx_bytes([sheet])


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


# --- SEPA credit transfer (pain.001, issue 16) ----------------------------------------------


@dataclass(frozen=True)
class SepaPlan:
    """What the bank file of a batch will hold: transfers, offsets (providers with a net
    credit) and the providers that still lack a confirmed bank account."""

    transfers: list[Transfer]
    offsets: list[Offset]
    missing_accounts: list[str]


def batch_sepa_refusal(batch: PaymentBatch) -> str | None:
    """Why the batch page offers no "make the SEPA file" button (`rules.sepa.new_file_refusal`)."""
    return new_file_refusal(
        paid=batch.status == PaymentBatch.BatchStatus.PAID, has_file=bool(batch.export_pain001)
    )


def batch_sepa_plan(batch: PaymentBatch) -> SepaPlan:
    """The transfers of a batch, netted per provider (R-BILL-8), in three queries."""
    lines = [
        Line(
            provider_id=inv.provider_id,
            provider_name=inv.provider.name,
            number=inv.invoice_number,
            amount_incl=inv.amount_incl,
        )
        for inv in batch.invoices.select_related("provider").order_by("id")
    ]
    lines.extend(
        Line(
            provider_id=note.provider_id,
            provider_name=note.provider.name,
            number=note.number,
            amount_incl=-note.amount_incl,
            is_credit=True,
        )
        for note in batch.credit_notes.select_related("provider").order_by("id")
    )
    transfers, offsets = transfers_of(batch.reference, lines)
    accounts = active_bank_accounts([t.provider_id for t in transfers])
    missing = [t.provider_name for t in transfers if t.provider_id not in accounts]
    return SepaPlan(transfers=transfers, offsets=offsets, missing_accounts=missing)


def sepa_message_id(batch: PaymentBatch) -> str:
    """The batch's fixed message id: unique per organisation and never more than 35."""
    return f"OPSTAP-{batch.organisation_id}-{batch.reference}"[:35]


def _sepa_debtor(organisation_name: str) -> Debtor:
    from django.conf import settings

    iban = getattr(settings, "OPSTAP_SEPA_DEBTOR_IBAN", "")
    if not iban:
        raise InvoiceError(
            "De bankrekening van de organisatie voor betalingen is niet ingesteld; vraag de "
            "functioneel beheerder dit in te stellen (zie de handleiding SEPA).",
            code="conflict",
        )
    return Debtor(
        name=getattr(settings, "OPSTAP_SEPA_DEBTOR_NAME", "") or organisation_name,
        iban=iban,
        bic=getattr(settings, "OPSTAP_SEPA_DEBTOR_BIC", ""),
    )


@transaction.atomic
def payment_batch_export_sepa(*, actor: Actor, batch: PaymentBatch) -> PaymentBatch:
    """Make the SEPA credit-transfer file (pain.001) of a batch. The first time freezes the
    file, its message id and checksum; exporting again returns the same file (R-BILL-10).
    Every provider paid needs a bank account confirmed by a second person."""
    from django.conf import settings

    _require_finance(actor)
    _require_visible(actor, batch, "Deze betaalbatch")
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.export_pain001:
        _batch_audit(actor, locked, AuditAction.EXPORT, f"SEPA-bestand {locked.reference} opnieuw")
        return locked
    refusal = batch_sepa_refusal(locked)
    if refusal:
        raise InvoiceError(refusal, code="conflict")
    plan = batch_sepa_plan(locked)
    if plan.missing_accounts:
        raise InvoiceError(
            "Geen bevestigde bankrekening voor: "
            + ", ".join(plan.missing_accounts)
            + ". Leg de rekening vast en laat een tweede medewerker haar bevestigen.",
            code="conflict",
        )
    if not plan.transfers:
        raise InvoiceError(
            "Er is niets over te maken: de creditnota's wegen op tegen de facturen.",
            code="conflict",
        )
    schema = getattr(settings, "OPSTAP_SEPA_PAIN_VERSION", SCHEMAS[0])
    accounts = active_bank_accounts([t.provider_id for t in plan.transfers])
    creditors = [
        Creditor(
            name=accounts[t.provider_id].holder,
            iban=accounts[t.provider_id].iban,
            bic=accounts[t.provider_id].bic,
            cents=t.cents,
            end_to_end_id=t.end_to_end_id,
            remittance=t.remittance,
        )
        for t in plan.transfers
    ]
    # The file is made now, at its first export, and asks the bank to pay today or on the
    # next TARGET2 business day: a date taken from when the batch was composed would ask for a
    # past day once the export comes days later (banks refuse or move it). Re-exports return
    # these stored bytes, so the dates stay those of the first export (R-BILL-10).
    created = timezone.localtime(_now())
    execution_date = requested_execution_date(created.date())
    message_id = sepa_message_id(locked)
    try:
        document = build_pain001(
            debtor=_sepa_debtor(locked.organisation.name),
            creditors=creditors,
            message_id=message_id,
            created_at=created,
            execution_date=execution_date,
            schema=schema,
        )
    except Pain001Error as exc:
        raise InvoiceError(str(exc), code="conflict") from exc
    locked.export_pain001.save(f"{locked.reference}.pain001.xml", ContentFile(document), save=False)
    locked.pain001_message_id = message_id
    locked.pain001_schema = schema
    locked.pain001_sha256 = hashlib.sha256(document).hexdigest()
    locked.pain001_created_at = created
    locked.pain001_execution_date = execution_date
    locked.save(
        update_fields=[
            "export_pain001",
            "pain001_message_id",
            "pain001_schema",
            "pain001_sha256",
            "pain001_created_at",
            "pain001_execution_date",
        ]
    )
    _batch_audit(actor, locked, AuditAction.EXPORT, f"SEPA-bestand {locked.reference} gemaakt")
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
    received = locked.invoices.aggregate(last=Max("received_at"))["last"]
    refusal = paid_on_refusal(
        paid_on,
        today=timezone.localdate(now),
        last_received=timezone.localdate(received) if received else None,
    )
    if refusal:
        raise InvoiceError(refusal, field="paid_on")
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
