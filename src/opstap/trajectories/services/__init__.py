"""Every state change of a trajectory (R-TRJ-1..7, R-ABS-1).

- `trajectory_order` places an order (R-TRJ-1): refuses what `product_orderability` refuses,
  fixes the price valid on the order date (R-NET-6), checks the participatierotonde (R-LAD-4).
- `trajectory_transition` is the ONE way a trajectory changes state: it locks the row, asks
  the workflow table (`workflow.check_transition`), enforces the reason, updates dates and due
  dates (R-TRJ-3, R-TRJ-4), and records the event on the trajectory's history, the client's
  timeline and the audit trail (R-TRJ-2, R-SEC-2).
- documents, appointments/absence (R-ABS-1) and outcomes (R-TRJ-7) each have one service.
Every service runs in one transaction: a failure leaves nothing half-written (R-SEC-6).

One module per aggregate; other apps import from this package
(`opstap.trajectories.services`), never from its modules.
"""

from __future__ import annotations

from opstap.trajectories.workflow import IllegalTransition

from ._common import (
    ALLOWED_UPLOAD_TYPES,
    MAX_UPLOAD_BYTES,
    TrajectoryError,
    check_upload,
    price_terms_changed,
)
from .attendance import absence_report, appointment_create, attendance_record
from .deadline_notices import deadlines_send_notifications
from .documents import SHAREABLE_KINDS, trajectory_document_share, trajectory_document_submit
from .equated_days import equated_day_delete, equated_day_save, equated_day_validate
from .handoff_notices import handoff_notify
from .orders import trajectory_order, trajectory_order_problems
from .outcomes import (
    durability_checks_run,
    outcome_record,
    outcomes_check_durability,
    register_durability_check,
)
from .quotes import price_terms_of, quote_revise, quote_revision_approve, quote_revision_reject
from .tallies import connect_client_tallies, trajectory_counts_recount
from .transitions import trajectory_transition

__all__ = [
    "ALLOWED_UPLOAD_TYPES",
    "MAX_UPLOAD_BYTES",
    "SHAREABLE_KINDS",
    "IllegalTransition",
    "TrajectoryError",
    "absence_report",
    "appointment_create",
    "attendance_record",
    "check_upload",
    "connect_client_tallies",
    "deadlines_send_notifications",
    "durability_checks_run",
    "equated_day_delete",
    "equated_day_save",
    "equated_day_validate",
    "handoff_notify",
    "outcome_record",
    "outcomes_check_durability",
    "price_terms_changed",
    "price_terms_of",
    "quote_revise",
    "quote_revision_approve",
    "quote_revision_reject",
    "register_durability_check",
    "trajectory_counts_recount",
    "trajectory_document_share",
    "trajectory_document_submit",
    "trajectory_order",
    "trajectory_order_problems",
    "trajectory_transition",
]
