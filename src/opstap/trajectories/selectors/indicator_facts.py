"""Facts for the providers' performance indicators (R-PI-1), grouped in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Q,
)

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
    from django.db.models import Count, Exists, F, OuterRef

    from opstap.trajectories.models import DocumentKind

    if group not in ("provider_id", "product_id"):
        raise ValueError(group)
    signed_plan = TrajectoryDocument.objects.filter(
        trajectory=OuterRef("pk"), kind=DocumentKind.PLAN, signed_by_candidate=True
    ).exclude(result_agreements=[])
    plan_q = Q(plan_approved_on__gte=start, plan_approved_on__lte=end)
    cohort = _ended_cohort_q(start, end)
    with_term = cohort & Q(planned_end_date__isnull=False)
    placed = Q(outcome__placement_start__isnull=False)
    werkfit = Q(outcome__werkfit=True)
    decided = Q(outcome__durability__in=["durable", "not_durable"])
    rows = (
        Trajectory.objects.filter(organisation_id=organisation_id, provider_id__in=provider_ids)
        .filter(plan_q | Q(actual_end_date__gte=start, actual_end_date__lte=end))
        .values(group)
        .annotate(
            plans_approved=Count("id", filter=plan_q),
            plans_signed=Count("id", filter=plan_q & Q(Exists(signed_plan))),
            ended_with_term=Count("id", filter=with_term),
            ended_within_term=Count(
                "id", filter=with_term & Q(actual_end_date__lte=F("planned_end_date"))
            ),
            ended=Count("id", filter=cohort),
            in_work=Count("id", filter=cohort & placed),
            werkfit=Count("id", filter=cohort & werkfit),
            successful=Count("id", filter=cohort & (placed | werkfit)),
            placements_decided=Count("id", filter=cohort & placed & decided),
            placements_durable=Count(
                "id", filter=cohort & placed & Q(outcome__durability="durable")
            ),
        )
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
    and of the provider's R-TRJ-3 lead times, and how many were met on time. A due date
    cancelled before it fell due (trajectory ended, end date moved) does not count; one
    cancelled later, unmet, counts as missed."""
    from django.db.models import Count, F

    if group not in ("provider_id", "product_id"):
        raise ValueError(group)
    key = f"trajectory__{group}"
    counted = Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=F("due_on"))
    on_time = Q(met_on__isnull=False, met_on__lte=F("due_on"))
    progress = Q(kind="progress_report") & counted
    lead = Q(kind__in=PROVIDER_LEAD_TIME_KINDS, responsible_role=RoleCode.PROVIDER_STAFF.value)
    lead &= counted
    rows = (
        Deadline.objects.filter(
            trajectory__organisation_id=organisation_id,
            trajectory__provider_id__in=provider_ids,
            due_on__gte=start,
            due_on__lte=until,
        )
        .values(key)
        .annotate(
            progress_reports_due=Count("id", filter=progress),
            progress_reports_on_time=Count("id", filter=progress & on_time),
            lead_times_due=Count("id", filter=lead),
            lead_times_on_time=Count("id", filter=lead & on_time),
        )
        .order_by()
    )
    return {row.pop(key): row for row in rows}


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
