"""The client portal (R-POR): what a resident sees about themselves.

This first slice is read-only: the case manager and how to reach them, current trajectories
with their provider, and the custom budget. Everything comes through the same scoped
selectors as staff pages (a resident's scope is exactly their own client, R-SEC-1) and every
view is audited (R-SEC-2).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from opstap.accounts.access import permission_required
from opstap.accounts.roles import Perm
from opstap.audit.services import audit_read
from opstap.clients import selectors as client_selectors
from opstap.trajectories import selectors as trajectory_selectors


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
