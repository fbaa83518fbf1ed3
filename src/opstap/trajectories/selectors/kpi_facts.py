"""Facts for the steering KPIs (kpis app, R-KPI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from opstap.trajectories import (
    handoffs as handoffs,  # re-exported: the hand-off kinds other apps notify
)
from opstap.trajectories.deadlines import add_working_days as add_working_days
from opstap.trajectories.models import (
    Outcome,
    Trajectory,
)
from opstap.trajectories.workflow import REPORTING_STATES as REPORTING_STATES
from opstap.trajectories.workflow import Action as Action
from opstap.trajectories.workflow import IllegalTransition as IllegalTransition
from opstap.trajectories.workflow import State

# --- Facts for the steering KPIs (kpis app, R-KPI) ------------------------------------------


def active_trajectory_exists(*, on: dt.date) -> Exists:
    """For a Client queryset: the client has a trajectory that runs on `on` — ordered on or
    before it, not ended before it, quote not rejected (R-KPI-1/5 "active trajectory").
    Correlated, so it runs on the `trj_client_date` index (client, order_date)."""
    return Exists(
        Trajectory.objects.filter(client_id=OuterRef("pk"), order_date__lte=on)
        .filter(Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=on))
        .exclude(state=State.QUOTE_REJECTED.value)
    )


#: The outcome facts the KPIs count (R-TRJ-7 → R-KPI-2/3/4).
OUTCOME_FACT_KINDS = ("werkfit", "placement", "durability_decided", "durable")


def _outcome_facts(
    *,
    organisation_id: int,
    kind: str,
    start: dt.date,
    end: dt.date,
    provider_ids: Iterable[int] | None = None,
) -> QuerySet[Outcome]:
    """Outcomes of one kind dated in [start, end], annotated with `fact_date` (docs/kpis.md):

    - `werkfit`: werkfit = yes; dated at the end of the trajectory (or when recorded);
    - `placement`: a placement in work (start date) or an education result; dated at the start
      of the placement (or the end of the trajectory / when recorded);
    - `durability_decided` / `durable`: the 6-month durability check has a verdict (durable
      or not) / is durable; dated at the check date.
    """
    recorded_on = TruncDate("recorded_at")
    qs = Outcome.objects.filter(organisation_id=organisation_id)
    if kind == "werkfit":
        qs = qs.filter(werkfit=True).annotate(
            fact_date=Coalesce("trajectory__actual_end_date", recorded_on)
        )
    elif kind == "placement":
        qs = qs.filter(Q(placement_start__isnull=False) | ~Q(education_result="")).annotate(
            fact_date=Coalesce("placement_start", "trajectory__actual_end_date", recorded_on)
        )
    elif kind in ("durability_decided", "durable"):
        wanted = ["durable"] if kind == "durable" else ["durable", "not_durable"]
        qs = qs.filter(durability__in=wanted).annotate(fact_date=F("durability_check_on"))
    else:
        raise ValueError(f"Unknown outcome fact {kind!r}")
    if provider_ids is not None:
        qs = qs.filter(trajectory__provider_id__in=list(provider_ids))
    return qs.filter(fact_date__gte=start, fact_date__lte=end)


def outcome_fact_client_ids(
    *,
    organisation_id: int,
    kind: str,
    start: dt.date,
    end: dt.date,
    provider_ids: Iterable[int] | None = None,
) -> QuerySet[Any]:
    """Ids of the clients with an outcome fact of `kind` in [start, end] (one of
    `OUTCOME_FACT_KINDS`); a subquery for `Q(pk__in=...)` on clients. Aggregates only."""
    return _outcome_facts(
        organisation_id=organisation_id,
        kind=kind,
        start=start,
        end=end,
        provider_ids=provider_ids,
    ).values("trajectory__client_id")


def outcome_facts_per_month(
    *,
    organisation_id: int,
    kind: str,
    start: dt.date,
    end: dt.date,
    client_ids: QuerySet[Any],
    provider_ids: Iterable[int] | None = None,
) -> dict[dt.date, tuple[int, int]]:
    """First day of the month → (clients with the fact, of whom durable), for the clients
    in `client_ids` (a subquery); one GROUP BY query."""
    rows = (
        _outcome_facts(
            organisation_id=organisation_id,
            kind=kind,
            start=start,
            end=end,
            provider_ids=provider_ids,
        )
        .filter(trajectory__client_id__in=client_ids)
        .annotate(month=TruncMonth("fact_date"))
        .order_by()
        .values("month")
        .annotate(
            n=Count("trajectory__client_id", distinct=True),
            durable=Count("trajectory__client_id", distinct=True, filter=Q(durability="durable")),
        )
        .values_list("month", "n", "durable")
    )
    result: dict[dt.date, tuple[int, int]] = {}
    for month, n, durable in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        result[day] = (n, durable)
    return result


def lks_working_client_ids(*, organisation_id: int, on: dt.date) -> QuerySet[Any]:
    """Ids of clients working with wage-cost subsidy on `on` (R-KPI-7): a recorded placement
    with LKS that started on or before `on` and had not ended before it. A subquery."""
    return (
        Outcome.objects.filter(organisation_id=organisation_id, lks=True, placement_start__lte=on)
        .filter(Q(last_day_of_employment__isnull=True) | Q(last_day_of_employment__gte=on))
        .values("trajectory__client_id")
    )


def active_trajectory_month_flags(
    *, organisation_id: int, month_ends: Iterable[dt.date], client_ids: QuerySet[Any]
) -> QuerySet[Any]:
    """One row per trajectory of the clients in `client_ids` (a subquery) that runs on any of
    `month_ends`: `client_id` and a 0/1 column `f<i>` per month end (R-KPI-1/5 trend). The
    caller aggregates per client; one scan instead of an EXISTS per client per month."""
    ends = list(month_ends)
    flags = {
        f"f{i}": Case(
            When(
                Q(order_date__lte=end)
                & (Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=end)),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
        for i, end in enumerate(ends)
    }
    rows: QuerySet[Any] = (
        Trajectory.objects.filter(
            organisation_id=organisation_id,
            client_id__in=client_ids,
            order_date__lte=max(ends),
        )
        .filter(Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=min(ends)))
        .exclude(state=State.QUOTE_REJECTED.value)
        .order_by()
        .annotate(**flags)
        .values("client_id", *flags)
    )
    return rows


def trajectory_spans_of_clients(
    client_ids: Iterable[int],
) -> list[tuple[int, dt.date, dt.date | None]]:
    """(client id, order date, actual end date) of every trajectory of these clients whose
    quote was not rejected: the spans in which a trajectory runs (R-KPI-1/5), for the KPI
    facts per client and month (kpis). One query; aggregates only."""
    return list(
        Trajectory.objects.filter(client_id__in=list(client_ids))
        .exclude(state=State.QUOTE_REJECTED.value)
        .order_by()
        .values_list("client_id", "order_date", "actual_end_date")
    )


def clients_with_trajectory_ordered_after(*, organisation_id: int, day: dt.date) -> QuerySet[Any]:
    """Ids of the clients with a trajectory ordered after `day` (a subquery)."""
    return (
        Trajectory.objects.filter(organisation_id=organisation_id, order_date__gt=day)
        .order_by()
        .values("client_id")
    )
