"""Trajectories as a user may see them (R-SEC-1): lists and filters, overdue marks, a trajectory's
timeline, documents, absences and outcome, the actions a user may take and the next step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone

from opstap.clients.selectors import CLIENT_COUNTS, clients_for
from opstap.core.access import get_object_for_user, scoped
from opstap.core.actor import Actor
from opstap.core.counts import CountsCache
from opstap.core.filtering import narrowed
from opstap.core.roles import Perm, RoleCode
from opstap.trajectories import date_rules
from opstap.trajectories import deadlines as dl
from opstap.trajectories import (
    handoffs as handoffs,  # re-exported: the hand-off kinds other apps notify
)
from opstap.trajectories.deadlines import add_working_days as add_working_days
from opstap.trajectories.models import (
    Absence,
    Appointment,
    AttendanceStatus,
    Deadline,
    Outcome,
    Quote,
    QuoteStatus,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)
from opstap.trajectories.workflow import QUOTE_PRODUCT_CODES, State, Transition, available_actions
from opstap.trajectories.workflow import REPORTING_STATES as REPORTING_STATES
from opstap.trajectories.workflow import Action as Action
from opstap.trajectories.workflow import IllegalTransition as IllegalTransition

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
#: Trajectory totals; the case manager's scope joins the clients, so a client write (another
#: case manager, another step) makes those totals fresh as well.
TRAJECTORY_COUNTS = CountsCache("opstap:trajectories:counts", depends_on=(CLIENT_COUNTS,))


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


def scope_through_clients(user: Actor) -> bool:
    """Whether the user's trajectories are exactly those of the clients they see (R-SEC-1:
    case managers), rather than a provider's window or the organisation. The one test that
    `access.trajectory_scope_q` and `trajectory_total` share."""
    return (
        not user.has_role(RoleCode.PROVIDER_STAFF)
        and user.has_role(RoleCode.CASE_MANAGER)
        and user.has_opstap_perm(Perm.CLIENT_VIEW)
    )


def trajectory_total(*, user: Actor, filters: TrajectoryFilters) -> int | None:
    """The exact total of the unfiltered list of a user whose trajectories are those of the
    clients they see: the sum of the trajectory counters of those clients (kept by
    `services.tallies`), an index-only sum over the scope instead of a count of every joined
    trajectory (issue 18: a million at national scale). None = count the rows instead (other
    scopes, or any filter)."""
    if filters != TrajectoryFilters() or not scope_through_clients(user):
        return None
    return TRAJECTORY_COUNTS.total(
        clients_for(user), "trajectory_count", organisation_id=user.organisation_id
    )


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
    #: Words typed in the product search without choosing one (the page without
    #: JavaScript): every product whose name or provider holds all the words.
    product_text: str = ""


RUNNING_EXCLUDED = (State.HANDED_OVER.value, State.QUOTE_REJECTED.value)


def trajectory_list(
    *, user: Actor, filters: TrajectoryFilters, on: dt.date
) -> QuerySet[Trajectory]:
    """The overview of trajectories with filters, related rows fetched in the same query.
    Call `mark_overdue` on the page to set each row's `is_overdue` flag."""
    qs = narrowed(
        trajectories_for(user).select_related("client", "product", "provider", "case_manager"),
        provider_id=filters.provider,
        product_id=filters.product,
        state=filters.state,
        client_id=filters.client,
    )
    if filters.running_only:
        qs = qs.exclude(state__in=RUNNING_EXCLUDED)
    for word in filters.product_text.split()[:10]:
        qs = qs.filter(Q(product__name__icontains=word) | Q(provider__name__icontains=word))
    if filters.overdue:
        # Longest overdue first: the order of the partial index on `next_due_on`.
        return qs.filter(overdue_q(on)).order_by("next_due_on", "id")
    return qs.order_by("-order_date", "-id")


def is_overdue(next_due_on: dt.date | None, *, on: dt.date) -> bool:
    """Whether a trajectory with this stored next due date has a deadline past due on `on`
    (the rule of `overdue_q`, for a row in hand)."""
    return next_due_on is not None and next_due_on < on


def mark_overdue(trajectories: list[Trajectory], *, on: dt.date) -> list[Trajectory]:
    """Set `is_overdue` on one page of trajectories (from `next_due_on`, no query)."""
    for trajectory in trajectories:
        trajectory.is_overdue = is_overdue(trajectory.next_due_on, on=on)  # type: ignore[attr-defined]
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


def deadline_counts(user: Actor, *, on: dt.date, horizon_days: int = 14) -> tuple[int, int]:
    """The start page's numbers of `deadlines_for(user, on=on, horizon_days=…)`: (overdue,
    due within the horizon, overdue included). A case manager's (R-SEC-1: their trajectories
    are those of the clients they see) in one hand-written statement with plain joins, the
    scope written out by `client_scope_sql` (issue 18: building and compiling the queryset
    cost more than running it); anyone else through `deadlines_for`. A test holds both to
    the same numbers."""
    from django.db import connection
    from django.db.models import Count

    from opstap.clients.models import Client
    from opstap.clients.selectors import client_scope_sql
    from opstap.core.actor import active_actor

    scope = (
        client_scope_sql(user, "c")
        if scope_through_clients(user) and active_actor(user) is not None
        else None
    )
    if scope is None:
        counts = (
            deadlines_for(user, on=on, horizon_days=horizon_days)
            .order_by()
            .aggregate(overdue=Count("id", filter=Q(due_on__lt=on)), total=Count("id"))
        )
        return counts["overdue"], counts["total"]
    scope_sql, scope_params = scope
    day = connection.ops.adapt_datefield_value
    sql = (
        "SELECT COALESCE(SUM(CASE WHEN d.due_on < %s THEN 1 ELSE 0 END), 0), COUNT(*) "  # noqa: S608 (names from the models)
        f"FROM {Deadline._meta.db_table} d "
        f"JOIN {Trajectory._meta.db_table} t ON t.id = d.trajectory_id "
        f"JOIN {Client._meta.db_table} c ON c.id = t.client_id "
        "WHERE d.organisation_id = %s AND t.organisation_id = %s AND c.case_manager_id = %s "
        "AND d.met_on IS NULL AND d.cancelled_on IS NULL AND d.due_on <= %s "
        f"AND {scope_sql}"
    )
    params = [
        day(on),
        user.organisation_id,
        user.organisation_id,
        user.pk,
        day(on + dt.timedelta(days=horizon_days)),
        *scope_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        overdue, total = cursor.fetchone()
    return int(overdue), int(total)


def _children(qs: QuerySet[Any], user: Actor | None) -> QuerySet[Any]:
    """A trajectory's child rows as `user` may see them (issue 19: finance clerks and
    contract managers read only part of what lies below a trajectory). Without a user: all
    (services and background work)."""
    return qs if user is None else scoped(user, qs)


def trajectory_timeline(
    trajectory: Trajectory, *, user: Actor | None = None
) -> QuerySet[TrajectoryEvent]:
    return (
        _children(trajectory.events.all(), user)
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def trajectory_deadlines(
    trajectory: Trajectory, *, user: Actor | None = None
) -> QuerySet[Deadline]:
    return _children(trajectory.deadlines.all(), user).order_by("due_on", "id")


def registration_grace_working_days() -> int:
    """How many working days back a day the provider states counts for its deadline (R-TRJ-3,
    `deadlines.deadline_met_on`; `OPSTAP_REGISTRATION_GRACE_WORKING_DAYS`)."""
    return int(
        getattr(
            settings,
            "OPSTAP_REGISTRATION_GRACE_WORKING_DAYS",
            dl.DEFAULT_REGISTRATION_GRACE_WORKING_DAYS,
        )
    )


def deadlines_with_stated_days(
    trajectory: Trajectory, deadlines: Iterable[Deadline]
) -> list[Deadline]:
    """The deadlines, the intake's and the start's marked with the day the provider stated
    (`stated_on`) when they count as met later than that day (R-TRJ-3: a step typed in late
    counts only a few working days back), so the page can say why; None otherwise."""
    stated: dict[str, dt.date | None] = {
        dl.DeadlineKind.INTAKE: trajectory.intake_held_on,
        dl.DeadlineKind.START: trajectory.start_date,
    }
    marked = list(deadlines)
    for deadline in marked:
        day = stated.get(deadline.kind)
        met_later = day is not None and deadline.met_on is not None and day < deadline.met_on
        deadline.stated_on = day if met_later else None  # type: ignore[attr-defined]
    return marked


def trajectory_documents(
    trajectory: Trajectory, *, user: Actor | None = None
) -> QuerySet[TrajectoryDocument]:
    return (
        _children(trajectory.documents.all(), user)
        .select_related("submitted_by")
        .order_by("submitted_at", "id")
    )


def trajectory_absences(trajectory: Trajectory, *, user: Actor | None = None) -> QuerySet[Absence]:
    return (
        _children(trajectory.absences.all(), user)
        .select_related("reported_by")
        .order_by("-occurred_at", "-id")
    )


def trajectory_outcome(trajectory: Trajectory, *, user: Actor | None = None) -> Outcome | None:
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
    return next_step_label_of(trajectory.state, for_provider=for_provider)


def next_step_label_of(state: str, *, for_provider: bool) -> str:
    """What the provider (or the case manager) must do next in `state` ("" = nothing)."""
    table = PROVIDER_NEXT_STEP_NL if for_provider else CASE_MANAGER_NEXT_STEP_NL
    return table.get(state, "")


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
    from opstap.trajectories.models import DocumentKind

    return {
        DocumentKind.QUOTE.value: Action.SUBMIT_QUOTE,
        DocumentKind.PLAN.value: Action.SUBMIT_PLAN,
        DocumentKind.EXTENSION_REQUEST.value: Action.REQUEST_EXTENSION,
        DocumentKind.RETURN_REQUEST.value: Action.REQUEST_RETURN,
        DocumentKind.FINAL_REPORT.value: Action.RECEIVE_FINAL_REPORT,
        DocumentKind.HANDOVER_NOTE.value: Action.HAND_OVER,
    }.get(kind)


def trajectory_for_user(user: Actor, pk: int) -> Trajectory:
    """One trajectory the user may see, or Http404 (R-SEC-1), for other apps' pages."""
    return get_object_for_user(user, Trajectory.objects.all(), pk=pk)


def trajectory_quotes(trajectory: Trajectory) -> QuerySet[Quote]:
    """Every version of the trajectory's quote, oldest first (R-TRJ-1)."""
    return Quote.objects.filter(trajectory=trajectory).order_by("version")


def can_revise_quote(user: Actor, trajectory: Trajectory) -> bool:
    """The provider may replace the quote by a revised one once there is a quote and the
    trajectory was not refused (see `services.quote_revise`)."""
    return (
        trajectory.product_code in QUOTE_PRODUCT_CODES
        and trajectory.state not in (State.ORDERED.value, State.QUOTE_REJECTED.value)
        and RoleCode.PROVIDER_STAFF in user_workflow_roles(user, trajectory)
    )


def can_decide_revision(user: Actor, trajectory: Trajectory) -> bool:
    """A revised quote waits for this case manager (outside the first quote's approval)."""
    return (
        trajectory.state != State.QUOTE_SUBMITTED.value
        and RoleCode.CASE_MANAGER in user_workflow_roles(user, trajectory)
        and Quote.objects.filter(trajectory=trajectory, status=QuoteStatus.SUBMITTED).exists()
    )
