"""Reads of access requests, scoped by the caller's access (R-SEC-1)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from opstap.core.access import check_perm, scoped
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import AccessRequest
from .workflow import UNANSWERED_STATES

#: Due within this many days (today included) counts as "soon" on the deadline overview and
#: the privacy officer's start-page panel.
SOON_DAYS = 7


def access_requests_for(user: Actor) -> QuerySet[AccessRequest]:
    return scoped(user, AccessRequest.objects.select_related("client"))


def open_access_requests_for(user: Actor) -> QuerySet[AccessRequest]:
    """The staff work list: requests not yet answered, the earliest due date first."""
    return access_requests_for(user).filter(state__in=UNANSWERED_STATES).order_by("due_on", "id")


def access_requests_of_client(client_id: int) -> QuerySet[AccessRequest]:
    """All requests about one client (unscoped: for that client's own export)."""
    return AccessRequest.objects.filter(client_id=client_id).order_by("requested_at", "id")


def client_access_requests_for(user: Actor, client_id: int) -> QuerySet[AccessRequest]:
    return access_requests_for(user).filter(client_id=client_id).order_by("-requested_at", "-id")


#: What the deadline overview reads of a request and of who handles it: enough to chase a
#: deadline, nothing of the dossier and not who asked (need-to-know, R-SEC-1).
_OVERVIEW_FIELDS = (
    "id",
    "organisation_id",
    "state",
    "channel",
    "requested_at",
    "due_on",
    "client_id",
    "client__case_manager_id",
    "client__case_manager__first_name",
    "client__case_manager__last_name",
    "client__case_manager__username",
    "client__case_manager__is_active",
    "requested_by_id",
    "requested_by__first_name",
    "requested_by__last_name",
    "requested_by__username",
    "requested_by__is_active",
)


def _unanswered_of_organisation(user: Actor) -> QuerySet[AccessRequest]:
    """The reach of `access_requests.oversee`: the unanswered requests of the user's
    organisation (none without the permission or an organisation)."""
    organisation_id = getattr(user, "organisation_id", None)
    if not check_perm(user, Perm.ACCESS_REQUEST_OVERSEE) or organisation_id is None:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(
        organisation_id=organisation_id, state__in=UNANSWERED_STATES
    )


def deadline_overview_for(
    user: Actor, *, today: dt.date, due_within_days: int | None = None
) -> QuerySet[AccessRequest]:
    """The organisation-wide deadline overview (`access_requests.oversee`): every unanswered
    request of the user's organisation, whoever's caseload it is in or without a dossier,
    the earliest due date first (so overdue, then due within a week, come first). Only the
    columns of `_OVERVIEW_FIELDS` are read (one query; index `access_req_org_state`).

    Deliberately not through the request scope: that scope also opens the request page and
    the export, which the overseer must not see; this reach is the deadlines only.
    `due_within_days` keeps the requests due on or before `today` + that many days
    (0: overdue and due today; negative: only overdue)."""
    qs = _unanswered_of_organisation(user)
    if due_within_days is not None:
        qs = qs.filter(due_on__lte=today + dt.timedelta(days=due_within_days))
    return (
        qs.select_related("client__case_manager", "requested_by")
        .only(*_OVERVIEW_FIELDS)
        .order_by("due_on", "id")
    )


def deadline_counts_for(user: Actor, *, today: dt.date) -> dict[str, int]:
    """The numbers of the deadline overview for the privacy officer's start page, in one
    aggregate query over the same requests (`deadline_overview_for` without a filter): the
    unanswered requests (`open`), those past their due date (`overdue`) and those due from
    today to `SOON_DAYS` days ahead (`soon`). Counts only: no row, no name is read."""
    soon_until = today + dt.timedelta(days=SOON_DAYS)
    counts = (
        _unanswered_of_organisation(user)
        .order_by()
        .aggregate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=soon_until)),
        )
    )
    return {key: counts[key] or 0 for key in ("open", "overdue", "soon")}
