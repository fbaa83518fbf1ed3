"""The attendance register (R-ABS-1, R-BILL-9): provider staff record per appointment whether
the candidate came, and add appointments to a running trajectory found by a search. Split from
`views.py` (module size); `views` re-exports the four views for the URLs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.contrib import messages
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_records_for_request
from opstap.core.access import get_object_for_user, permission_required
from opstap.core.actor import Actor, actor_of
from opstap.core.roles import Perm

from . import selectors, services
from .forms import AppointmentForm, AttendanceForm
from .models import Appointment, Trajectory
from .workflow import REPORTING_STATES

#: A combobox search (attendance register, order form) shows at most this many options.
MAX_OPTIONS = 20


def _week_start(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return day - dt.timedelta(days=day.weekday())


def _running(user: Actor) -> QuerySet[Trajectory]:
    """Trajectories an appointment can be added to: running ones the user may see."""
    return selectors.trajectories_for(user).filter(state__in=[s.value for s in REPORTING_STATES])


def _running_trajectory(user: Actor, pk: int) -> Trajectory | None:
    """The running trajectory `pk` if the user may see it, else None. Through
    `get_object_for_user`: one outside the scope is a denied read (recorded), as before."""
    try:
        return get_object_for_user(user, _running(user).select_related("client", "product"), pk=pk)
    except Http404:
        return None


def _trajectory_label(trajectory: Trajectory) -> str:
    client = trajectory.client
    return f"{client.sort_name} ({client.client_number}) — {trajectory.product.name}"


def _attendance_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = actor_of(request)
    today = timezone.localdate()
    monday = _week_start(request.GET.get("week") or request.POST.get("week"), today)
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    appointments = list(
        selectors.attendance_register(user, start=start, end=start + dt.timedelta(days=7))[:500]
    )
    bound: AttendanceForm | None = extra.pop("bound", None)
    bound_pk = extra.pop("bound_pk", None)
    rows = [
        {
            "appointment": a,
            "form": bound
            if bound is not None and bound_pk == a.pk
            else AttendanceForm(prefix=f"a{a.pk}", initial={"status": a.attendance}),
            "started": a.starts_at <= timezone.now(),
        }
        for a in appointments
    ]
    context = {
        "rows": rows,
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous_week": (monday - dt.timedelta(days=7)).isoformat(),
        "next_week": (monday + dt.timedelta(days=7)).isoformat(),
        "this_week": _week_start(None, today) == monday,
        # The trajectory is searched (`attendance_trajectory_options`): the page itself
        # loads none of the running trajectories, however many the user may see.
        "appointment_form": extra.pop("appointment_form", None)
        or AppointmentForm(find_trajectory=partial(_running_trajectory, user)),
        "chosen_label": extra.pop("chosen_label", ""),
        "page_title": "Aanwezigheid",
    }
    context.update(extra)
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type="trajectory",
        items=sorted({(a.trajectory_id, a.trajectory.client_id) for a in appointments}),
        purpose="Aanwezigheidsregistratie",
    )
    return context


@permission_required(Perm.TRAJECTORY_VIEW)
def attendance(request: HttpRequest) -> HttpResponse:
    """The attendance register per week (R-ABS-1): provider staff record per appointment
    whether the candidate came; travel claims (R-BILL-9) and absence follow from it."""
    return render(request, "trajectories/attendance.html", _attendance_context(request))


@require_POST
@permission_required(Perm.TRAJECTORY_VIEW)
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_for_user(
        request.user, Appointment.objects.select_related("trajectory__client"), pk=pk
    )
    form = AttendanceForm(request.POST, prefix=f"a{appointment.pk}")
    week = request.POST.get("week", "")
    if form.is_valid():
        try:
            services.attendance_record(
                actor=actor_of(request),
                appointment=appointment,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                problematic=form.cleaned_data["problematic"],
            )
        except services.TrajectoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"Aanwezigheid van {appointment.trajectory.client.full_name} is vastgelegd.",
            )
            return redirect(f"{reverse('trajectories:attendance')}?week={week}#a{appointment.pk}")
    messages.error(request, "De aanwezigheid is niet vastgelegd: zie de melding bij de afspraak.")
    return render(
        request,
        "trajectories/attendance.html",
        _attendance_context(request, bound=form, bound_pk=appointment.pk),
        status=400,
    )


@require_POST
@permission_required(Perm.TRAJECTORY_VIEW)
def appointment_add(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    form = AppointmentForm(request.POST, find_trajectory=partial(_running_trajectory, user))
    if form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        try:
            services.appointment_create(
                actor=user,
                trajectory=data["trajectory"],
                starts_at=starts_at,
                description=data["description"],
            )
        except services.TrajectoryError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "De afspraak is toegevoegd.")
            monday = _week_start(data["day"].isoformat(), data["day"])
            return redirect(f"{reverse('trajectories:attendance')}?week={monday.isoformat()}")
    # Back with the error: the chosen trajectory stays chosen (its label shown again), or the
    # search text the user typed stays in the search box.
    chosen_label = (
        _trajectory_label(form.chosen)
        if form.chosen is not None
        else (request.POST.get("q") or "").strip()[:100]
    )
    return render(
        request,
        "trajectories/attendance.html",
        _attendance_context(request, appointment_form=form, chosen_label=chosen_label),
        status=400,
    )


@permission_required(Perm.TRAJECTORY_VIEW)
def attendance_trajectory_options(request: HttpRequest) -> HttpResponse:
    """htmx: the options of the trajectory combobox of "Afspraak toevoegen": running
    trajectories the user may see whose client matches the search (at most 20, and a hint
    to narrow the search when there are more; audited as a search)."""
    query = (request.GET.get("q") or "").strip()
    trajectories, more = _running_matches(actor_of(request), query) if query else ([], False)
    audit_records_for_request(
        request,
        action=AuditAction.SEARCH,
        object_type="trajectory",
        items=[(t.pk, t.client_id) for t in trajectories],
        purpose="Aanwezigheid: deelnemer zoeken",
    )
    options = [{"value": t.pk, "label": _trajectory_label(t)} for t in trajectories]
    return render(
        request,
        "trajectories/_options.html",
        {"options": options, "prefix": AppointmentForm.prefix + "-trajectory", "more": more},
    )


def _running_matches(user: Actor, query: str) -> tuple[list[Trajectory], bool]:
    """Running trajectories the user may see (`_running`: provider staff only their own
    provider's, R-SEC-1) of the clients `query` names: its client number, or a surname that
    starts with one of its words while every word starts a name (or is in the surname's
    prefix: "van der"). By client name, at most MAX_OPTIONS, and whether there are more.

    Index-friendly: the surname is searched as ranges of the name index (`client_org_sortname`:
    organisation, surname, first name), one per way of writing the word (as typed, lower,
    upper, capitalised, title case: the index compares names as stored), and the number by
    equality (`uniq_client_number_per_org`); the case-insensitive tests only check the rows
    those found. Each range is its own query, in name order with a limit: PostgreSQL then
    walks the name index from the prefix and stops after MAX_OPTIONS + 1 hits, where one
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
        _starts_with_range("client__last_name", variant)
        for variant in sorted(
            {v for w in words for v in (w, w.lower(), w.upper(), w.capitalize(), w.title())}
        )
    ]
    number = Q(client__client_number__in=sorted({text, text.upper()}))
    base = (
        _running(user)
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
    with _serial_plans():
        for condition in [number, *(r & every_word for r in ranges)]:
            for trajectory in base.filter(condition)[: MAX_OPTIONS + 1]:
                found[trajectory.pk] = trajectory
    ordered = sorted(found.values(), key=lambda t: (t.client.last_name, t.client.first_name, t.pk))
    return ordered[:MAX_OPTIONS], len(ordered) > MAX_OPTIONS


@contextmanager
def _serial_plans() -> Iterator[None]:
    """Queries without parallel workers, for walks of an index in order that stop after a
    few rows: in parallel each worker walks on past the limit (measured at national scale,
    "jan" at the largest provider: 8,178 clients probed and 170 ms, serially 1,300 and 3 ms).
    `SET LOCAL` ends with the transaction, so it is also safe behind PgBouncer."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def _starts_with_range(field: str, prefix: str) -> Q:
    """`field` starts with `prefix` (case as given), as a range an index on `field` serves:
    from the prefix up to the prefix with its last character one higher."""
    upper = ord(prefix[-1]) + 1
    if 0xD800 <= upper <= 0xDFFF:  # surrogates are no characters: skip them
        upper = 0xE000
    q = Q(**{f"{field}__gte": prefix})
    if upper <= 0x10FFFF:
        q &= Q(**{f"{field}__lt": prefix[:-1] + chr(upper)})
    return q
