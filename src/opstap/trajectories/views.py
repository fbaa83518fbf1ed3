"""Pages of the trajectories app: the overview (and the provider portal), "Mijn termijnen",
the trajectory page with its timeline, due dates, absence and action forms, the order form
and the access-checked document download. Parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from opstap.accounts.models import display_name_of
from opstap.audit.models import AuditAction
from opstap.audit.services import audit_read, audit_records_for_request
from opstap.clients.models import sort_name_of
from opstap.core import dutch
from opstap.core.access import get_object_for_user, permission_required, scoped
from opstap.core.actor import Actor, actor_of
from opstap.core.counts import CappedCountPaginator
from opstap.core.downloads import uploaded_document
from opstap.core.errors import DomainError
from opstap.core.escape import escape_text
from opstap.core.links import pk_links
from opstap.core.roles import Perm, RoleCode
from opstap.providers.models import Product, Provider
from opstap.providers.selectors import (
    aim_tile_labels,
    is_provider_staff,
)

from . import selectors, services
from .attendance_views import MAX_OPTIONS
from .forms import (
    AbsenceForm,
    ActionForm,
    FilterForm,
    OutcomeForm,
    ProgressReportForm,
    QuoteDecisionForm,
    QuoteRevisionForm,
    _lines,
    stated_day_counted_later_nl,
)
from .models import QuoteStatus, Trajectory, TrajectoryDocument
from .price_terms import quote_over_budget_nl, terms_label_nl
from .workflow import OUTCOME_STATES, REPORTING_STATES, Action, IllegalTransition

PAGE_SIZE = 50
OVERVIEW_COUNT_CAP = 1_000
# What the overview's rows show (`_overview_rows`) and its audit read, as values (issue 18):
# the trajectory and its four related rows have some 90 columns, of which the page needs these,
# and a dict per row costs less than five model instances.
OVERVIEW_COLUMNS = (
    "id",
    "client_id",
    "client__first_name",
    "client__last_name_prefix",
    "client__last_name",
    "client__client_number",
    "product__name",
    "provider__name",
    "case_manager__first_name",
    "case_manager__last_name",
    "case_manager__username",
    "state",
    "order_date",
    "next_due_on",
)


def _trajectory_for(request: HttpRequest, pk: int) -> Trajectory:
    return get_object_for_user(
        request.user,
        Trajectory.objects.select_related("client", "product", "provider", "case_manager"),
        pk=pk,
    )


@permission_required(Perm.TRAJECTORY_VIEW)
def trajectory_list(request: HttpRequest) -> HttpResponse:
    """All running trajectories the user may see, with filters; for provider staff this is
    the portal: what they must do next and by when."""
    user = actor_of(request)
    today = timezone.localdate()
    provider_choices = list(scoped(user, Provider.objects.all()).values_list("pk", "name"))
    # The product is searched (htmx), not listed: only a chosen one is read, by its id.
    form = FilterForm(
        request.GET or None,
        provider_choices=provider_choices,
        product_label=lambda pk: _overview_product_label(user, pk),
    )
    # A value that cannot be read (an old link, an edited URL) is shown at its field; the
    # other filters keep applying (one bad value used to list every trajectory).
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = selectors.TrajectoryFilters(
        provider=data.get("provider"),
        product=data.get("product"),
        state=data.get("state") or "",
        overdue=bool(data.get("overdue")),
        running_only=not data.get("state"),
        # Typed but not chosen from the list (no JavaScript): the products matching it.
        product_text="" if data.get("product") else (data.get("q_product") or "").strip(),
    )
    qs = selectors.trajectory_list(user=user, filters=filters, on=today)
    # At most 1,000 counted: a unit-wide overview at national scale would otherwise count
    # every visible trajectory on every page view ("meer dan 1.000 trajecten"). Counted on
    # the trajectories (joined with the clients of the scope only), through the trajectories'
    # counts cache (issue 18: the thousand rows are not walked again on every view or page;
    # any trajectory or client write recounts); the page's rows as values.
    paginator = CappedCountPaginator(
        qs,
        PAGE_SIZE,
        cap=OVERVIEW_COUNT_CAP,
        counts=selectors.TRAJECTORY_COUNTS,
        organisation_id=user.organisation_id,
    )
    page = paginator.get_page(request.GET.get("pagina"))
    # The page's own slice (its end is the capped count on the last page), read as values.
    bottom, top = (page.number - 1) * PAGE_SIZE, page.end_index()
    trajectories: list[dict[str, Any]] = (
        list(qs.values(*OVERVIEW_COLUMNS)[bottom:top]) if top else []
    )
    for_provider = is_provider_staff(user)
    role = RoleCode.PROVIDER_STAFF.value if for_provider else RoleCode.CASE_MANAGER.value
    # Provider staff see what they owe; case managers the next due date of anyone, and who.
    due = selectors.next_due_by_trajectory(
        [t["id"] for t in trajectories], role=role if for_provider else None
    )
    rows = _overview_rows(trajectories, due, for_provider=for_provider, on=today)
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type="trajectory",
        items=[(t["id"], t["client_id"]) for t in trajectories],
        purpose="Trajectenoverzicht",
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "pagina"})
    return render(
        request,
        "trajectories/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "rows_html": overview_rows_html(rows, for_provider=for_provider),
            "query": query,
            "for_provider": for_provider,
            "role": role,
            "today": today,
            "page_title": "Mijn trajecten" if for_provider else "Trajecten",
        },
    )


def overview_rows_html(rows: list[dict[str, Any]], *, for_provider: bool) -> SafeString:
    """The overview's rows as its template's loop wrote them (issue 18: eight cells per row
    through the template engine were about a third of the page's Python); every value is
    escaped as the template escapes it (`escape_text`). `test_overview_rows` compares it with
    the loop."""
    if not rows:
        return mark_safe('<tr><td colspan="8">Geen trajecten gevonden.</td></tr>')
    esc = escape_text
    badge = ' <span class="opstap-badge opstap-badge--danger">termijn verlopen</span>'
    parts = []
    for r in rows:
        cells = [
            f'<td><a class="utrecht-link" href="{esc(r["url"])}">{esc(r["client_name"])}</a>'
            f' <span class="opstap-muted">{esc(r["client_number"])}</span></td>',
            f"<td>{esc(r['product'])}</td>",
        ]
        if not for_provider:
            cells.append(f"<td>{esc(r['provider'])}</td>")
        cells.append(f"<td>{esc(r['state'])}{badge if r['overdue'] else ''}</td>")
        cells.append(f"<td>{esc(r['ordered'])}</td>")
        cells.append(f"<td>{esc(r['next_step'] or '—')}</td>")
        if not r["next_due"]:
            due = "—"
        elif for_provider:
            due = esc(r["next_due"])
        else:
            due = (
                f'{esc(r["next_due"])} <span class="opstap-muted">({esc(r["responsible"])})</span>'
            )
        cells.append(f"<td>{due}</td>")
        if not for_provider:
            cells.append(f"<td>{esc(r['case_manager'])}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(parts))  # noqa: S308  # every value is escaped


def _overview_rows(
    trajectories: list[dict[str, Any]],
    due: dict[int, selectors.NextDue],
    *,
    for_provider: bool,
    on: Any,
) -> list[dict[str, Any]]:
    """What each row of the overview shows, as text, computed once per row here from the
    row's values (`OVERVIEW_COLUMNS`) rather than through a URL tag, two date filters and four
    model lookups per row in the template (issue 18); the template escapes it."""
    link = pk_links("trajectories:detail")
    state_labels = {k: str(v) for k, v in Trajectory._meta.get_field("state").flatchoices}
    rows = []
    for t in trajectories:
        next_due = due.get(t["id"])
        state = t["state"]
        rows.append(
            {
                "url": link(t["id"]),
                "client_name": sort_name_of(
                    t["client__last_name"], t["client__first_name"], t["client__last_name_prefix"]
                ),
                "client_number": t["client__client_number"],
                "product": t["product__name"],
                "provider": t["provider__name"],
                "state": state_labels.get(state, state),
                "overdue": selectors.is_overdue(t["next_due_on"], on=on),
                "ordered": dutch.format_date(t["order_date"]),
                "next_step": selectors.next_step_label_of(state, for_provider=for_provider),
                "next_due": dutch.format_date(next_due.on) if next_due else "",
                "responsible": next_due.responsible_label if next_due else "",
                "case_manager": (
                    ""
                    if t["case_manager__username"] is None
                    else display_name_of(
                        t["case_manager__first_name"],
                        t["case_manager__last_name"],
                        t["case_manager__username"],
                    )
                ),
            }
        )
    return rows


@permission_required(Perm.TRAJECTORY_VIEW)
def my_deadlines(request: HttpRequest) -> HttpResponse:
    """'Mijn termijnen' (R-TRJ-3): overdue and due within two weeks, per role."""
    user = actor_of(request)
    today = timezone.localdate()
    deadlines = list(selectors.deadlines_for(user, on=today, horizon_days=14)[:500])
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type="trajectory",
        items=sorted({(d.trajectory_id, d.trajectory.client_id) for d in deadlines}),
        purpose="Mijn termijnen",
    )
    return render(
        request,
        "trajectories/deadlines.html",
        {
            "overdue": [d for d in deadlines if d.due_on < today],
            "upcoming": [d for d in deadlines if d.due_on >= today],
            "today": today,
            "page_title": "Mijn termijnen",
        },
    )


def _action_forms(
    user: Actor, trajectory: Trajectory, bound: ActionForm | None = None
) -> list[Any]:
    forms_ = []
    for transition in selectors.actions_for(user, trajectory):
        if bound is not None and bound.action is transition.action:
            form = bound
        else:
            form = ActionForm(action=transition.action, reason_required=transition.reason_required)
        forms_.append({"transition": transition, "form": form})
    return forms_


def _detail_context(request: HttpRequest, trajectory: Trajectory, **extra: Any) -> dict[str, Any]:
    user = actor_of(request)
    workflow_roles = selectors.user_workflow_roles(user, trajectory)
    can_act = bool(workflow_roles)
    running = trajectory.state in REPORTING_STATES
    price_terms, price_source = terms_label_nl(
        services.price_terms_of(trajectory), trajectory.product_code
    )
    context: dict[str, Any] = {
        "trajectory": trajectory,
        "aim_tiles": aim_tile_labels(trajectory.aim_tiles),
        "events": list(selectors.trajectory_timeline(trajectory, user=user)),
        "deadlines": selectors.deadlines_with_stated_days(
            trajectory, selectors.trajectory_deadlines(trajectory, user=user)
        ),
        "stated_day_counted_later": stated_day_counted_later_nl(),
        "documents": list(selectors.trajectory_documents(trajectory, user=user)),
        "absences": list(selectors.trajectory_absences(trajectory, user=user)),
        "outcome": (outcome := selectors.trajectory_outcome(trajectory, user=user)),
        "action_forms": _action_forms(user, trajectory, extra.pop("bound_action", None)),
        "can_act": can_act,
        "can_report": can_act and running,
        "can_record_outcome": can_act and trajectory.state in OUTCOME_STATES,
        "can_share": RoleCode.CASE_MANAGER in workflow_roles,
        # The provider of this trajectory claims for it (invoices, placement fee).
        "can_claim": RoleCode.PROVIDER_STAFF in workflow_roles,
        "shareable_kinds": [k.value for k in services.SHAREABLE_KINDS],
        "report_form": extra.pop("report_form", None) or ProgressReportForm(),
        "absence_form": extra.pop("absence_form", None) or AbsenceForm(),
        "outcome_form": extra.pop("outcome_form", None) or OutcomeForm.of(outcome),
        "price_terms": price_terms,
        "price_source": price_source,
        "quotes": (quotes := list(selectors.trajectory_quotes(trajectory))),
        "quote_budget_warning": quote_over_budget_nl(
            next((q.amount for q in reversed(quotes) if q.status == QuoteStatus.SUBMITTED), None),
            trajectory.budget,
        ),
        "can_revise_quote": selectors.can_revise_quote(user, trajectory),
        "can_decide_revision": selectors.can_decide_revision(user, trajectory),
        "revision_form": extra.pop("revision_form", None) or QuoteRevisionForm(),
        "decision_form": extra.pop("decision_form", None) or QuoteDecisionForm(),
        "today": timezone.localdate(),
        "page_title": f"Traject {trajectory.product.name} — {trajectory.client.full_name}",
    }
    context.update(extra)
    return context


@permission_required(Perm.TRAJECTORY_VIEW)
def trajectory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory_for(request, pk)
    audit_read(request, trajectory, trajectory.client_id, "Traject bekijken")
    return render(request, "trajectories/detail.html", _detail_context(request, trajectory))


def _error(
    request: HttpRequest,
    trajectory: Trajectory,
    message: str,
    *,
    anchor: str = "",
    **forms_: Any,
) -> HttpResponse:
    """The page again with status 400 and `message` once, in the alert at its top (no flash
    message as well: it said the same a second time). With `anchor` the alert links to the
    form (`form-<anchor>`) that carries the details at its fields; when that form is not on
    the page (the step is no longer open to the user), the form's own messages take the
    alert's place, so that nothing is lost."""
    context = _detail_context(request, trajectory, **forms_)
    if anchor and not _form_shown(context, forms_):
        message = " ".join(
            str(e) for form in forms_.values() for errors in form.errors.values() for e in errors
        )
        anchor = ""
    context.update(error=message, error_anchor=anchor)
    return render(request, "trajectories/detail.html", context, status=400)


#: Which context flag shows each form of the page (the action forms: `action_forms`).
_FORM_SHOWN_BY = {
    "report_form": "can_report",
    "absence_form": "can_act",
    "outcome_form": "can_record_outcome",
    "revision_form": "can_revise_quote",
    "decision_form": "can_decide_revision",
}


def _form_shown(context: dict[str, Any], forms_: dict[str, Any]) -> bool:
    for name, form in forms_.items():
        if name == "bound_action":
            return any(item["form"] is form for item in context["action_forms"])
        return bool(context.get(_FORM_SHOWN_BY.get(name, ""), False))
    return False


#: The top alert when a service refused a form: the refusal itself is shown once, in the form.
REFUSED_SUMMARY = "Dit is niet vastgelegd. De reden staat bij het formulier."


def _posted_on_page(
    request: HttpRequest,
    trajectory: Trajectory,
    form: Any,
    call: Callable[[dict[str, Any]], object],
    *,
    form_name: str,
    anchor: str,
    invalid: str,
    done: str,
    refused: tuple[type[DomainError], ...] = (services.TrajectoryError,),
) -> HttpResponse:
    """A form posted from the trajectory page that calls one service with its cleaned data.
    An invalid form or the service's refusal shows the page again with status 400 and the
    form as posted (what was typed stays) under `form_name`. The service's Dutch message is
    shown once: beside the field it names, otherwise at the top of that form; the page's top
    alert only says that it was not recorded (`invalid` for an invalid form) and links to the
    form (`form-<anchor>`). Success shows `done` and goes back to the page."""
    if not form.is_valid():
        return _error(request, trajectory, invalid, anchor=anchor, **{form_name: form})
    try:
        call(form.cleaned_data)
    except refused as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _error(request, trajectory, REFUSED_SUMMARY, anchor=anchor, **{form_name: form})
    messages.success(request, done)
    return redirect("trajectories:detail", pk=trajectory.pk)


@require_POST
@permission_required(Perm.TRAJECTORY_VIEW)
def trajectory_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Perform one transition; an illegal one is refused with the workflow's Dutch message."""
    trajectory = _trajectory_for(request, pk)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError as exc:
        raise Http404 from exc
    transitions = {t.action: t for t in selectors.actions_for(actor_of(request), trajectory)}
    transition = transitions.get(action)
    form = ActionForm(
        request.POST,
        request.FILES,
        action=action,
        reason_required=bool(transition and transition.reason_required),
    )

    def perform(data: dict[str, Any]) -> object:
        if form.document_kind is not None:
            return services.trajectory_document_submit(
                actor=actor_of(request),
                trajectory=trajectory,
                kind=form.document_kind,
                title=data["title"],
                text=data.get("text", ""),
                goals=_lines(data.get("goals", "")),
                result_agreements=_lines(data.get("result_agreements", "")),
                signed_by_candidate=bool(data.get("signed_by_candidate")),
                upload=data.get("file"),
                reason=data.get("reason", ""),
                payload=form.payload(),
            )
        return services.trajectory_transition(
            actor=actor_of(request),
            trajectory=trajectory,
            action=action,
            reason=data.get("reason", ""),
            payload=form.payload(),
        )

    return _posted_on_page(
        request,
        trajectory,
        form,
        perform,
        form_name="bound_action",
        anchor=action.value,
        invalid="Controleer de gemarkeerde velden.",
        done=f"'{action.label}' is vastgelegd.",
        refused=(IllegalTransition, services.TrajectoryError),
    )


@require_POST
@permission_required(Perm.TRAJECTORY_VIEW)
def trajectory_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress report (R-TRJ-4)."""
    trajectory = _trajectory_for(request, pk)
    return _posted_on_page(
        request,
        trajectory,
        ProgressReportForm(request.POST, request.FILES),
        lambda data: services.trajectory_document_submit(
            actor=actor_of(request),
            trajectory=trajectory,
            kind="progress_report",
            title=data["title"],
            text=data["text"],
            upload=data.get("file"),
        ),
        form_name="report_form",
        anchor="progress_report",
        invalid="Controleer de rapportage.",
        done="De voortgangsrapportage is ingediend.",
    )


@require_POST
@permission_required(Perm.TRAJECTORY_VIEW)
def trajectory_absence(request: HttpRequest, pk: int) -> HttpResponse:
    """Report an absence (R-ABS-1)."""
    trajectory = _trajectory_for(request, pk)
    return _posted_on_page(
        request,
        trajectory,
        AbsenceForm(request.POST),
        lambda data: services.absence_report(
            actor=actor_of(request),
            trajectory=trajectory,
            occurred_at=data["occurred_at"],
            reason=data["reason"],
            problematic=data["problematic"],
        ),
        form_name="absence_form",
        anchor="absence",
        invalid="Controleer de verzuimmelding.",
        done="Het verzuim is gemeld.",
    )


@require_POST
@permission_required(Perm.TRAJECTORY_VIEW)
def trajectory_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the structured outcome (R-TRJ-7)."""
    trajectory = _trajectory_for(request, pk)
    return _posted_on_page(
        request,
        trajectory,
        OutcomeForm(request.POST),
        # The form shows what is stored: what it posts is the whole result as the user
        # left it (an emptied field is cleared, an unticked box is no).
        lambda data: services.outcome_record(
            actor=actor_of(request), trajectory=trajectory, **data
        ),
        form_name="outcome_form",
        anchor="outcome",
        invalid="Controleer het resultaat.",
        done="Het resultaat is vastgelegd.",
    )


@require_POST
@permission_required(Perm.TRAJECTORY_ORDER)
def document_share(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The case manager shares a plan or report with the client in Mijn Opstap (R-POR)."""
    trajectory = _trajectory_for(request, pk)
    document = get_object_for_user(
        request.user, TrajectoryDocument.objects.filter(trajectory=trajectory), pk=document_pk
    )
    shared = request.POST.get("shared") == "1"
    try:
        services.trajectory_document_share(
            actor=actor_of(request), document=document, shared=shared
        )
    except services.TrajectoryError as exc:
        return _error(request, trajectory, exc.message)
    messages.success(
        request,
        f"'{document.title}' is gedeeld met de klant."
        if shared
        else f"'{document.title}' is niet meer zichtbaar voor de klant.",
    )
    return redirect("trajectories:detail", pk=trajectory.pk)


@permission_required(Perm.TRAJECTORY_VIEW)
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """Serve an upload only to users who may see its trajectory (private storage)."""
    trajectory = _trajectory_for(request, pk)
    document = get_object_for_user(
        request.user, TrajectoryDocument.objects.filter(trajectory=trajectory), pk=document_pk
    )
    if not document.file:
        raise Http404
    audit_read(
        request,
        document,
        trajectory.client_id,
        "Document van traject downloaden",
        object_type="trajectory_document",
    )
    return uploaded_document(
        document.file, file_name=document.file_name, content_type=document.content_type
    )


# --------------------------------------------------------------------------------------------
# Searchable choices of the order form (htmx combobox)
# --------------------------------------------------------------------------------------------


def _product_label(product: Product) -> str:
    inactive = "" if product.status == "active" else ", niet meer actief"
    return f"{product.name} — {product.provider.name} (code {product.product_code.code}{inactive})"


def _overview_product_label(user: Actor, pk: int) -> str | None:
    """The label of the product chosen in the overview's filter, or None when it is not
    one the user may see."""
    product = (
        scoped(user, Product.objects.select_related("provider", "product_code"))
        .filter(pk=pk)
        .first()
    )
    return None if product is None else _product_label(product)


@permission_required(Perm.TRAJECTORY_VIEW)
def overview_product_options(request: HttpRequest) -> HttpResponse:
    """htmx: the product options of the overview's filter: every product the user may see
    (also ones no longer offered: their trajectories still run), at most 20, with a hint
    when there are more."""
    query = (request.GET.get("q_product") or "").strip()[:100]
    products: list[Product] = []
    if query:
        qs = scoped(actor_of(request), Product.objects.select_related("provider", "product_code"))
        for word in query.split()[:10]:
            qs = qs.filter(Q(name__icontains=word) | Q(provider__name__icontains=word))
        products = list(qs.order_by("name", "provider__name", "id")[: MAX_OPTIONS + 1])
    options = [{"value": p.pk, "label": _product_label(p)} for p in products[:MAX_OPTIONS]]
    return render(
        request,
        "trajectories/_options.html",
        {"options": options, "prefix": "product", "more": len(products) > MAX_OPTIONS},
    )


@require_POST
@permission_required(Perm.TRAJECTORY_VIEW)
def trajectory_quote_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider replaces a wrong quote by a revised one (R-TRJ-1)."""
    trajectory = _trajectory_for(request, pk)
    return _posted_on_page(
        request,
        trajectory,
        QuoteRevisionForm(request.POST, request.FILES),
        lambda data: services.quote_revise(
            actor=actor_of(request),
            trajectory=trajectory,
            amount=data.get("amount"),
            hourly_rate=data.get("hourly_rate"),
            hours=data.get("hours"),
            text=data.get("text", ""),
            upload=data.get("file"),
        ),
        form_name="revision_form",
        anchor="quote_revise",
        invalid="Controleer de herziene offerte.",
        done="De herziene offerte is ingediend bij de klantmanager.",
    )


@require_POST
@permission_required(Perm.TRAJECTORY_ORDER)
def trajectory_quote_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The case manager approves or rejects a revised quote (R-TRJ-1)."""
    trajectory = _trajectory_for(request, pk)
    form = QuoteDecisionForm(request.POST)
    approve = form.is_valid() and form.cleaned_data["decision"] == "approve"
    decide = services.quote_revision_approve if approve else services.quote_revision_reject
    return _posted_on_page(
        request,
        trajectory,
        form,
        lambda data: decide(
            actor=actor_of(request), trajectory=trajectory, reason=data.get("reason", "")
        ),
        form_name="decision_form",
        anchor="quote_decide",
        invalid="Kies een besluit.",
        done="De herziene offerte is goedgekeurd."
        if approve
        else "De herziene offerte is afgewezen.",
    )
