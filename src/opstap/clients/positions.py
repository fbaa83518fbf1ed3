"""The ladder mappings read on a date, and ladder positions as filters on Client (R-LAD-2,
R-LAD-3). Below both the scope policies (`access`, the unit of a case manager) and the
selectors, so that neither imports the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from opstap.core.request_memo import memoised
from opstap.organisations.selectors import organisation_data

from . import ladder
from .ladder import LadderPosition, LadderStep, LadderSubStatus, MappingRow
from .models import LadderMapping, MappingKind

__all__ = [
    "mapping_rows",
    "mapping_rows_by_kind",
    "positions_q",
    "track_q",
    "unit_q",
]


# --- Configuration read on a date -----------------------------------------------------------


def _valid_on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def mapping_rows(*, organisation_id: int | None, kind: str, on: dt.date) -> tuple[MappingRow, ...]:
    """The unit (R-LAD-2) or track (R-LAD-3) mapping valid on `on`: the organisation's own
    rows if it has any for that kind, else the defaults. One query (none when the mappings
    of that organisation and day were read before in the same `request_memo()` block)."""
    return mapping_rows_by_kind(organisation_id=organisation_id, on=on).get(kind, ())


def mapping_rows_by_kind(
    *, organisation_id: int | None, on: dt.date
) -> dict[str, tuple[MappingRow, ...]]:
    """`mapping_rows` of every kind (unit and track) in one query, once per organisation and
    day inside a `request_memo()` block: a list's scope (the case manager's unit) and its
    rows' derived unit and track read the same mapping (issue 18). Callers read the result,
    never change it."""
    key = ("clients.mappings", organisation_id, on)
    return memoised(
        key,
        # Organisation data kept across requests (issue 18): under the organisation's data
        # version and the day, once this request has read the organisation (the scope).
        lambda: organisation_data(
            organisation_id,
            ("clients.mappings",),
            lambda: _mapping_rows_by_kind(organisation_id, on),
            on=on,
        ),
    )


def _mapping_rows_by_kind(
    organisation_id: int | None, on: dt.date
) -> dict[str, tuple[MappingRow, ...]]:
    rows = list(
        LadderMapping.objects.filter(_valid_on(on))
        .filter(Q(organisation_id=organisation_id) | Q(organisation__isnull=True))
        .values_list("kind", "organisation_id", "step", "sub_status", "value")
    )
    result: dict[str, tuple[MappingRow, ...]] = {}
    for kind in MappingKind.values:
        of_kind = [r[1:] for r in rows if r[0] == kind]
        chosen = [r for r in of_kind if r[0] is not None] or of_kind
        result[kind] = tuple(
            MappingRow(LadderStep(step), LadderSubStatus(sub) if sub else None, value)
            for _org, step, sub, value in chosen
        )
    return result


def positions_q(positions: Iterable[LadderPosition]) -> Q:
    """A filter matching clients on any of these ladder positions."""
    q = Q(pk__in=[])
    for pos in positions:
        if pos.sub_status is None:
            q |= Q(ladder_step=pos.step.value)
        else:
            q |= Q(ladder_step=pos.step.value, ladder_sub_status=pos.sub_status.value)
    return q


def unit_q(*, organisation_id: int | None, unit: str, on: dt.date) -> Q:
    rows = mapping_rows(organisation_id=organisation_id, kind=MappingKind.UNIT, on=on)
    return positions_q(ladder.positions_with_value(rows, unit))


def track_q(*, organisation_id: int | None, track: str, on: dt.date) -> Q:
    rows = mapping_rows(organisation_id=organisation_id, kind=MappingKind.TRACK, on=on)
    return positions_q(ladder.positions_with_value(rows, track))
