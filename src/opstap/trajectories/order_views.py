"""The order form (opdrachtformulier, R-TRJ-1) and its searchable choices of client and
product (htmx combobox): split from `views` to keep that module within its size. Parse, call
a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_records_for_request
from opstap.clients import selectors as client_selectors
from opstap.clients.models import Client
from opstap.clients.services import client_read_audit
from opstap.core.access import get_object_for_user, permission_required, scoped
from opstap.core.actor import actor_of
from opstap.core.roles import Perm
from opstap.providers.models import Product
from opstap.providers.selectors import aim_tile_choices
from opstap.providers.services import product_orderability

from . import selectors, services
from .attendance_views import MAX_OPTIONS
from .forms import OrderForm
from .workflow import starts_with_quote


@permission_required(Perm.TRAJECTORY_ORDER)
def trajectory_order(request: HttpRequest) -> HttpResponse:
    """The order form (opdrachtformulier, R-TRJ-1): `?client=<id>&product=<id>`."""
    user = actor_of(request)
    client_id = request.GET.get("client") or request.POST.get("client")
    product_id = request.GET.get("product") or request.POST.get("product")
    if not client_id:
        # From the instrument guide: first choose the client, searched by name or number
        # (nothing preselected: a wrong order must not be one click). Without JavaScript the
        # search is a GET and the matches are listed as links.
        query = (request.GET.get("q") or "").strip()
        clients = _client_matches(request, query) if query else []
        return render(
            request,
            "trajectories/order_choose_client.html",
            {
                "clients": clients,
                "query": query,
                "product_id": product_id or "",
                "page_title": "Traject bestellen: kies de klant",
            },
        )
    client = get_object_for_user(user, Client.objects.all(), pk=client_id)
    products = scoped(user, Product.objects.select_related("provider", "product_code"))
    product = get_object_for_user(user, products, pk=product_id) if product_id else None
    today = timezone.localdate()
    tile_choices = aim_tile_choices(today)
    orderable, why = (True, "")
    summary: list[tuple[str, str]] = []
    if product is not None:
        orderable, why = product_orderability(product=product, on=today)
        # What is ordered: price terms, ceiling, VAT category and duration as of today.
        summary = selectors.product_order_terms(product, on=today).lines()
    form = OrderForm(
        request.POST or None,
        tile_choices=tile_choices,
        initial={
            "aim_tiles": list(product.tiles.values_list("code", flat=True)) if product else []
        },
    )
    error = ""
    valid = request.method == "POST" and product is not None and form.is_valid()
    if request.method == "POST" and product is not None:
        # Every problem in one answer: the service's checks of what was typed (start date,
        # budget, rotonde, tiles) beside the form's own errors, not one after the other.
        data = form.cleaned_data
        for problem in services.trajectory_order_problems(
            client=client,
            rotonde_exit=data.get("rotonde_exit"),
            rotonde_skip_reason=data.get("rotonde_skip_reason") or "",
            aim_tiles=data.get("aim_tiles") or (),
            wished_start=data.get("wished_start"),
            budget=data.get("budget"),
            on=today,
        ):
            if problem.field in form.fields and problem.field not in form.errors:
                form.add_error(problem.field, problem.message)
                valid = False
            elif problem.field not in form.fields:
                error, valid = problem.message, False
    if valid and product is not None:
        data = form.cleaned_data
        try:
            trajectory = services.trajectory_order(
                actor=user,
                client=client,
                product=product,
                rotonde_exit=data["rotonde_exit"],
                rotonde_skip_reason=data["rotonde_skip_reason"],
                aim_tiles=data["aim_tiles"],
                aim_description=data["aim_description"],
                wished_start=data["wished_start"],
                absence_risk=data["absence_risk"],
                budget=data["budget"],
            )
        except services.TrajectoryError as exc:
            # Once: beside the field it names, otherwise in the alert above the form.
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                error = exc.message
        else:
            messages.success(request, f"Het traject '{product.name}' is besteld.")
            return redirect("trajectories:detail", pk=trajectory.pk)
    client_read_audit(request=request, client=client, purpose="Traject bestellen")
    # The product search has its own parameter: the client step's "q" must not fill it.
    query = (request.GET.get("q_product") or "").strip()
    product_offers = (
        selectors.product_offers(user, query, on=today, limit=MAX_OPTIONS)
        if product is None and query
        else []
    )
    return render(
        request,
        "trajectories/order.html",
        {
            "client": client,
            "product": product,
            "product_offers": product_offers,
            "starts_with_quote": product is not None
            and starts_with_quote(product.product_code.code),
            "query": query,
            "orderable": orderable,
            "why": why,
            "summary": summary,
            "form": form,
            "error": error,
            "today": today,
            "page_title": "Traject bestellen",
        },
        # A refused or unreadable order is shown again as posted, with status 400.
        status=400 if request.method == "POST" and (error or form.errors) else 200,
    )


def _client_matches(request: HttpRequest, query: str) -> list[Client]:
    """Clients the user may see matching name or number; own caseload first."""
    user = actor_of(request)
    matches = [
        c
        for c in client_selectors.caseload_list(
            user=user,
            filters=client_selectors.CaseloadFilters(text=query[:100]),
            on=timezone.localdate(),
        )
        .select_related(None)
        .order_by("last_name", "first_name", "id")[: MAX_OPTIONS * 2]
    ]
    matches.sort(key=lambda c: c.case_manager_id != user.pk)  # stable: own caseload first
    matches = matches[:MAX_OPTIONS]
    audit_records_for_request(
        request,
        action=AuditAction.SEARCH,
        object_type="client",
        items=[(c.pk, c.pk) for c in matches],
        purpose="Traject bestellen: klant zoeken",
    )
    return matches


@permission_required(Perm.TRAJECTORY_ORDER)
def order_client_options(request: HttpRequest) -> HttpResponse:
    """htmx: the options of the client combobox (at most 20, audited as a search)."""
    query = (request.GET.get("q") or "").strip()
    clients = _client_matches(request, query) if query else []
    options = [{"value": c.pk, "label": f"{c.sort_name} ({c.client_number})"} for c in clients]
    return render(request, "trajectories/_options.html", {"options": options, "prefix": "client"})


@permission_required(Perm.TRAJECTORY_ORDER)
def order_product_options(request: HttpRequest) -> HttpResponse:
    """htmx: the options of the product combobox (active products, at most 20), each with
    its price terms and VAT category beside the name."""
    query = (request.GET.get("q_product") or request.GET.get("q") or "").strip()
    offers = (
        selectors.product_offers(
            actor_of(request), query, on=timezone.localdate(), limit=MAX_OPTIONS
        )
        if query
        else []
    )
    options = [
        {
            "value": o.product.pk,
            "label": f"{o.product.name} — {o.product.provider.name} "
            f"(code {o.product.product_code.code})",
            "detail": o.terms.brief(),
        }
        for o in offers
    ]
    return render(request, "trajectories/_options.html", {"options": options, "prefix": "product"})
