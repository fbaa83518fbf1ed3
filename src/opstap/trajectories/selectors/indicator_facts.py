"""Facts for the providers' performance indicators (R-PI-1), grouped in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q

from opstap.core.roles import RoleCode
from opstap.providers.models import Provider
from opstap.trajectories import (
    handoffs as handoffs,  # re-exported: the hand-off kinds other apps notify
)
from opstap.trajectories.deadlines import add_working_days as add_working_days
from opstap.trajectories.models import (
    Deadline,
    Trajectory,
    TrajectoryDocument,
)
from opstap.trajectories.workflow import REPORTING_STATES as REPORTING_STATES
from opstap.trajectories.workflow import Action as Action
from opstap.trajectories.workflow import IllegalTransition as IllegalTransition

# --- Facts for the providers' performance indicators (R-PI-1), grouped in SQL --------------

#: Lead times of R-TRJ-3 the provider answers for (progress reports are indicator 2).
PROVIDER_LEAD_TIME_KINDS = (
    "intake",
    "plan",
    "start",
    "extension_request",
    "final_report",
    "invoice",
)


def _ended_cohort_q(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Started trajectories that ended in [start, end]: the cohort of the outcome indicators."""
    return Q(
        **{
            f"{prefix}actual_end_date__gte": start,
            f"{prefix}actual_end_date__lte": end,
            f"{prefix}start_date__isnull": False,
        }
    )


def _plan_q(start: dt.date, end: dt.date) -> Q:
    """Plans approved in [start, end]: the cohort of indicator 1."""
    return Q(plan_approved_on__gte=start, plan_approved_on__lte=end)


def _plan_counts(plan_q: Q) -> dict[str, Any]:
    """The counts of indicator 1 over the trajectories of `plan_q`: plans approved, and of
    them those with a plan document with result agreements signed by the candidate."""
    from django.db.models import Count, Exists, OuterRef

    from opstap.trajectories.models import DocumentKind

    signed_plan = TrajectoryDocument.objects.filter(
        trajectory=OuterRef("pk"), kind=DocumentKind.PLAN, signed_by_candidate=True
    ).exclude(result_agreements=[])
    return {
        "plans_approved": Count("id", filter=plan_q),
        "plans_signed": Count("id", filter=plan_q & Q(Exists(signed_plan))),
    }


def _ended_counts(cohort: Q) -> dict[str, Any]:
    """The counts of indicator 3 and the outcomes over the ended cohort `cohort`."""
    from django.db.models import Count, F

    with_term = cohort & Q(planned_end_date__isnull=False)
    placed = Q(outcome__placement_start__isnull=False)
    werkfit = Q(outcome__werkfit=True)
    decided = Q(outcome__durability__in=["durable", "not_durable"])
    return {
        "ended_with_term": Count("id", filter=with_term),
        "ended_within_term": Count(
            "id", filter=with_term & Q(actual_end_date__lte=F("planned_end_date"))
        ),
        "ended": Count("id", filter=cohort),
        "in_work": Count("id", filter=cohort & placed),
        "werkfit": Count("id", filter=cohort & werkfit),
        "successful": Count("id", filter=cohort & (placed | werkfit)),
        "placements_decided": Count("id", filter=cohort & placed & decided),
        "placements_durable": Count(
            "id", filter=cohort & placed & Q(outcome__durability="durable")
        ),
    }


def _deadline_counts() -> dict[str, Any]:
    """The counts of indicators 2 and 6 over due dates: a due date cancelled before it fell
    due (trajectory ended, end date moved) does not count; one cancelled later, unmet, counts
    as missed."""
    from django.db.models import Count, F

    counted = Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=F("due_on"))
    on_time = Q(met_on__isnull=False, met_on__lte=F("due_on"))
    progress = Q(kind="progress_report") & counted
    lead = Q(kind__in=PROVIDER_LEAD_TIME_KINDS, responsible_role=RoleCode.PROVIDER_STAFF.value)
    lead &= counted
    return {
        "progress_reports_due": Count("id", filter=progress),
        "progress_reports_on_time": Count("id", filter=progress & on_time),
        "lead_times_due": Count("id", filter=lead),
        "lead_times_on_time": Count("id", filter=lead & on_time),
    }


def indicator_trajectory_counts(
    *, organisation_id: int, provider_ids: list[int], group: str, start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """Per provider or product (`group` = "provider_id" | "product_id"): counts of plans,
    terms and outcomes for R-PI-1, in one grouped query (no per-trajectory loop).

    - plans_approved / plans_signed: plan approved in the period / and a plan document with
      result agreements signed by the candidate;
    - ended_with_term / ended_within_term: started, ended in the period with a planned end
      date / and not after it;
    - ended, in_work, werkfit, successful, placements_decided, placements_durable: the
      started trajectories that ended in the period and their outcomes (R-TRJ-7)."""
    if group not in ("provider_id", "product_id"):
        raise ValueError(group)
    plan_q = _plan_q(start, end)
    cohort = _ended_cohort_q(start, end)
    rows = (
        Trajectory.objects.filter(organisation_id=organisation_id, provider_id__in=provider_ids)
        .filter(plan_q | Q(actual_end_date__gte=start, actual_end_date__lte=end))
        .values(group)
        .annotate(**_plan_counts(plan_q), **_ended_counts(cohort))
        .order_by()
    )
    # The reverse one-to-one `outcome` is a LEFT OUTER JOIN: still one row per trajectory.
    return {row.pop(group): row for row in rows}


def indicator_deadline_counts(
    *,
    organisation_id: int,
    provider_ids: list[int],
    group: str,
    start: dt.date,
    until: dt.date,
) -> dict[int, dict[str, int]]:
    """Per provider or product: due dates in [start, until] of progress reports (R-TRJ-4)
    and of the provider's R-TRJ-3 lead times, and how many were met on time
    (`_deadline_counts`)."""
    if group not in ("provider_id", "product_id"):
        raise ValueError(group)
    key = f"trajectory__{group}"
    rows = (
        Deadline.objects.filter(
            trajectory__organisation_id=organisation_id,
            trajectory__provider_id__in=provider_ids,
            due_on__gte=start,
            due_on__lte=until,
        )
        .values(key)
        .annotate(**_deadline_counts())
        .order_by()
    )
    return {row.pop(key): row for row in rows}


#: A key of the indicator facts per day: (provider id, product id, day).
DayKey = tuple[int, int, dt.date]


def indicator_day_counts(
    *,
    organisation_id: int,
    provider_ids: list[int] | None,
    start: dt.date,
    end: dt.date,
    days: list[dt.date] | None = None,
) -> dict[DayKey, dict[str, int]]:
    """The counts of `indicator_trajectory_counts` and `indicator_deadline_counts` per
    provider, product and day in [start, end] (the providers given, or all of the
    organisation; only `days` if given): plans by the day the plan was approved, the ended
    cohort by its end date, due dates by their due day. The same conditions as the live
    counts, so that the sums over the days of a period are theirs (the indicator facts per
    day, `indicators`). Three grouped queries."""
    trajectories = Trajectory.objects.filter(organisation_id=organisation_id)
    deadlines = Deadline.objects.filter(
        trajectory__organisation_id=organisation_id, due_on__gte=start, due_on__lte=end
    )
    if provider_ids is not None:
        trajectories = trajectories.filter(provider_id__in=provider_ids)
        deadlines = deadlines.filter(trajectory__provider_id__in=provider_ids)
    plan_q = _plan_q(start, end)
    cohort = _ended_cohort_q(start, end)
    plans = trajectories.filter(plan_q)
    ended = trajectories.filter(cohort)
    if days is not None:
        plans = plans.filter(plan_approved_on__in=days)
        ended = ended.filter(actual_end_date__in=days)
        deadlines = deadlines.filter(due_on__in=days)
    result: dict[DayKey, dict[str, int]] = {}

    def add(rows: Any, day: str) -> None:
        for row in rows:
            key = (row.pop("provider_id"), row.pop("product_id"), row.pop(day))
            result.setdefault(key, {}).update(row)

    add(
        plans.values("provider_id", "product_id", "plan_approved_on")
        .annotate(**_plan_counts(plan_q))
        .order_by(),
        "plan_approved_on",
    )
    add(
        ended.values("provider_id", "product_id", "actual_end_date")
        .annotate(**_ended_counts(cohort))
        .order_by(),
        "actual_end_date",
    )
    add(
        deadlines.values(
            "due_on",
            provider_id=F("trajectory__provider_id"),
            product_id=F("trajectory__product_id"),
        )
        .annotate(**_deadline_counts())
        .order_by(),
        "due_on",
    )
    return result


def indicator_fact_keys(
    *, organisation_id: int, trajectory_ids: list[int] | None = None, after: int = 0, limit: int = 0
) -> dict[int, tuple[int, int, set[dt.date]]]:
    """Per trajectory of the organisation (the ids given, or the next `limit` after the id
    `after`): its provider, product and the days it can count on in the indicator facts
    per day (plan approval, end and due days). Two queries."""
    qs = Trajectory.objects.filter(organisation_id=organisation_id)
    if trajectory_ids is not None:
        qs = qs.filter(pk__in=trajectory_ids)
    else:
        qs = qs.filter(pk__gt=after).order_by("pk")
    rows = list(
        qs.values_list("pk", "provider_id", "product_id", "plan_approved_on", "actual_end_date")[
            : limit or None
        ]
    )
    result: dict[int, tuple[int, int, set[dt.date]]] = {}
    for pk, provider_id, product_id, plan_day, end_day in rows:
        result[pk] = (provider_id, product_id, {d for d in (plan_day, end_day) if d is not None})
    if not rows:
        return result
    deadlines = Deadline.objects.filter(trajectory__organisation_id=organisation_id)
    if trajectory_ids is not None:
        deadlines = deadlines.filter(trajectory_id__in=list(result))
    else:
        deadlines = deadlines.filter(trajectory_id__gte=rows[0][0], trajectory_id__lte=rows[-1][0])
    for trajectory_id, due_on in deadlines.values_list("trajectory_id", "due_on").distinct():
        if trajectory_id in result:
            result[trajectory_id][2].add(due_on)
    return result


def provider_active_quarters(
    *, organisation_id: int, provider_ids: list[int], quarters: list[tuple[dt.date, dt.date]]
) -> dict[int, set[int]]:
    """Per provider, the indexes of `quarters` ([first day, last day]) in which it had a
    candidate: a trajectory ordered by the quarter's end that had not ended before its start
    (R-PI-1 item 7). One query: per provider and quarter one such trajectory looked up,
    instead of counting them all."""
    from django.db.models import OuterRef, Subquery

    if not quarters or not provider_ids:
        return {}
    at_provider = Trajectory.objects.filter(
        organisation_id=organisation_id, provider_id=OuterRef("pk")
    )
    # Per quarter the latest trajectory ordered by its end that had not ended before its
    # start: a backward range on the order date (`trj_provider_window`, index only) that meets
    # a candidate at once. EXISTS walked the provider's trajectories from the oldest order.
    annotations = {
        f"q{i}": Subquery(
            at_provider.filter(order_date__lte=last)
            .filter(Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=first))
            .order_by("-order_date", "-id")
            .values("id")[:1]
        )
        for i, (first, last) in enumerate(quarters)
    }
    rows = (
        Provider.objects.filter(pk__in=provider_ids)
        .annotate(**annotations)
        .values("pk", *annotations)
        .order_by()
    )
    result: dict[int, set[int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        active = {i for i in range(len(quarters)) if values[f"q{i}"] is not None}
        if active:
            result[values["pk"]] = active
    return result


def indicator_fact_span(*, organisation_id: int) -> tuple[dt.date, dt.date] | None:
    """The first and last day any trajectory of the organisation can count on in the
    indicator facts per day (plan approval, end, due dates), or None without any."""
    from django.db.models import Max, Min

    trajectories = Trajectory.objects.filter(organisation_id=organisation_id).aggregate(
        a=Min("plan_approved_on"),
        b=Max("plan_approved_on"),
        c=Min("actual_end_date"),
        d=Max("actual_end_date"),
    )
    deadlines = Deadline.objects.filter(trajectory__organisation_id=organisation_id).aggregate(
        a=Min("due_on"), b=Max("due_on")
    )
    days = [d for d in (*trajectories.values(), *deadlines.values()) if d is not None]
    return (min(days), max(days)) if days else None
