"""A row's values: the stored value for the JSON, the Dutch text for the summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from opstap.core.dutch import format_date, format_datetime, format_number

from .base import (
    Section,
)


def raw_value(obj: Any, path: str) -> Any:
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


def display_value(obj: Any, path: str) -> Any:
    """Like `raw_value`, but a choice field gives its Dutch label."""
    parts = path.split(".")
    owner = obj
    for part in parts[:-1]:
        if owner is None:
            return None
        owner = getattr(owner, part)
    if owner is None:
        return None
    display = getattr(owner, f"get_{parts[-1]}_display", None)
    if display is not None:
        return display()
    return raw_value(owner, parts[-1])


def to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


def to_text(value: Any) -> str:
    """Dutch presentation for the summary."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return format_number(value, 2)
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return format_datetime(local)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(to_text(v) for v in value) or "—"
    if isinstance(value, dict):
        # technical details of an event (keys such as "spending_id", codes such as
        # "approved"): unreadable here, complete in the JSON file beside the summary
        return "technische gegevens: zie gegevens.json" if value else "—"
    return str(value)


def row_json(section: Section, obj: Any) -> dict[str, Any]:
    return {c.path.replace(".", "_"): to_json(raw_value(obj, c.path)) for c in section.columns}


def row_text(section: Section, obj: Any) -> list[str]:
    return [
        to_text(c.text(obj) if c.text is not None else display_value(obj, c.path))
        for c in section.columns
    ]
