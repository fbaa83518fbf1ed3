"""What the steps share: before/after values of an import change as JSON, which fields a row
changes, the Dutch label of a field, and the progress of a job.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opstap.clients.models import (
    Client,
    ImportJob,
)

from .columns import COMPARED


def _save_progress(job: ImportJob, **fields: Any) -> None:
    for k, v in fields.items():
        setattr(job, k, v)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


# --- Before/after values (JSON) --------------------------------------------------------------

DATE_FIELDS = {"date_of_birth", "benefit_start_date", "benefit_end_date", "exemption_end_date"}


def to_json(field: str, value: Any) -> Any:
    if field in DATE_FIELDS and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def from_json(field: str, value: Any) -> Any:
    if field in DATE_FIELDS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def changed_fields(current: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields the row changes: only fields the row states (R-SEC-6). `current` is a
    client (or any object with the same attributes); {field: (old, new)}."""
    return {
        f: (getattr(current, f), values[f])
        for f in COMPARED
        if f in values and getattr(current, f) != values[f]
    }


def _label(field: str) -> str:
    name = "case_manager" if field == "case_manager_id" else field
    name = "municipality" if name == "municipality_id" else name
    return str(getattr(Client._meta.get_field(name), "verbose_name", name))
