"""The attendance register (R-ABS-1, R-BILL-9): provider staff record per appointment whether
the candidate came, and add appointments to a running trajectory found by a search. Split from
`views.py` (module size); `views` re-exports the four views for the URLs."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
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

#: A combobox search (attendance register, order form) shows at most this many options.
MAX_OPTIONS = 20


def _week_start(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return day - dt.timedelta(days=day.weekday())


def _running_trajectory(user: Actor, pk: int) -> Trajectory | None:
    """The running trajectory `pk` if the user may see it, else None. Through
    `get_object_for_user`: one outside the scope is a denied read (recorded), as before."""
    try:
        return get_object_for_user(
            user, selectors.running_for(user).select_related("client", "product"), pk=pk
        )
    except Http404:
        return None


def _trajectory_label(trajectory: Trajectory) -> str:
    client = trajectory.client
    return f"{client.sort_name} ({client.client_number}) — {trajectory.product.name}"


def _search_running(request: HttpRequest, query: str) -> tuple[list[Trajectory], bool]:
    """The running trajectories the user may see whose client `query` names (at most
    `MAX_OPTIONS`, and whether there are more), audited as a search (R-SEC-2)."""
    trajectories, more = (
        selectors.running_matches(actor_of(request), query, limit=MAX_OPTIONS)
        if query
        else ([], False)
    )
    audit_records_for_request(
        request,
        action=AuditAction.SEARCH,
        object_type="trajectory",
        items=[(t.pk, t.client_id) for t in trajectories],
        purpose="Aanwezigheid: deelnemer zoeken",
    )
    return trajectories, more


def _fallback_choices(
    request: HttpRequest, query: str, chosen: Trajectory | None
) -> dict[str, Any]:
    """Without JavaScript the combobox cannot be used: the search is a GET of this page
    (`?q=`) and the matches are listed as radio buttons of the form's trajectory field (the
    one chosen before an error first, checked)."""
    query = query.strip()[:100]
    found, more = _search_running(request, query) if query else ([], False)
    if chosen is not None:
        found = [chosen, *(t for t in found if t.pk != chosen.pk)]
    return {
        "search_query": query,
        "search_choices": [
            {"value": t.pk, "label": _trajectory_label(t), "checked": t == chosen} for t in found
        ],
        "search_more": more,
    }


def _attendance_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = actor_of(request)
    today = timezone.localdate()
    monday = _week_start(request.GET.get("week") or request.POST.get("week"), today)
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    appointments = list(
        selectors.attendance_register(user, start=start, end=start + dt.timedelta(days=7))[:500]
    )
    fallback = extra.pop("fallback", None) or _fallback_choices(
        request, request.GET.get("q") or "", None
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
        "page_title": "Aanwezigheid",
        **fallback,
        # the search box shows the chosen trajectory, else the search text
        "chosen_label": extra.pop("chosen_label", "") or fallback["search_query"],
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
    query = (request.POST.get("q") or "").strip()[:100]
    chosen_label = _trajectory_label(form.chosen) if form.chosen is not None else query
    return render(
        request,
        "trajectories/attendance.html",
        _attendance_context(
            request,
            appointment_form=form,
            chosen_label=chosen_label,
            fallback=_fallback_choices(request, query, form.chosen),
        ),
        status=400,
    )


@permission_required(Perm.TRAJECTORY_VIEW)
def attendance_trajectory_options(request: HttpRequest) -> HttpResponse:
    """htmx: the options of the trajectory combobox of "Afspraak toevoegen": running
    trajectories the user may see whose client matches the search (at most 20, and a hint
    to narrow the search when there are more; audited as a search)."""
    query = (request.GET.get("q") or "").strip()
    trajectories, more = _search_running(request, query)
    options = [{"value": t.pk, "label": _trajectory_label(t)} for t in trajectories]
    return render(
        request,
        "trajectories/_options.html",
        {"options": options, "prefix": AppointmentForm.prefix + "-trajectory", "more": more},
    )
