"""Tables of the trajectories app: the trajectory (order), its append-only history, its due
dates, documents, appointments and absence, and its outcome (R-TRJ-1..7, R-ABS-1).

State changes happen only through `services` (one transition service on top of the
workflow table in `workflow.py`); these models hold no business rules.

One module per aggregate; other apps import from this package (`opstap.trajectories.models`).
"""

from __future__ import annotations

from ._common import (
    ACTION_CHOICES,
    ROTONDE_CHOICES,
    STATE_CHOICES,
)
from .attendance import ABSENCE_FIELDS, Absence, Appointment, AttendanceStatus
from .documents import DOCUMENT_CONTENT_FIELDS, DocumentKind, TrajectoryDocument

# Named by migration 0001 (`upload_to=opstap.trajectories.models._document_path`).
from .documents import _document_path as _document_path
from .due_dates import (
    DEADLINE_KIND_CHOICES,
    PROGRESS_REPORT_KIND,
    Deadline,
    DeadlineNotification,
    EquatedDay,
)
from .quotes import Quote, QuoteStatus
from .results import OUTCOME_FACT_FIELDS, DurabilityCheck, Outcome
from .trajectories import (
    PRICE_BASIS_CHOICES,
    TRAJECTORY_COURSE_FIELDS,
    AbsenceRisk,
    Trajectory,
    TrajectoryEvent,
    trajectory_reference,
)

__all__ = [
    "ABSENCE_FIELDS",
    "ACTION_CHOICES",
    "DEADLINE_KIND_CHOICES",
    "DOCUMENT_CONTENT_FIELDS",
    "OUTCOME_FACT_FIELDS",
    "PRICE_BASIS_CHOICES",
    "PROGRESS_REPORT_KIND",
    "ROTONDE_CHOICES",
    "STATE_CHOICES",
    "TRAJECTORY_COURSE_FIELDS",
    "Absence",
    "AbsenceRisk",
    "Appointment",
    "AttendanceStatus",
    "Deadline",
    "DeadlineNotification",
    "DocumentKind",
    "DurabilityCheck",
    "EquatedDay",
    "Outcome",
    "Quote",
    "QuoteStatus",
    "Trajectory",
    "TrajectoryDocument",
    "TrajectoryEvent",
    "trajectory_reference",
]
