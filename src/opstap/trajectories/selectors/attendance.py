"""The attendance register (R-ABS-1) and what the client sees (R-POR)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from opstap.core.actor import Actor
from opstap.trajectories import (
    handoffs as handoffs,  # re-exported: the hand-off kinds other apps notify
)
from opstap.trajectories.deadlines import add_working_days as add_working_days
from opstap.trajectories.models import (
    Appointment,
    AttendanceStatus,
    Trajectory,
    TrajectoryDocument,
)
from opstap.trajectories.workflow import REPORTING_STATES as REPORTING_STATES
from opstap.trajectories.workflow import Action as Action
from opstap.trajectories.workflow import IllegalTransition as IllegalTransition

from .trajectories import trajectories_for

# --- The attendance register (R-ABS-1) and what the client sees (R-POR) ---------------------


def appointments_for(user: Actor) -> QuerySet[Appointment]:
    """Appointments of the trajectories `user` may see (provider staff: their own provider's;
    a resident: their own), with what a list shows."""
    return Appointment.objects.filter(trajectory__in=trajectories_for(user)).select_related(
        "trajectory__client", "trajectory__product", "trajectory__provider"
    )


def attendance_register(
    user: Actor, *, start: dt.datetime, end: dt.datetime
) -> QuerySet[Appointment]:
    """The attendance page: the appointments between `start` and `end` (provider staff see
    their own provider's trajectories only, R-SEC-1), earliest first."""
    return (
        appointments_for(user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")
    )


def client_planned_appointments(user: Actor, *, since: dt.datetime) -> QuerySet[Appointment]:
    """A resident's coming appointments (R-POR)."""
    return (
        appointments_for(user)
        .filter(starts_at__gte=since, attendance=AttendanceStatus.PLANNED)
        .order_by("starts_at", "id")
    )


def attended_appointments(user: Actor, trajectory_ids: list[int]) -> QuerySet[Appointment]:
    """The appointments the provider registered as attended: what a travel claim can be
    made for (R-BILL-9)."""
    return (
        appointments_for(user)
        .filter(trajectory_id__in=trajectory_ids, attendance=AttendanceStatus.ATTENDED)
        .order_by("-starts_at", "-id")
    )


def documents_shared_with_client(user: Actor) -> QuerySet[TrajectoryDocument]:
    """Documents staff explicitly shared with the client (R-POR); never anything else."""
    return (
        TrajectoryDocument.objects.filter(
            trajectory__in=trajectories_for(user), shared_with_client=True
        )
        .select_related("trajectory__product")
        .order_by("-submitted_at", "-id")
    )


def running_for(user: Actor) -> QuerySet[Trajectory]:
    """Trajectories an appointment can be added to: running ones the user may see."""
    return trajectories_for(user).filter(state__in=[s.value for s in REPORTING_STATES])


def running_matches(user: Actor, query: str, *, limit: int) -> tuple[list[Trajectory], bool]:
    """Running trajectories the user may see (`running_for`: provider staff only their own
    provider's, R-SEC-1) of the clients `query` names: its client number, or a surname that
    starts with one of its words while every word starts a name (or is in the surname's
    prefix: "van der"). By client name, at most `limit`, and whether there are more.

    Index-friendly: the surname is searched as ranges of the name index (`client_org_sortname`:
    organisation, surname, first name), one per way of writing the word (as typed, lower,
    upper, capitalised, title case: the index compares names as stored), and the number by
    equality (`uniq_client_number_per_org`); the case-insensitive tests only check the rows
    those found. Each range is its own query, in name order with a limit: PostgreSQL then
    walks the name index from the prefix and stops after limit + 1 hits, where one
    query with the ranges OR-ed together joined every client of a common prefix first
    ("jan": 22,000 clients, 250-440 ms at national scale; per range 50 ms). The columns are
    the label's."""
    text = "".join(ch for ch in query[:100] if ch.isprintable()).strip()
    words = text.split()[:5]
    organisation_id = user.organisation_id
    if not words or organisation_id is None:
        return [], False
    every_word = Q()
    for word in words:
        every_word &= (
            Q(client__last_name__istartswith=word)
            | Q(client__first_name__istartswith=word)
            | Q(client__last_name_prefix__icontains=word)
        )
    ranges = [
        starts_with_range("client__last_name", variant)
        for variant in sorted(
            {v for w in words for v in (w, w.lower(), w.upper(), w.capitalize(), w.title())}
        )
    ]
    number = Q(client__client_number__in=sorted({text, text.upper()}))
    base = (
        running_for(user)
        # The client's organisation is the trajectory's; said again, it is the first column
        # of both client indexes, so that they serve the ranges and the number.
        .filter(client__organisation_id=organisation_id)
        .select_related("client", "product")
        .only(
            "id",
            "client__first_name",
            "client__last_name_prefix",
            "client__last_name",
            "client__client_number",
            "product__name",
        )
        .order_by("client__last_name", "client__first_name", "id")
    )
    found: dict[int, Trajectory] = {}
    with serial_plans():
        for condition in [number, *(r & every_word for r in ranges)]:
            for trajectory in base.filter(condition)[: limit + 1]:
                found[trajectory.pk] = trajectory
    ordered = sorted(found.values(), key=lambda t: (t.client.last_name, t.client.first_name, t.pk))
    return ordered[:limit], len(ordered) > limit


@contextmanager
def serial_plans() -> Iterator[None]:
    """Queries without parallel workers, for walks of an index in order that stop after a
    few rows: in parallel each worker walks on past the limit (measured at national scale,
    "jan" at the largest provider: 8,178 clients probed and 170 ms, serially 1,300 and 3 ms).
    `SET LOCAL` ends with the transaction, so it is also safe behind PgBouncer."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def starts_with_range(field: str, prefix: str) -> Q:
    """`field` starts with `prefix` (case as given), as a range an index on `field` serves:
    from the prefix up to the prefix with its last character one higher."""
    upper = ord(prefix[-1]) + 1
    if 0xD800 <= upper <= 0xDFFF:  # surrogates are no characters: skip them
        upper = 0xE000
    q = Q(**{f"{field}__gte": prefix})
    if upper <= 0x10FFFF:
        q &= Q(**{f"{field}__lt": prefix[:-1] + chr(upper)})
    return q
