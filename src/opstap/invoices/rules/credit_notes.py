"""Credit notes and netting (R-BILL-8).

An invoice found to be wrongly paid gets a (partial) credit note linked to it. A credit note
can never exceed what the invoice still has (its amount minus earlier credit notes); totals per
trajectory and provider always net credit notes against invoices. Amounts are already-rounded
cent amounts (see :mod:`opstap.invoices.money`); nothing is rounded here.

Pure module: no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from opstap.core.errors import InvalidInputError
from opstap.core.money import format_euro
from opstap.invoices.money import ZERO, Totals


class CreditNoteError(InvalidInputError, ValueError):
    """A credit note the rules refuse; the message is Dutch."""


@dataclass(frozen=True, slots=True)
class InvoiceAmounts:
    """An approved invoice (amounts in cents)."""

    number: str
    trajectory_ref: str
    provider_ref: str
    excl: Decimal
    vat: Decimal
    incl: Decimal


@dataclass(frozen=True, slots=True)
class CreditNoteAmounts:
    """A (partial) credit note linked to an invoice; amounts are positive numbers."""

    number: str
    invoice_number: str
    excl: Decimal
    vat: Decimal
    incl: Decimal


def remaining_on_invoice(
    invoice: InvoiceAmounts, credit_notes: Iterable[CreditNoteAmounts]
) -> Totals:
    """What an invoice still has after the credit notes linked to it."""
    linked = [c for c in credit_notes if c.invoice_number == invoice.number]
    return Totals(
        excl=invoice.excl - sum((c.excl for c in linked), ZERO),
        vat=invoice.vat - sum((c.vat for c in linked), ZERO),
        incl=invoice.incl - sum((c.incl for c in linked), ZERO),
    )


def check_credit_note(
    new: CreditNoteAmounts,
    invoice: InvoiceAmounts,
    existing: Sequence[CreditNoteAmounts] = (),
) -> None:
    """Refuse a credit note that is not linked to ``invoice``, is negative or inconsistent, or
    exceeds what the invoice still has (R-BILL-8)."""
    if new.invoice_number != invoice.number:
        raise CreditNoteError(
            f"Creditnota {new.number} hoort bij factuur {new.invoice_number}, "
            f"niet bij {invoice.number}."
        )
    if new.excl < 0 or new.vat < 0 or new.incl < 0:
        raise CreditNoteError(
            f"Creditnota {new.number}: bedragen worden positief opgegeven (het is een credit)."
        )
    if new.excl + new.vat != new.incl:
        raise CreditNoteError(
            f"Creditnota {new.number}: {format_euro(new.excl)} + btw {format_euro(new.vat)} "
            f"is niet {format_euro(new.incl)}."
        )
    left = remaining_on_invoice(invoice, [c for c in existing if c.number != new.number])
    if new.excl > left.excl or new.vat > left.vat or new.incl > left.incl:
        raise CreditNoteError(
            f"Creditnota {new.number} ({format_euro(new.incl)} incl. btw) is hoger dan wat factuur "
            f"{invoice.number} nog heeft ({format_euro(left.incl)} incl. btw)."
        )


def check_new_credit_note(
    new: CreditNoteAmounts,
    invoice: InvoiceAmounts,
    existing: Sequence[CreditNoteAmounts] = (),
) -> None:
    """A credit note being registered: as :func:`check_credit_note`, and it credits something
    (a credit note of € 0,00 changes no total and only clutters the invoice)."""
    if new.excl == 0 and new.vat == 0 and new.incl == 0:
        raise CreditNoteError(
            f"Creditnota {new.number} is € 0,00: vul het bedrag in dat wordt teruggeboekt."
        )
    check_credit_note(new, invoice, existing)


def credit_date_refusal(credit_date: date, *, invoice_date: date, today: date) -> str | None:
    """Why `credit_date` cannot be the date of a credit note on an invoice of `invoice_date`,
    in Dutch, or None (R-BILL-8): a credit note takes back what an invoice claimed, so it is
    dated neither before that invoice nor after today (it is registered once received)."""
    if credit_date > today:
        return (
            f"De datum van de creditnota ({credit_date:%d-%m-%Y}) ligt in de toekomst: vul de "
            "datum op de creditnota in."
        )
    if credit_date < invoice_date:
        return (
            f"De datum van de creditnota ({credit_date:%d-%m-%Y}) ligt vóór de factuurdatum "
            f"({invoice_date:%d-%m-%Y}): een creditnota volgt op de factuur die zij crediteert."
        )
    return None


def net_total(
    invoices: Sequence[InvoiceAmounts], credit_notes: Sequence[CreditNoteAmounts]
) -> Totals:
    """Invoices minus their credit notes; every credit note must fit its invoice (R-BILL-8)."""
    by_number = {invoice.number: invoice for invoice in invoices}
    accepted: list[CreditNoteAmounts] = []
    for note in credit_notes:
        invoice = by_number.get(note.invoice_number)
        if invoice is None:
            raise CreditNoteError(
                f"Creditnota {note.number} verwijst naar onbekende factuur {note.invoice_number}."
            )
        check_credit_note(note, invoice, accepted)
        accepted.append(note)
    return Totals(
        excl=sum((i.excl for i in invoices), ZERO) - sum((c.excl for c in accepted), ZERO),
        vat=sum((i.vat for i in invoices), ZERO) - sum((c.vat for c in accepted), ZERO),
        incl=sum((i.incl for i in invoices), ZERO) - sum((c.incl for c in accepted), ZERO),
    )


def net_totals_by_trajectory_and_provider(
    invoices: Sequence[InvoiceAmounts], credit_notes: Sequence[CreditNoteAmounts]
) -> dict[tuple[str, str], Totals]:
    """Net totals per (trajectory, provider), credit notes netted against their invoices."""
    groups: dict[tuple[str, str], list[InvoiceAmounts]] = {}
    for invoice in invoices:
        groups.setdefault((invoice.trajectory_ref, invoice.provider_ref), []).append(invoice)
    known = {invoice.number for invoice in invoices}
    unknown = [c for c in credit_notes if c.invoice_number not in known]
    if unknown:
        raise CreditNoteError(
            f"Creditnota {unknown[0].number} verwijst naar onbekende factuur "
            f"{unknown[0].invoice_number}."
        )
    result: dict[tuple[str, str], Totals] = {}
    for key, group in groups.items():
        numbers = {invoice.number for invoice in group}
        result[key] = net_total(group, [c for c in credit_notes if c.invoice_number in numbers])
    return result
