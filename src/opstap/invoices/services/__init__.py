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

One module per kind of record; other apps import from this package
(`opstap.invoices.services`), never from its modules.
"""

from __future__ import annotations

from opstap.invoices.rules.travel import TravelDecision

from ._common import PAYMENT_TERM_WORKING_DAYS, InvoiceError, LineInput
from .checks import (
    claim_key,
    claim_of,
    invoices_check_many,
    payment_rules_evaluate,
    rules_context,
    trajectory_facts,
    vat_rates,
)
from .credit_notes import credit_note_create
from .invoices import (
    invoice_approve,
    invoice_confirm_substance,
    invoice_recheck,
    invoice_recheck_internal,
    invoice_reject,
    invoice_submit,
    invoices_recheck_open,
    on_price_terms_changed,
    paper_received_at,
)
from .payment_batches import (
    BATCH_FILES,
    EXPORT_COLUMNS,
    BatchFile,
    SepaPlan,
    batch_rows,
    batch_sepa_plan,
    batch_sepa_refusal,
    payment_batch_audit_shown,
    payment_batch_create,
    payment_batch_download,
    payment_batch_export,
    payment_batch_export_sepa,
    payment_batch_mark_paid,
    sepa_message_id,
)
from .placement_fees import placement_fee_claim_submit, placement_fee_problems
from .travel import TripInput, attended_dates, travel_claim_submit, trip_lines_parse

__all__ = [
    "BATCH_FILES",
    "EXPORT_COLUMNS",
    "PAYMENT_TERM_WORKING_DAYS",
    "BatchFile",
    "InvoiceError",
    "LineInput",
    "SepaPlan",
    "TravelDecision",
    "TripInput",
    "attended_dates",
    "batch_rows",
    "batch_sepa_plan",
    "batch_sepa_refusal",
    "claim_key",
    "claim_of",
    "credit_note_create",
    "invoice_approve",
    "invoice_confirm_substance",
    "invoice_recheck",
    "invoice_recheck_internal",
    "invoice_reject",
    "invoice_submit",
    "invoices_check_many",
    "invoices_recheck_open",
    "on_price_terms_changed",
    "paper_received_at",
    "payment_batch_audit_shown",
    "payment_batch_create",
    "payment_batch_download",
    "payment_batch_export",
    "payment_batch_export_sepa",
    "payment_batch_mark_paid",
    "payment_rules_evaluate",
    "placement_fee_claim_submit",
    "placement_fee_problems",
    "rules_context",
    "sepa_message_id",
    "trajectory_facts",
    "travel_claim_submit",
    "trip_lines_parse",
    "vat_rates",
]
