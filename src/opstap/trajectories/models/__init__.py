"""Tables of the trajectories app: the trajectory (order), its append-only history, its due
dates, documents, appointments and absence, and its outcome (R-TRJ-1..7, R-ABS-1).

State changes happen only through `services` (one transition service on top of the
workflow table in `workflow.py`); these models hold no business rules. Two modules, both
imported here (Django finds the models through this package; app label `trajectories`):
`trajectory` (the order, its history and due dates) and `delivery` (what happens within it).
"""

from __future__ import annotations

from .delivery import (
    Absence,
    Appointment,
    AttendanceStatus,
    DocumentKind,
    Outcome,
    Quote,
    QuoteStatus,
    TrajectoryDocument,
)
from .delivery import _document_path as _document_path  # named by migration 0001
from .trajectory import (
    ACTION_CHOICES,
    DEADLINE_KIND_CHOICES,
    PRICE_BASIS_CHOICES,
    PROGRESS_REPORT_KIND,
    ROTONDE_CHOICES,
    STATE_CHOICES,
    AbsenceRisk,
    Deadline,
    DeadlineNotification,
    EquatedDay,
    Trajectory,
    TrajectoryEvent,
)

__all__ = [
    "ACTION_CHOICES",
    "DEADLINE_KIND_CHOICES",
    "PRICE_BASIS_CHOICES",
    "PROGRESS_REPORT_KIND",
    "ROTONDE_CHOICES",
    "STATE_CHOICES",
    "Absence",
    "AbsenceRisk",
    "Appointment",
    "AttendanceStatus",
    "Deadline",
    "DeadlineNotification",
    "DocumentKind",
    "EquatedDay",
    "Outcome",
    "Quote",
    "QuoteStatus",
    "Trajectory",
    "TrajectoryDocument",
    "TrajectoryEvent",
]
