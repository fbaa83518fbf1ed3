"""The client portal (R-POR): what a resident sees about themselves.

This first slice is read-only: the case manager and how to reach them, current trajectories
with their provider, and the custom budget. Everything comes through the same scoped
selectors as staff pages (a resident's scope is exactly their own client, R-SEC-1) and every
view is audited (R-SEC-2).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_read, audit_records_for_request
from opstap.clients import selectors as client_selectors
from opstap.core.access import permission_required
from opstap.core.roles import Perm
from opstap.invoices import selectors as invoice_selectors
from opstap.invoices import services as invoice_services
from opstap.trajectories import selectors as trajectory_selectors

from .forms import TravelClaimForm


@permission_required(Perm.PORTAL_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    client = (
        client_selectors.clients_for(request.user)
        .select_related("case_manager", "municipality")
        .first()
    )
    if client is None:
        # A resident account not (yet) linked to a client file.
        raise Http404
    today = timezone.localdate()
    trajectories = (
        trajectory_selectors.trajectories_for(request.user)
        .filter(client=client)
        .select_related("product", "provider")
        .order_by("-order_date")
    )
    audit_read(request, client, client.pk, "klantportaal: eigen gegevens inzien")
    return render(
        request,
        "portal/home.html",
        {
            "page_title": "Mijn Opstap",
            "client": client,
            "trajectories": trajectories,
            "budget": client_selectors.budget_summary(client, year=today.year),
        },
    )


@permission_required(Perm.PORTAL_VIEW)
def travel(request: HttpRequest) -> HttpResponse:
    """The candidate claims travel costs for their own trajectory (R-BILL-9, R-POR); each
    trip is checked against the attendance register, and the decision per trip is shown."""
    user: Any = request.user
    started = (
        trajectory_selectors.trajectories_for(user)
        .filter(start_date__isnull=False)
        .select_related("product", "provider")
        .order_by("-start_date")
    )
    choices = [(t.pk, f"{t.product.name} bij {t.provider.name}") for t in started]
    form = TravelClaimForm(request.POST or None, trajectory_choices=choices)
    if request.method == "POST" and form.is_valid():
        trajectory = started.filter(pk=form.cleaned_data["trajectory"]).first()
        try:
            if trajectory is None:
                raise Http404
            invoice_services.travel_claim_submit(
                actor=user,
                trajectory=trajectory,
                trips=invoice_services.trip_lines_parse(form.cleaned_data["trips"]),
            )
        except invoice_services.InvoiceError as exc:
            form.add_error("trips" if exc.field == "trips" else None, exc.message)
        else:
            messages.success(request, "Uw declaratie is ontvangen en gecontroleerd.")
            return redirect("portal:travel")
    claims = list(invoice_selectors.travel_claims_for(user).prefetch_related("trips")[:20])
    for claim in claims:  # both payers reimburse the candidate; the split is not theirs
        claim.reimbursed = claim.organisation_pays + claim.provider_pays  # type: ignore[attr-defined]
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type="travel_claim",
        items=[(c.pk, c.client_id) for c in claims],
        purpose="klantportaal: eigen reiskostendeclaraties",
    )
    return render(
        request,
        "portal/travel.html",
        {"page_title": "Reiskosten declareren", "form": form, "claims": claims},
    )
