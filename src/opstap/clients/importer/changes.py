"""The changes of an import job as a person reads them (before and after, in Dutch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opstap.accounts.models import User
from opstap.clients.models import (
    BenefitType,
    ImportChange,
    ImportChangeKind,
    LksStatus,
    Obstacle,
)
from opstap.organisations.models import Municipality

from .values import DATE_FIELDS, _label, from_json

# --- Preview display -------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def _display(field: str, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "" or value == []:
        return "(leeg)"
    if field in DATE_FIELDS:
        return from_json(field, value).strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if field in names:
        if isinstance(value, list):
            return ", ".join(names[field].get(v, str(v)) for v in value)
        return names[field].get(value, str(value))
    return str(value)


def describe_changes(organisation_id: int, changes: list[ImportChange]) -> list[dict[str, Any]]:
    """Per change: line, client number, kind and the fields as label: old → new (Dutch)."""
    manager_ids = {
        v
        for c in changes
        for part in (c.before, c.after)
        for f, v in part.items()
        if f == "case_manager_id" and v
    }
    names: dict[str, dict[Any, str]] = {
        "case_manager_id": dict(
            User.objects.filter(organisation_id=organisation_id, pk__in=manager_ids).values_list(
                "pk", "username"
            )
        ),
        "municipality_id": dict(
            Municipality.objects.filter(organisation_id=organisation_id).values_list("pk", "name")
        ),
        "benefit_type": {k: str(v) for k, v in BenefitType.choices},
        "lks_status": {k: str(v) for k, v in LksStatus.choices},
        "obstacles": {k: str(v) for k, v in Obstacle.choices},
    }
    rows = []
    for change in changes:
        fields = [
            FieldChange(
                label=_label(f),
                old=_display(f, change.before.get(f), names) if change.before else "",
                new=_display(f, value, names),
            )
            for f, value in change.after.items()
            if f != "bsn" or change.kind == ImportChangeKind.UPDATE
        ]
        rows.append({"change": change, "fields": fields})
    return rows
