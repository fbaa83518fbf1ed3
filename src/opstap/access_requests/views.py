"""Pages of access requests (R-SEC-5): the resident's "Mijn gegevens opvragen" in the portal
and the staff pages (work list with due dates, a client's requests, registering one on the
client's behalf). Parse, call a service or selector, render; the compilation runs in the
background and the request page polls its progress (htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opstap.audit.services import audit_listed, audit_read
from opstap.clients import selectors as client_selectors
from opstap.clients.models import Client
from opstap.core.access import get_object_for_user, permission_required
from opstap.core.actor import actor_of
from opstap.core.audit_names import object_type_for
from opstap.core.background import run_in_background
from opstap.core.forms import add_domain_error
from opstap.core.roles import Perm

from . import selectors, services, terms
from .downloads import export_response
from .forms import DeadlineFilterForm, StaffRequestForm, WithoutDossierForm
from .models import AccessRequest
from .workflow import Action, IllegalTransitionError


def start_compilation(access_request_id: int) -> None:
    """Run the Celery task after the response: queued on a broker; without one (demo,
    tests) in a thread so the page can poll, or inline with OPSTAP_ACCESS_EXPORT_SYNC."""
    from .tasks import compile_access_request_task

    run_in_background(
        compile_access_request_task, access_request_id, sync_setting="OPSTAP_ACCESS_EXPORT_SYNC"
    )


def _start_after_commit(request_id: int) -> None:
    transaction.on_commit(lambda: start_compilation(request_id))


def _own_client(request: HttpRequest) -> Client:
    client = client_selectors.own_client(actor_of(request))
    if client is None:
        raise Http404  # a resident account not (yet) linked to a client file
    return client


def _request_for(request: HttpRequest, pk: int) -> AccessRequest:
    return get_object_for_user(
        actor_of(request), selectors.access_requests_for(actor_of(request)), pk=pk
    )


def _audit_listed(request: HttpRequest, rows: list[AccessRequest], purpose: str) -> None:
    """One audited `list` record per request shown (R-SEC-2), with its client (none for a
    person without a dossier)."""
    audit_listed(request, rows, object_type=object_type_for(AccessRequest), purpose=purpose)


def _detail_context(access_request: AccessRequest, *, portal: bool) -> dict[str, Any]:
    prefix = "access_requests:portal_" if portal else "access_requests:"
    return {
        "access_request": access_request,
        "poll_url": reverse(f"{prefix}detail", args=[access_request.pk]),
        "download_url": reverse(f"{prefix}download", args=[access_request.pk]),
        "retry_url": reverse(f"{prefix}retry", args=[access_request.pk]),
        "portal": portal,
        "days_left": terms.days_left(access_request.due_on, timezone.localdate()),
        "retention_days": services.retention_days(),
    }


def _detail(request: HttpRequest, pk: int, *, portal: bool) -> HttpResponse:
    access_request = _request_for(request, pk)
    context = _detail_context(access_request, portal=portal)
    if request.headers.get("HX-Request"):
        return render(request, "access_requests/_progress.html", context)
    audit_read(
        request,
        access_request,
        access_request.client_id,
        "Inzageverzoek bekijken",
        object_type=object_type_for(AccessRequest),
    )
    template = "access_requests/portal_detail.html" if portal else "access_requests/detail.html"
    return render(request, template, {"page_title": "Inzageverzoek", **context})


def _retry(request: HttpRequest, pk: int, *, portal: bool) -> HttpResponse:
    access_request = _request_for(request, pk)
    try:
        services.access_request_transition(
            actor=actor_of(request),
            access_request=access_request,
            action=Action.RETRY,
            http_request=request,
        )
    except IllegalTransitionError as exc:
        messages.error(request, exc.message)
    except services.AccessRequestError as exc:
        raise Http404 from exc
    else:
        _start_after_commit(access_request.pk)
        messages.success(request, "Het overzicht wordt opnieuw samengesteld.")
    name = "access_requests:portal_detail" if portal else "access_requests:detail"
    return redirect(name, pk=access_request.pk)


def _download(request: HttpRequest, pk: int) -> FileResponse:
    response = export_response(
        actor=actor_of(request), access_request=_request_for(request, pk), http_request=request
    )
    if response is None:
        raise Http404
    return response


# --- Portal (the resident) ------------------------------------------------------------------


@permission_required(Perm.PORTAL_VIEW)
def portal_list(request: HttpRequest) -> HttpResponse:
    """'Mijn gegevens opvragen': earlier requests and a button for a new one (R-SEC-5)."""
    client = _own_client(request)
    if request.method == "POST":
        try:
            access_request = services.access_request_create(
                actor=actor_of(request), client=client, http_request=request
            )
        except services.AccessRequestError as exc:
            messages.error(request, exc.message)
            return redirect("access_requests:portal_list")
        _start_after_commit(access_request.pk)
        return redirect("access_requests:portal_detail", pk=access_request.pk)
    requests = list(selectors.client_access_requests_for(actor_of(request), client.pk))
    return render(
        request,
        "access_requests/portal_list.html",
        {
            "page_title": "Mijn gegevens opvragen",
            "requests": requests,
            "retention_days": services.retention_days(),
        },
    )


@permission_required(Perm.PORTAL_VIEW)
def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, portal=True)


@require_POST
@permission_required(Perm.PORTAL_VIEW)
def portal_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _retry(request, pk, portal=True)


@permission_required(Perm.PORTAL_VIEW)
def portal_download(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk)


# --- Staff ----------------------------------------------------------------------------------


@permission_required(Perm.ACCESS_REQUEST_HANDLE)
def work_list(request: HttpRequest) -> HttpResponse:
    """Open requests of the clients in the user's scope, the earliest due date first."""
    rows = list(selectors.open_access_requests_for(actor_of(request))[:200])
    _audit_listed(request, rows, "Werklijst inzageverzoeken")
    today = timezone.localdate()
    for row in rows:
        row.days_left = terms.days_left(row.due_on, today)  # type: ignore[attr-defined]
    return render(
        request,
        "access_requests/list.html",
        {"page_title": "Inzageverzoeken", "rows": rows, "today": today},
    )


#: Due within this many days counts as "soon" in the overview (and on the start page).
SOON_DAYS = selectors.SOON_DAYS
#: The overview shows at most this many rows (the earliest due first); the count says more.
OVERVIEW_LIMIT = 500


@permission_required(Perm.ACCESS_REQUEST_OVERSEE)
def deadline_overview(request: HttpRequest) -> HttpResponse:
    """'Termijnen inzageverzoeken': every unanswered access request of the organisation with
    its deadline and who handles it (AVG art. 12(3)), overdue and due within a week first.
    For the privacy officer: the deadlines, not who asked or what the dossier holds."""
    user = actor_of(request)
    today = timezone.localdate()
    form = DeadlineFilterForm(request.GET)
    valid = form.is_valid()
    due_within = form.due_within_days() if valid else None
    rows = list(
        selectors.deadline_overview_for(user, today=today, due_within_days=due_within)[
            : OVERVIEW_LIMIT + 1
        ]
        if valid
        else []
    )
    truncated = len(rows) > OVERVIEW_LIMIT
    rows = rows[:OVERVIEW_LIMIT]
    _audit_listed(request, rows, "Termijnoverzicht inzageverzoeken")
    for row in rows:
        left = terms.days_left(row.due_on, today)
        row.days_left = left  # type: ignore[attr-defined]
        row.days_late = -left  # type: ignore[attr-defined]
        row.urgency = "overdue" if left < 0 else "soon" if left <= SOON_DAYS else ""  # type: ignore[attr-defined]
    # The numbers are those of every unanswered request of the organisation (the start page
    # panel's one aggregate query), not of the rows shown: those stop at OVERVIEW_LIMIT.
    counts = (
        selectors.deadline_counts_for(user, today=today)
        if valid
        else {"open": 0, "overdue": 0, "soon": 0}
    )
    return render(
        request,
        "access_requests/deadlines.html",
        {
            "page_title": "Termijnen inzageverzoeken",
            "form": form,
            "rows": rows,
            "overdue": counts["overdue"],
            "soon": counts["soon"],
            "soon_days": SOON_DAYS,
            "truncated": truncated,
            "limit": OVERVIEW_LIMIT,
            "today": today,
        },
        status=200 if valid else 400,
    )


@permission_required(Perm.ACCESS_REQUEST_HANDLE)
def without_dossier(request: HttpRequest) -> HttpResponse:
    """Register the request of a person of whom we have no dossier (AVG art. 15: everyone
    may ask; the answer is that we hold no data on them, within the same month)."""
    form = WithoutDossierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_request = services.access_request_create_without_dossier(
                actor=actor_of(request),
                requester_name=form.cleaned_data["requester_name"],
                bsn=form.cleaned_data["bsn"],
                requester_contact=form.cleaned_data["requester_contact"],
                note=form.cleaned_data["note"],
                http_request=request,
            )
        except services.AccessRequestError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Het inzageverzoek is geregistreerd.")
            return redirect("access_requests:detail", pk=access_request.pk)
    return render(
        request,
        "access_requests/without_dossier.html",
        {"page_title": "Inzageverzoek van iemand zonder dossier", "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(Perm.ACCESS_REQUEST_HANDLE)
def answer_no_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the person without a dossier has been answered: we hold no data."""
    access_request = _request_for(request, pk)
    try:
        services.access_request_transition(
            actor=actor_of(request),
            access_request=access_request,
            action=Action.ANSWER_NO_DATA,
            http_request=request,
        )
    except IllegalTransitionError as exc:
        messages.error(request, exc.message)
    except services.AccessRequestError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, "Vastgelegd dat het antwoord 'geen gegevens' is gegeven.")
    return redirect("access_requests:detail", pk=access_request.pk)


@permission_required(Perm.ACCESS_REQUEST_HANDLE)
def client_requests(request: HttpRequest, client_pk: int) -> HttpResponse:
    """A client's requests, and registering one on their behalf (R-POR)."""
    client = get_object_for_user(
        actor_of(request), client_selectors.clients_for(actor_of(request)), pk=client_pk
    )
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_request = services.access_request_create(
                actor=actor_of(request),
                client=client,
                note=form.cleaned_data["note"],
                http_request=request,
            )
        except services.AccessRequestError as exc:
            if exc.code == "not_found":
                raise Http404 from exc
            add_domain_error(form, exc)
        else:
            _start_after_commit(access_request.pk)
            messages.success(request, "Het inzageverzoek is geregistreerd.")
            return redirect("access_requests:detail", pk=access_request.pk)
    requests = list(selectors.client_access_requests_for(actor_of(request), client.pk))
    audit_read(request, client, client.pk, "Inzageverzoeken van een klant bekijken")
    _audit_listed(request, requests, "Inzageverzoeken van een klant bekijken")
    return render(
        request,
        "access_requests/client.html",
        {
            "page_title": f"Inzageverzoeken van {client.full_name}",
            "client": client,
            "form": form,
            "requests": requests,
        },
    )


@permission_required(Perm.ACCESS_REQUEST_HANDLE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, portal=False)


@require_POST
@permission_required(Perm.ACCESS_REQUEST_HANDLE)
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _retry(request, pk, portal=False)


@permission_required(Perm.ACCESS_REQUEST_HANDLE)
def download(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk)
