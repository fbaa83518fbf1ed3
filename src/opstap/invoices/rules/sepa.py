"""From a payment batch to SEPA credit transfers (issue 16, item 3; R-BILL-8, R-BILL-10).

A batch holds approved invoices and credit notes, netted per provider (R-BILL-8). The bank
gets one credit transfer per provider:

- amount = the provider's invoices minus its credit notes in this batch (incl. VAT);
- a provider whose net is zero or negative gets no transfer: the credit is settled in a
  later batch or paid back, and the export lists it as an offset (never a negative payment);
- the end-to-end id is ``<batch reference>-<nnn>`` (providers in name order), so the same
  batch always yields the same ids; it stays within the 35 characters of pain.001;
- the unstructured remittance (140 characters) names the batch and the invoice and credit
  note numbers, in ASCII; when they do not fit, as many as fit and "e.a." (and others).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["PAID_BATCH_REFUSAL", "Line", "Offset", "Transfer", "new_file_refusal", "transfers_of"]

#: A batch the bank has paid gets no new payment file (R-BILL-10): paying twice is the risk.
PAID_BATCH_REFUSAL = "Deze batch is al betaald; er wordt geen nieuw betaalbestand gemaakt."


def new_file_refusal(*, paid: bool, has_file: bool) -> str | None:
    """Why no new SEPA file can be made for a batch, or None. A batch that already has its
    file returns the same file (no refusal: nothing new is made); a paid batch without one
    gets none, so the page offers no button and the service refuses a posted request."""
    if paid and not has_file:
        return PAID_BATCH_REFUSAL
    return None


REMITTANCE_MAX = 140
END_TO_END_MAX = 35
MAX_AMOUNT = Decimal("999999999.99")  # EPC rulebook: largest credit transfer


@dataclass(frozen=True)
class Line:
    provider_id: int
    provider_name: str
    number: str  # invoice or credit note number
    amount_incl: Decimal  # negative for a credit note
    is_credit: bool = False


@dataclass(frozen=True)
class Transfer:
    provider_id: int
    provider_name: str
    amount: Decimal  # > 0, two decimals
    end_to_end_id: str
    remittance: str

    @property
    def cents(self) -> int:
        return int((self.amount * 100).to_integral_value())


@dataclass(frozen=True)
class Offset:
    """A provider whose credit notes outweigh its invoices in the batch: nothing is paid."""

    provider_id: int
    provider_name: str
    amount: Decimal  # <= 0


def _ascii(text: str) -> str:
    return text.encode("ascii", "ignore").decode().strip()


def _remittance(reference: str, invoices: list[str], credits: list[str]) -> str:
    parts = [_ascii(reference)]
    if invoices:
        parts.append("fact " + " ".join(_ascii(n) for n in invoices))
    if credits:
        parts.append("cred " + " ".join(_ascii(n) for n in credits))
    text = " ".join(parts)
    if len(text) <= REMITTANCE_MAX:
        return text
    cut = text[: REMITTANCE_MAX - len(" e.a.")]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut
    return f"{cut} e.a."


def transfers_of(reference: str, lines: Iterable[Line]) -> tuple[list[Transfer], list[Offset]]:
    """The credit transfers of a batch (providers in name order) and the offsets."""
    by_provider: dict[int, list[Line]] = {}
    for line in lines:
        by_provider.setdefault(line.provider_id, []).append(line)
    order = sorted(by_provider, key=lambda pid: (by_provider[pid][0].provider_name, pid))
    transfers: list[Transfer] = []
    offsets: list[Offset] = []
    for pid in order:
        rows = by_provider[pid]
        name = rows[0].provider_name
        net = sum((r.amount_incl for r in rows), Decimal(0)).quantize(Decimal("0.01"))
        if net <= 0:
            offsets.append(Offset(provider_id=pid, provider_name=name, amount=net))
            continue
        if net > MAX_AMOUNT:
            raise ValueError(f"Bedrag voor {name} is groter dan een SEPA-overboeking toestaat.")
        invoices = sorted(r.number for r in rows if not r.is_credit)
        credits = sorted(r.number for r in rows if r.is_credit)
        transfers.append(
            Transfer(
                provider_id=pid,
                provider_name=name,
                amount=net,
                end_to_end_id=f"{reference}-{len(transfers) + 1:03d}"[:END_TO_END_MAX],
                remittance=_remittance(reference, invoices, credits),
            )
        )
    return transfers, offsets
