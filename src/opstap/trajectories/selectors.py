"""Reads of the trajectories app, always through `core.access.scoped` (R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
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
from django.utils import timezone

from opstap.core.access import get_object_for_user, scoped
from opstap.core.actor import Actor
from opstap.core.counts import CountsCache
from opstap.core.roles import Perm, RoleCode

from . import date_rules
from . import deadlines as dl
from . import handoffs as handoffs  # re-exported: the hand-off kinds other apps notify

# `X as X` below: re-exported for other apps, which reach trajectories only through its
# services, selectors and models (the Atw working-day calendar, R-TRJ-3; workflow names).
from .deadlines import add_working_days as add_working_days
from .models import (
    Absence,
    Appointment,
    AttendanceStatus,
    Deadline,
    EquatedDay,
    Outcome,
    Quote,
    QuoteStatus,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)
from .workflow import QUOTE_PRODUCT_CODES, State, Transition, available_actions
from .workflow import REPORTING_STATES as REPORTING_STATES
from .workflow import Action as Action
from .workflow import IllegalTransition as IllegalTransition

#: A provider keeps seeing a trajectory (and its client) this many days after its end: the
#: final report (14 days), invoice (30 days) and payment (30 working days) period (R-SEC-1).
PROVIDER_VISIBLE_AFTER_END_DAYS = date_rules.REPORTING_PERIOD_DAYS

#: The trajectories' counts cache (issue 6: the provider's list at national scale). The
#: total of the trajectory list in the API counts every trajectory of the provider in its
#: visibility window (~100,000 index entries at national scale); paging never changes it, so
#: it is cached (how it stays exact: `opstap.core.counts`). The overview page counts at most
#: 1,000 instead (`CappedCountPaginator`). Every trajectory write bumps the organisation's
#: version: saves and deletes of Trajectory (connected in `apps.py`), the `.update()` of the
#: stored next due date in the services, and the bulk demo loader.
TRAJECTORY_COUNTS = CountsCache("opstap:trajectories:counts")


def provider_window_q(on: dt.date) -> Q:
    """Trajectories still running, or ended within the reporting/invoicing period
    (R-SEC-1). The same rule as `date_rules.access_window_end`, as a filter: the recorded
    end counts only up to the planned end + the grace period (or, for one that never
    started, the order date + a year), so an end date in the far future entered before
    the dates were checked cannot keep a client in the provider's scope (issue 19)."""
    since = on - dt.timedelta(days=PROVIDER_VISIBLE_AFTER_END_DAYS)
    planned_cap = since - dt.timedelta(days=date_rules.END_GRACE_DAYS)
    order_cap = since - dt.timedelta(days=date_rules.NEVER_STARTED_MAX_DAYS)
    return Q(actual_end_date__isnull=True) | (
        Q(actual_end_date__gte=since)
        & (
            Q(planned_end_date__gte=planned_cap)
            | Q(planned_end_date__isnull=True, order_date__gte=order_cap)
        )
    )


def client_ids_visible_to_provider(*, provider_id: int, on: dt.date) -> QuerySet[Any]:
    """Ids of the clients provider staff may see (R-SEC-1): a trajectory ordered from the
    provider that runs, or ended within the reporting/invoicing period. A subquery, for
    `Q(pk__in=...)` in the clients scope policy."""
    return (
        Trajectory.objects.filter(provider_id=provider_id)
        .filter(provider_window_q(on))
        .values("client_id")
    )


def trajectories_for(user: Actor) -> QuerySet[Trajectory]:
    return scoped(user, Trajectory.objects.all())


def open_deadlines_q() -> Q:
    return Q(met_on__isnull=True, cancelled_on__isnull=True)


def overdue_q(on: dt.date) -> Q:
    """Trajectories with an open deadline past its due date: `next_due_on` is the earliest
    open deadline, kept by the services (an index range scan instead of an EXISTS)."""
    return Q(next_due_on__lt=on)


@dataclass(frozen=True)
class TrajectoryFilters:
    provider: int | None = None
    product: int | None = None
    state: str = ""
    overdue: bool = False
    client: int | None = None
    running_only: bool = False


RUNNING_EXCLUDED = (State.HANDED_OVER.value, State.QUOTE_REJECTED.value)


def trajectory_list(
    *, user: Actor, filters: TrajectoryFilters, on: dt.date
) -> QuerySet[Trajectory]:
    """The overview of trajectories with filters, related rows fetched in the same query.
    Call `mark_overdue` on the page to set each row's `is_overdue` flag."""
    qs = trajectories_for(user).select_related("client", "product", "provider", "case_manager")
    if filters.provider:
        qs = qs.filter(provider_id=filters.provider)
    if filters.product:
        qs = qs.filter(product_id=filters.product)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.client:
        qs = qs.filter(client_id=filters.client)
    if filters.running_only:
        qs = qs.exclude(state__in=RUNNING_EXCLUDED)
    if filters.overdue:
        # Longest overdue first: the order of the partial index on `next_due_on`.
        return qs.filter(overdue_q(on)).order_by("next_due_on", "id")
    return qs.order_by("-order_date", "-id")


def mark_overdue(trajectories: list[Trajectory], *, on: dt.date) -> list[Trajectory]:
    """Set `is_overdue` on one page of trajectories (from `next_due_on`, no query)."""
    for trajectory in trajectories:
        due = trajectory.next_due_on
        trajectory.is_overdue = due is not None and due < on  # type: ignore[attr-defined]
    return trajectories


def deadlines_for(
    user: Actor, *, on: dt.date, horizon_days: int = 14, overdue_only: bool = False
) -> QuerySet[Deadline]:
    """'Mijn termijnen': open due dates of the trajectories the user is responsible for.

    Case managers: deadlines of the trajectories of their own caseload (all roles, so they
    see what the provider owes them); provider staff: the deadlines their provider must
    meet. Overdue first, then due within `horizon_days`."""
    qs = scoped(user, Deadline.objects.all()).filter(open_deadlines_q())
    if user.has_role(RoleCode.PROVIDER_STAFF):
        qs = qs.filter(responsible_role=RoleCode.PROVIDER_STAFF.value)
    elif user.has_role(RoleCode.CASE_MANAGER):
        # The client's current case manager (after a handover, R-CLI-3), not the orderer.
        qs = qs.filter(trajectory__client__case_manager=user)
    if overdue_only:
        qs = qs.filter(due_on__lt=on)
    else:
        qs = qs.filter(due_on__lte=on + dt.timedelta(days=horizon_days))
    return qs.select_related(
        "trajectory", "trajectory__client", "trajectory__provider", "trajectory__product"
    ).order_by("due_on", "id")


def _children(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """A trajectory's child rows as `user` may see them (issue 19: finance clerks and
    contract managers read only part of what lies below a trajectory). Without a user: all
    (services and background work)."""
    return qs if user is None else scoped(user, qs)


def trajectory_timeline(trajectory: Trajectory, *, user: Any = None) -> QuerySet[TrajectoryEvent]:
    return (
        _children(trajectory.events.all(), user)
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def trajectory_deadlines(trajectory: Trajectory, *, user: Any = None) -> QuerySet[Deadline]:
    return _children(trajectory.deadlines.all(), user).order_by("due_on", "id")


def trajectory_documents(
    trajectory: Trajectory, *, user: Any = None
) -> QuerySet[TrajectoryDocument]:
    return (
        _children(trajectory.documents.all(), user)
        .select_related("submitted_by")
        .order_by("submitted_at", "id")
    )


def trajectory_absences(trajectory: Trajectory, *, user: Any = None) -> QuerySet[Absence]:
    return (
        _children(trajectory.absences.all(), user)
        .select_related("reported_by")
        .order_by("-occurred_at", "-id")
    )


def trajectory_outcome(trajectory: Trajectory, *, user: Any = None) -> Outcome | None:
    return _children(Outcome.objects.filter(trajectory=trajectory), user).first()


def ending_events(
    trajectory_ids: Iterable[int], actions: Iterable[str]
) -> dict[int, tuple[str, dict[str, Any]]]:
    """The last event per trajectory among `actions` (how it ended), as (action, payload);
    one query for many trajectories (the invoices app's payment rules)."""
    ends: dict[int, tuple[str, dict[str, Any]]] = {}
    for trajectory_id, action, payload in (
        TrajectoryEvent.objects.filter(trajectory_id__in=list(trajectory_ids))
        .filter(action__in=list(actions))
        .order_by("trajectory_id", "occurred_at", "id")
        .values_list("trajectory_id", "action", "payload")
    ):
        ends[trajectory_id] = (action, payload or {})
    return ends


def attended_dates(trajectory: Trajectory) -> set[dt.date]:
    """The attendance register of a trajectory: days with an appointment marked attended."""
    stamps = Appointment.objects.filter(
        trajectory=trajectory, attendance=AttendanceStatus.ATTENDED
    ).values_list("starts_at", flat=True)
    return {timezone.localdate(s) for s in stamps}


def user_workflow_roles(user: Actor, trajectory: Trajectory) -> frozenset[RoleCode]:
    """The workflow roles `user` holds *for this trajectory*: provider staff only for their
    own provider's trajectories, case managers for trajectories they may see."""
    roles: set[RoleCode] = set()
    if user.has_role(RoleCode.PROVIDER_STAFF):
        membership = getattr(user, "provider_membership", None)
        if membership is not None and membership.provider_id == trajectory.provider_id:
            roles.add(RoleCode.PROVIDER_STAFF)
    elif user.has_role(RoleCode.CASE_MANAGER) and user.has_opstap_perm(Perm.TRAJECTORY_ORDER):
        roles.add(RoleCode.CASE_MANAGER)
    return frozenset(roles)


def actions_for(user: Actor, trajectory: Trajectory) -> tuple[Transition, ...]:
    """The transitions `user` may take now (for buttons), from the workflow table."""
    actions = available_actions(
        State(trajectory.state), user_workflow_roles(user, trajectory), trajectory.product_code
    )
    # The usual next step first; branches that need a reason (refusals, endings) after it.
    return tuple(sorted(actions, key=lambda t: t.reason_required))


#: What the provider must do next, per state, for the portal ("wat moet u doen").
PROVIDER_NEXT_STEP_NL: dict[str, str] = {
    State.ORDERED.value: "Intake plannen (of offerte indienen)",
    State.QUOTE_APPROVED.value: "Intake plannen",
    State.INTAKE_PLANNED.value: "Intake houden",
    State.INTAKE_HELD.value: "Plan van aanpak indienen",
    State.PLAN_RETURNED.value: "Plan van aanpak aanpassen en opnieuw indienen",
    State.PLAN_APPROVED.value: "Start bevestigen",
    State.RUNNING.value: "Voortgang en verzuim rapporteren",
    State.COMPLETED.value: "Eindrapportage indienen",
    State.TERMINATED_EARLY.value: "Eindrapportage indienen",
    State.RETURNED.value: "Eindrapportage indienen",
    State.NOT_STARTED_AFTER_KLIKGESPREK.value: "Terugkoppeling (eindrapportage) indienen",
    State.NOT_STARTED_AFTER_INTAKE.value: "Terugkoppeling (eindrapportage) indienen",
    State.FINAL_REPORT_RECEIVED.value: "Warme overdracht vastleggen",
}

#: What the case manager must do next (decisions awaiting them).
CASE_MANAGER_NEXT_STEP_NL: dict[str, str] = {
    State.QUOTE_SUBMITTED.value: "Offerte beoordelen",
    State.PLAN_SUBMITTED.value: "Plan van aanpak beoordelen",
    State.EXTENSION_REQUESTED.value: "Verlengingsaanvraag beoordelen",
    State.RETURN_REQUESTED.value: "Terugmelding beoordelen",
}


def next_step_label(trajectory: Trajectory, *, for_provider: bool) -> str:
    table = PROVIDER_NEXT_STEP_NL if for_provider else CASE_MANAGER_NEXT_STEP_NL
    return table.get(trajectory.state, "")


@dataclass(frozen=True)
class NextDue:
    on: dt.date
    responsible_role: str

    @property
    def responsible_label(self) -> str:
        return RESPONSIBLE_LABELS_NL.get(self.responsible_role, self.responsible_role)


RESPONSIBLE_LABELS_NL = {
    RoleCode.PROVIDER_STAFF.value: "aanbieder",
    RoleCode.CASE_MANAGER.value: "klantmanager",
}


def next_due_by_trajectory(
    trajectory_ids: list[int], *, role: str | None = None
) -> dict[int, NextDue]:
    """The earliest open due date per trajectory (one query for a page): of `role` only
    (provider staff see what they owe), or of anyone with who owes it (case managers follow
    the whole process)."""
    qs = Deadline.objects.filter(trajectory_id__in=trajectory_ids).filter(open_deadlines_q())
    if role is not None:
        qs = qs.filter(responsible_role=role)
    rows = qs.values_list("trajectory_id", "due_on", "responsible_role").order_by(
        "trajectory_id", "due_on", "id"
    )
    result: dict[int, NextDue] = {}
    for trajectory_id, due_on, responsible in rows:
        result.setdefault(trajectory_id, NextDue(due_on, responsible))
    return result


def document_action(kind: str) -> Action | None:
    """The transition a submitted document performs, if any."""
    from .models import DocumentKind

    return {
        DocumentKind.QUOTE.value: Action.SUBMIT_QUOTE,
        DocumentKind.PLAN.value: Action.SUBMIT_PLAN,
        DocumentKind.EXTENSION_REQUEST.value: Action.REQUEST_EXTENSION,
        DocumentKind.RETURN_REQUEST.value: Action.REQUEST_RETURN,
        DocumentKind.FINAL_REPORT.value: Action.RECEIVE_FINAL_REPORT,
        DocumentKind.HANDOVER_NOTE.value: Action.HAND_OVER,
    }.get(kind)


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

    from .models import DocumentKind

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
    (R-PI-1 item 7). One grouped query, one count per quarter."""
    from django.db.models import Count

    if not quarters:
        return {}
    annotations = {
        f"q{i}": Count(
            "id",
            filter=Q(order_date__lte=last)
            & (Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=first)),
        )
        for i, (first, last) in enumerate(quarters)
    }
    rows = (
        Trajectory.objects.filter(organisation_id=organisation_id, provider_id__in=provider_ids)
        .filter(order_date__lte=quarters[-1][1])
        .filter(Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=quarters[0][0]))
        .values("provider_id")
        .annotate(**annotations)
        .order_by()
    )
    result: dict[int, set[int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        result[values["provider_id"]] = {i for i in range(len(quarters)) if values[f"q{i}"]}
    return result


# --- Right of access (R-SEC-5): everything about one client, for the access_requests app ---
# Unscoped on purpose: the access request was checked against the requester's scope when it
# was registered; these reads run in the background for exactly that client.


def client_trajectories_all(client_id: int) -> QuerySet[Trajectory]:
    return (
        Trajectory.objects.filter(client_id=client_id)
        .select_related("product", "provider")
        .order_by("order_date", "id")
    )


def client_trajectory_events_all(client_id: int) -> QuerySet[TrajectoryEvent]:
    return TrajectoryEvent.objects.filter(trajectory__client_id=client_id).order_by(
        "occurred_at", "id"
    )


def client_deadlines_all(client_id: int) -> QuerySet[Deadline]:
    return Deadline.objects.filter(trajectory__client_id=client_id).order_by("due_on", "id")


def client_documents_all(client_id: int) -> QuerySet[TrajectoryDocument]:
    return TrajectoryDocument.objects.filter(trajectory__client_id=client_id).order_by(
        "submitted_at", "id"
    )


def client_appointments_all(client_id: int) -> QuerySet[Appointment]:
    return Appointment.objects.filter(trajectory__client_id=client_id).order_by("starts_at", "id")


def client_absences_all(client_id: int) -> QuerySet[Absence]:
    return Absence.objects.filter(trajectory__client_id=client_id).order_by("occurred_at", "id")


def client_outcomes_all(client_id: int) -> QuerySet[Outcome]:
    return Outcome.objects.filter(trajectory__client_id=client_id).order_by("recorded_at", "id")


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


# --------------------------------------------------------------------------------------------
# The deadline calendar (R-TRJ-3, Atw art. 3(3))
# --------------------------------------------------------------------------------------------


def equated_days() -> frozenset[dt.date]:
    """Every day equated with a holiday by royal decree (reference data), in ONE query.

    Every deadline computation passes this set to `deadlines.py`: the trajectory services
    (once per order or transition), the invoice payment term, the demo generator and the
    `_compute` endpoint. National reference data, not personal: no scope applies. The table
    holds a handful of rows per year, so the whole set is loaded."""
    return frozenset(EquatedDay.objects.values_list("day", flat=True))


@dataclass(frozen=True, slots=True)
class DeadlineComputation:
    """A due date with the calendar it was computed with (the `_compute` endpoint)."""

    rule: dl.DeadlineRule
    start: dt.date
    due: dt.date
    skipped: tuple[dl.NonWorkingDay, ...]
    equated_applied: tuple[EquatedDay, ...]


def deadline_compute(
    kind: dl.DeadlineKind, start: dt.date, *, equated: frozenset[dt.date] | None = None
) -> DeadlineComputation:
    """The due date of `kind` for an anchor event on `start`, computed exactly as the services
    store it (`deadlines.due_date` with `equated_days()`), and the non-working days between
    the anchor and the due date (both ends included; for a deadline *before* an event, between
    the due date and the event). Raises `ValueError` for a year outside the supported range."""
    if not dl.FIRST_SUPPORTED_YEAR <= start.year <= dl.LAST_SUPPORTED_YEAR:
        raise ValueError(
            f"Termijnen worden berekend voor de jaren {dl.FIRST_SUPPORTED_YEAR} tot en met "
            f"{dl.LAST_SUPPORTED_YEAR}."
        )
    days = equated_days() if equated is None else equated
    rule = dl.RULES_BY_KIND[kind]
    due = dl.due_date(rule, start, equated_days=days)
    if due.year < dl.FIRST_SUPPORTED_YEAR:
        raise ValueError(f"De vervaldag valt vóór {dl.FIRST_SUPPORTED_YEAR}.")
    first, last = (start + dt.timedelta(days=1), due) if due > start else (due, start)
    skipped = dl.non_working_days(first, last, equated_days=days)
    applied_days = [d.day for d in skipped if d.kind is dl.NonWorkingKind.EQUATED]
    applied = (
        tuple(EquatedDay.objects.filter(day__in=applied_days).order_by("day"))
        if applied_days
        else ()
    )
    return DeadlineComputation(
        rule=rule, start=start, due=due, skipped=skipped, equated_applied=applied
    )


def trajectory_for_user(user: Any, pk: int) -> Trajectory:
    """One trajectory the user may see, or Http404 (R-SEC-1), for other apps' pages."""
    return get_object_for_user(user, Trajectory.objects.all(), pk=pk)


# --- The attendance register (R-ABS-1) and what the client sees (R-POR) ---------------------


def appointments_for(user: Any) -> QuerySet[Appointment]:
    """Appointments of the trajectories `user` may see (provider staff: their own provider's;
    a resident: their own), with what a list shows."""
    return Appointment.objects.filter(trajectory__in=trajectories_for(user)).select_related(
        "trajectory__client", "trajectory__product", "trajectory__provider"
    )


def attendance_register(
    user: Any, *, start: dt.datetime, end: dt.datetime
) -> QuerySet[Appointment]:
    """The attendance page: the appointments between `start` and `end` (provider staff see
    their own provider's trajectories only, R-SEC-1), earliest first."""
    return (
        appointments_for(user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")
    )


def client_planned_appointments(user: Any, *, since: dt.datetime) -> QuerySet[Appointment]:
    """A resident's coming appointments (R-POR)."""
    return (
        appointments_for(user)
        .filter(starts_at__gte=since, attendance=AttendanceStatus.PLANNED)
        .order_by("starts_at", "id")
    )


def attended_appointments(user: Any, trajectory_ids: list[int]) -> QuerySet[Appointment]:
    """The appointments the provider registered as attended: what a travel claim can be
    made for (R-BILL-9)."""
    return (
        appointments_for(user)
        .filter(trajectory_id__in=trajectory_ids, attendance=AttendanceStatus.ATTENDED)
        .order_by("-starts_at", "-id")
    )


def documents_shared_with_client(user: Any) -> QuerySet[TrajectoryDocument]:
    """Documents staff explicitly shared with the client (R-POR); never anything else."""
    return (
        TrajectoryDocument.objects.filter(
            trajectory__in=trajectories_for(user), shared_with_client=True
        )
        .select_related("trajectory__product")
        .order_by("-submitted_at", "-id")
    )


def trajectory_quotes(trajectory: Trajectory) -> QuerySet[Quote]:
    """Every version of the trajectory's quote, oldest first (R-TRJ-1)."""
    return Quote.objects.filter(trajectory=trajectory).order_by("version")


def can_revise_quote(user: Any, trajectory: Trajectory) -> bool:
    """The provider may replace the quote by a revised one once there is a quote and the
    trajectory was not refused (see `services.quote_revise`)."""
    return (
        trajectory.product_code in QUOTE_PRODUCT_CODES
        and trajectory.state not in (State.ORDERED.value, State.QUOTE_REJECTED.value)
        and RoleCode.PROVIDER_STAFF in user_workflow_roles(user, trajectory)
    )


def can_decide_revision(user: Any, trajectory: Trajectory) -> bool:
    """A revised quote waits for this case manager (outside the first quote's approval)."""
    return (
        trajectory.state != State.QUOTE_SUBMITTED.value
        and RoleCode.CASE_MANAGER in user_workflow_roles(user, trajectory)
        and Quote.objects.filter(trajectory=trajectory, status=QuoteStatus.SUBMITTED).exists()
    )
