"""Scope policies of the trajectories app (R-SEC-1), registered with opstap.core.access.

- provider staff: only trajectories of their own provider, while running plus the
  reporting/invoicing period after the end, clamped to the planned end
  (`selectors.provider_window_q`, `date_rules.access_window_end`);
- case managers: trajectories of the clients they may see (the clients scope);
- residents: their own trajectories (read-only: they hold no trajectory permissions);
- others with `trajectories.view` (contract managers, finance): organisation-wide read of
  the trajectory itself, but below it only what their task needs (issue 19, item 5;
  `ORG_WIDE_CHILDREN`): finance clerks the invoice's evidence (quote and final report,
  the attendance register, the outcome for a placement fee, the workflow history);
  contract managers the process (workflow history and due dates: the provider's own
  records), never report texts, absences or outcomes (aggregates come from the indicators).
Child rows of the other roles (events, due dates, documents, appointments, absence,
outcomes) follow their trajectory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from opstap.clients.selectors import client_scope_through, register_provider_staff_clients
from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm, RoleCode
from opstap.providers.selectors import provider_id_of

from .models import (
    Absence,
    Appointment,
    Deadline,
    DeadlineNotification,
    DocumentKind,
    Outcome,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)
from .selectors import client_ids_visible_to_provider, provider_window_q, scope_through_clients


@register_provider_staff_clients
def provider_staff_client_ids(user: Actor, on: dt.date) -> QuerySet[Any] | list[int]:
    """The clients a provider-staff user may see (R-SEC-1): those with a trajectory ordered
    from the user's provider within the visibility window; none without a membership."""
    provider_id = provider_id_of(user)
    if provider_id is None:
        return []
    return client_ids_visible_to_provider(provider_id=provider_id, on=on)


def trajectory_scope_q(user: Actor) -> Q | None:
    """The policy as a filter on Trajectory (None = nothing visible)."""
    if user.has_role(RoleCode.PROVIDER_STAFF):
        provider_id = provider_id_of(user)
        if provider_id is None:
            return None
        return Q(provider_id=provider_id) & provider_window_q(timezone.localdate())
    if scope_through_clients(user):
        # The clients policy as a join condition on the trajectory's client (not `IN`).
        return client_scope_through(user, "client")
    if user.has_opstap_perm(Perm.TRAJECTORY_VIEW):
        return Q()
    if user.has_opstap_perm(Perm.PORTAL_VIEW):
        return Q(client__user_id=user.pk)
    return None


@register_scope(Trajectory)
def trajectory_scope(user: Actor, qs: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    q = trajectory_scope_q(user)
    return qs.none() if q is None else qs.filter(q)


#: The invoice's evidence (R-BILL-1/2): the price (quote) and the final report that releases
#: the last payment; not plans, progress reports, requests or handover notes.
FINANCE_DOCUMENT_KINDS = frozenset({DocumentKind.QUOTE.value, DocumentKind.FINAL_REPORT.value})

#: Per organisation-wide role (by the permission that marks it), which child rows below a
#: trajectory it reads: a row filter, `Q()` = all rows of a visible trajectory, absent =
#: none. The workflow history without absence reports (their reason is health-related).
_HISTORY = ~Q(action="absence")
ORG_WIDE_CHILDREN: dict[str, dict[type[Any], Q]] = {
    Perm.INVOICE_APPROVE.value: {  # finance clerk
        TrajectoryEvent: _HISTORY,
        Deadline: Q(),
        TrajectoryDocument: Q(kind__in=sorted(FINANCE_DOCUMENT_KINDS)),
        Appointment: Q(),  # the attendance register (hours, travel costs R-BILL-9)
        Outcome: Q(),  # placement facts for the placement fee (R-BILL-6)
    },
    Perm.PROVIDER_MANAGE.value: {  # contract manager
        TrajectoryEvent: _HISTORY,
        Deadline: Q(),
    },
}


def child_scope_q(user: Actor, model: type[Any]) -> Q | None:
    """The filter on a child row of a visible trajectory (None = none of them)."""
    if (
        user.has_role(RoleCode.PROVIDER_STAFF)
        or (user.has_role(RoleCode.CASE_MANAGER) and user.has_opstap_perm(Perm.CLIENT_VIEW))
        or not user.has_opstap_perm(Perm.TRAJECTORY_VIEW)
    ):
        return Q()  # follows the trajectory
    allowed = [
        rows[model]
        for perm, rows in ORG_WIDE_CHILDREN.items()
        if model in rows and user.has_opstap_perm(perm)
    ]
    if not allowed:
        return None
    result = allowed[0]
    for extra in allowed[1:]:
        result = result | extra
    return result


def _via_trajectory(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    q = trajectory_scope_q(user)
    children = child_scope_q(user, qs.model)
    if q is None or children is None or user.organisation_id is None:
        return qs.none()
    visible = Trajectory.objects.filter(organisation_id=user.organisation_id).filter(q)
    return qs.filter(children, trajectory__in=visible.values("pk"))


for _model in (TrajectoryEvent, Deadline, TrajectoryDocument, Appointment, Absence, Outcome):
    register_scope(_model)(_via_trajectory)


@register_scope(DeadlineNotification)
def deadline_notification_scope(
    user: Actor, qs: QuerySet[DeadlineNotification]
) -> QuerySet[DeadlineNotification]:
    return qs.filter(recipient=user)
