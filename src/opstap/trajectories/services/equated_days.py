"""Days equated with a holiday by royal decree (Atw art. 3(3), R-TRJ-3): reference data kept by the
functional administrator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audited_save
from opstap.core.actor import Actor
from opstap.core.roles import Perm
from opstap.trajectories import deadlines as dl
from opstap.trajectories.models import (
    EquatedDay,
)

from ._common import TrajectoryError, _as_date


def _require_configure(actor: Actor) -> None:
    if actor is None or not (
        getattr(actor, "is_superuser", False) or actor.has_opstap_perm(Perm.ADMIN_CONFIGURE)
    ):
        raise TrajectoryError("Alleen de functioneel beheerder beheert gelijkgestelde dagen.")


def equated_day_validate(
    *, day: Any, description: str, decree: str, equated_day: EquatedDay | None = None
) -> tuple[dt.date, str, str]:
    """The checks of `equated_day_save`, also run by the admin form so that a refusal is shown
    on the field and nothing is reported as saved. Returns the cleaned values."""
    day_value = _as_date(day, field="day", label="datum", required=True)
    assert day_value is not None
    if not dl.FIRST_SUPPORTED_YEAR <= day_value.year <= dl.LAST_SUPPORTED_YEAR:
        raise TrajectoryError(
            f"Kies een datum in {dl.FIRST_SUPPORTED_YEAR} tot en met {dl.LAST_SUPPORTED_YEAR}.",
            field="day",
        )
    if day_value.weekday() >= 5:
        raise TrajectoryError(
            "Een zaterdag of zondag is al geen werkdag; gelijkstellen is niet nodig.", field="day"
        )
    if day_value in dl.atw_holidays(day_value.year):
        raise TrajectoryError("Deze dag is al een algemeen erkende feestdag.", field="day")
    description, decree = description.strip(), decree.strip()
    if not description:
        raise TrajectoryError("Geef een omschrijving.", field="description")
    if not decree:
        raise TrajectoryError("Noem het koninklijk besluit.", field="decree")
    clash = EquatedDay.objects.filter(day=day_value)
    if equated_day is not None:
        clash = clash.exclude(pk=equated_day.pk)
    if clash.exists():
        raise TrajectoryError("Deze dag is al gelijkgesteld.", field="day")
    return day_value, description, decree


@transaction.atomic
def equated_day_save(
    *,
    actor: Actor,
    day: dt.date,
    description: str,
    decree: str,
    equated_day: EquatedDay | None = None,
) -> EquatedDay:
    """Add or change a day equated with a holiday by royal decree (Atw art. 3(3)). Every
    deadline computed after this uses it; deadlines already stored keep their date (they
    were right by the calendar known then). Validated and audited."""
    _require_configure(actor)
    day_value, description, decree = equated_day_validate(
        day=day, description=description, decree=decree, equated_day=equated_day
    )
    return audited_save(
        actor=actor,
        model=EquatedDay,
        row=equated_day,
        values={"day": day_value, "description": description, "decree": decree},
        audited=lambda row: {
            "day": row.day.isoformat(),
            "description": row.description,
            "decree": row.decree,
        },
        object_type="equated_day",
        purpose="Gelijkgestelde dag (Atw) beheerd",
    )


@transaction.atomic
def equated_day_delete(*, actor: Actor, equated_day: EquatedDay) -> None:
    """Remove a day that was entered by mistake (audited)."""
    _require_configure(actor)
    day = equated_day.day
    pk = equated_day.pk
    EquatedDay.objects.filter(pk=pk).delete()
    audit_log(
        action=AuditAction.DELETE,
        actor=actor,
        object_type="equated_day",
        object_id=pk,
        purpose="Gelijkgestelde dag (Atw) verwijderd",
        changes={"day": [day.isoformat(), None]},
    )
