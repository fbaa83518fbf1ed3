"""The client portal (R-POR): what a resident sees about themselves and what they can do.

"Mijn Opstap" shows the case manager and how to reach them, the trajectories with where they
stand and what happens next (in plain language, `plain_language.py`), the coming
appointments, the documents staff shared, the custom budget; the resident uploads a document,
answers the satisfaction survey and claims travel costs. Everything comes through the same
scoped selectors as staff pages (a resident's scope is exactly their own client, R-SEC-1) and
every view is audited (R-SEC-2). Every portal action can also be done by a case manager.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from opstap.audit.services import audit_listed, audit_read
from opstap.clients import selectors as client_selectors
from opstap.clients.models import Client
from opstap.core.access import get_object_for_user, permission_required
from opstap.core.actor import actor_of
from opstap.core.downloads import uploaded_document
from opstap.core.forms import form_submit, service_action
from opstap.core.roles import Perm
from opstap.invoices import selectors as invoice_selectors
from opstap.invoices import services as invoice_services
from opstap.kpis import selectors as kpi_selectors
from opstap.kpis import services as kpi_services
from opstap.matching import selectors as matching_selectors
from opstap.matching import services as matching_services
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import Trajectory

from . import selectors, services
from .forms import SurveyForm, TravelClaimForm, UploadForm
from .models import ClientUpload


def _own_client(request: HttpRequest) -> Client:
    client = client_selectors.own_client(actor_of(request), "case_manager", "municipality")
    if client is None:
        raise Http404  # a resident account not (yet) linked to a client file
    return client


@permission_required(Perm.PORTAL_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    client = _own_client(request)
    today = timezone.localdate()
    overview = selectors.portal_overview(actor_of(request), client, today=today)
    audit_read(request, client, client.pk, "klantportaal: eigen gegevens inzien")
    return render(
        request,
        "portal/home.html",
        {
            "page_title": "Mijn Opstap",
            "client": client,
            "overview": overview,
            "upload_form": UploadForm(),
            "budget": client_selectors.budget_summary(client, year=today.year),
            "proposals": list(matching_selectors.resident_proposals(client.pk)[:20]),
            "work_profile": matching_selectors.work_profile_of(client),
        },
    )


@permission_required(Perm.PORTAL_VIEW)
def work_profile_confirm(request: HttpRequest) -> HttpResponse:
    """The resident confirms the work profile the case manager recorded (R-MAT, R-POR)."""
    client = _own_client(request)
    if request.method == "POST":
        service_action(
            request,
            lambda: matching_services.work_profile_confirm(actor=actor_of(request), client=client),
            done="Dank u: uw werkprofiel is bevestigd.",
            refused=matching_services.MatchingError,
        )
    return redirect("portal:home")


@permission_required(Perm.PORTAL_VIEW)
def upload(request: HttpRequest) -> HttpResponse:
    """Send a document to the case manager (the one upload rule, `documents.uploads`)."""
    client = _own_client(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if form_submit(
        request,
        form,
        lambda data: services.client_upload_submit(
            actor=actor_of(request), client=client, title=data["title"], upload=data["file"]
        ),
        done="Uw document is verstuurd naar uw klantmanager.",
        refused=services.PortalError,
    ):
        return redirect("portal:home")
    uploads = list(selectors.client_uploads(actor_of(request))[:50])
    audit_listed(
        request, uploads, object_type="client_upload", purpose="klantportaal: eigen documenten"
    )
    return render(
        request,
        "portal/upload.html",
        {"page_title": "Document sturen", "form": form, "uploads": uploads},
        status=400 if request.method == "POST" else 200,
    )


def _download(
    request: HttpRequest, document: Any, *, purpose: str, object_type: str
) -> FileResponse:
    audit_read(
        request,
        document,
        document.client_id if hasattr(document, "client_id") else None,
        purpose,
        object_type=object_type,
    )
    return uploaded_document(
        document.file, file_name=document.file_name, content_type=document.content_type
    )


@permission_required(Perm.PORTAL_VIEW)
def upload_download(request: HttpRequest, pk: int) -> FileResponse:
    """The resident opens a document they sent."""
    document = get_object_for_user(request.user, ClientUpload.objects.all(), pk=pk)
    return _download(
        request, document, purpose="klantportaal: eigen document", object_type="client_upload"
    )


@permission_required(Perm.CLIENT_VIEW)
def upload_staff(request: HttpRequest, pk: int) -> FileResponse:
    """Staff who may see the client open a document the client sent (the notification's
    link); anyone else gets a 404."""
    document = get_object_for_user(request.user, ClientUpload.objects.all(), pk=pk)
    return _download(
        request,
        document,
        purpose="Document van de klant (klantportaal)",
        object_type="client_upload",
    )


@permission_required(Perm.PORTAL_VIEW)
def shared_document(request: HttpRequest, pk: int) -> FileResponse:
    """A plan or report staff shared with the resident (and only such a document)."""
    document = get_object_for_user(
        actor_of(request),
        trajectory_selectors.documents_shared_with_client(actor_of(request)),
        pk=pk,
    )
    if not document.file:
        raise Http404
    audit_read(
        request,
        document,
        document.trajectory.client_id,
        "klantportaal: gedeeld document",
        object_type="trajectory_document",
    )
    return uploaded_document(
        document.file, file_name=document.file_name, content_type=document.content_type
    )


@permission_required(Perm.PORTAL_VIEW)
def survey(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The satisfaction survey (R-KPI-6): about an ended trajectory (`pk`), or the open wave."""
    client = _own_client(request)
    today = timezone.localdate()
    trajectory: Trajectory | None = None
    wave = None
    if pk is not None:
        trajectory = get_object_for_user(
            request.user,
            trajectory_selectors.trajectories_for(actor_of(request)).select_related(
                "product", "provider"
            ),
            pk=pk,
        )
        if not kpi_selectors.survey_open_for(trajectory.state):
            raise Http404
        subject = f"{trajectory.product.name} bij {trajectory.provider.name}"
    else:
        wave = kpi_services.open_survey_wave(client.organisation_id, on=today)
        if wave is None:
            raise Http404
        subject = "de sociale dienst"
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kpi_services.satisfaction_response_record(
                actor=actor_of(request),
                client=client,
                trajectory=trajectory,
                wave=wave,
                score=form.cleaned_data["score"],
                remark=form.cleaned_data["remark"],
                on=today,
            )
        except kpi_services.KpiError as exc:
            form.add_error("score" if exc.field == "score" else None, exc.message)
        else:
            messages.success(request, "Dank u wel voor uw antwoord!")
            return redirect("portal:home")
    return render(
        request,
        "portal/survey.html",
        {"page_title": "Hoe tevreden bent u?", "form": form, "subject": subject},
        status=400 if request.method == "POST" else 200,
    )


@permission_required(Perm.PORTAL_VIEW)
def travel(request: HttpRequest) -> HttpResponse:
    """The candidate claims travel costs for their own trajectory (R-BILL-9, R-POR): a form
    with the appointments the provider registered as attended (a checkbox, km and costs per
    trip) or another day as dd-mm-jjjj. Each trip is checked against the attendance register
    only, and the decision per trip is shown."""
    user = actor_of(request)
    started = list(
        trajectory_selectors.trajectories_for(user)
        .filter(start_date__isnull=False)
        .select_related("product", "provider")
        .order_by("-start_date")
    )
    claims = list(invoice_selectors.travel_claims_for(user).prefetch_related("trips")[:20])
    claimable = selectors.claimable_appointments(user, started)
    posted_for = request.POST.get("trajectory") if request.method == "POST" else None
    if posted_for is not None and posted_for not in {str(t.pk) for t in started}:
        # Another resident's trajectory (an id changed in the form) or one not started: the
        # page said nothing and the attempt left no trace. A 404 inside is recorded as a
        # denied read when the trajectory exists (core.access).
        with contextlib.suppress(Http404):
            get_object_for_user(user, trajectory_selectors.trajectories_for(user), pk=posted_for)
        messages.error(
            request,
            "Uw declaratie is niet verstuurd: u kunt alleen reiskosten declareren voor uw "
            "eigen traject, als het begonnen is.",
        )
    sections = []
    for t in started:
        bound = posted_for == str(t.pk)
        form = TravelClaimForm(
            request.POST if bound else None,
            appointments=claimable.get(t.pk, []),
            prefix=f"t{t.pk}",
        )
        if bound and form.is_valid():
            try:
                invoice_services.travel_claim_submit(
                    actor=user,
                    trajectory=t,
                    trips=[
                        invoice_services.TripInput(day, km, amount)
                        for day, km, amount in form.cleaned_data["trips"]
                    ],
                )
            except invoice_services.InvoiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Uw declaratie is ontvangen en nagekeken.")
                return redirect("portal:travel")
        sections.append({"trajectory": t, "form": form})
    for claim in claims:  # both payers reimburse the candidate; the split is not theirs
        claim.reimbursed = claim.organisation_pays + claim.provider_pays  # type: ignore[attr-defined]
    audit_listed(
        request,
        claims,
        object_type="travel_claim",
        purpose="klantportaal: eigen reiskostendeclaraties",
    )
    return render(
        request,
        "portal/travel.html",
        {"page_title": "Reiskosten declareren", "sections": sections, "claims": claims},
        status=400 if posted_for else 200,
    )
