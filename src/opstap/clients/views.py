"""Pages of the clients app: caseload, BSN search, dossier, ladder change, handover, custom
budget, caseload sizes and the client import. Parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_read, audit_records_for_request
from opstap.core.access import get_object_for_user, permission_required, scoped
from opstap.core.actor import Actor, actor_of
from opstap.core.background import run_in_background
from opstap.core.counts import CountedPaginator
from opstap.core.errors import DomainError
from opstap.core.forms import add_domain_error, form_submit, service_action
from opstap.core.links import pk_links
from opstap.core.roles import Perm, RoleCode
from opstap.organisations.selectors import municipalities_of, organisation_data_for_user

from . import brp, caseload_html, selectors, services
from .budget import second_approver_refusal
from .forms import (
    WITHOUT_CASE_MANAGER,
    BsnSearchForm,
    BudgetSpendingForm,
    CaseloadFilterForm,
    ClientRegisterForm,
    HandoverForm,
    ImportForm,
    IncomeCoachAssignForm,
    LadderChangeForm,
    active_users_with_role,
    caseload_choices,
)
from .importer.columns import COLUMNS
from .ladder import (
    SUB_STATUS_LABELS_NL,
    TRACK_LABELS_NL,
    UNIT_LABELS_NL,
    LadderSubStatus,
    TrackCode,
    UnitCode,
)
from .models import (
    BudgetSpending,
    Client,
    ImportJob,
    ImportStatus,
    IncomeCoachAssignment,
    Obstacle,
    SpendingStatus,
)
from .services import (
    ClientError,
    budget_spending_decide,
    budget_spending_record,
    client_change_ladder_step,
    client_handover,
    client_import_start,
    income_coach_assign,
    income_coach_assignment_end,
    may_assign_income_coach,
)
from .target_groups import TARGET_GROUP_LABELS_NL

PAGE_SIZES = (10, 25, 50, 100)


def audit_clients_shown(
    request: HttpRequest, clients: list[Client], action: str, purpose: str
) -> None:
    """One audit row per client shown (R-SEC-2), written in one bulk insert."""
    audit_records_for_request(
        request,
        action=action,
        object_type="client",
        items=[(c.pk, c.pk) for c in clients],
        purpose=purpose,
    )


def _filters_from(form: CaseloadFilterForm, user: Actor) -> selectors.CaseloadFilters:
    # A filter that cannot be read (a 300-character search, a colleague who left) is shown
    # with its error and must not widen the list: the other filters keep applying (the whole
    # unit was listed instead), an unreadable search matches no name, an unknown case manager
    # is "my own clients" for a case manager.
    form.is_valid()
    data = dict(getattr(form, "cleaned_data", {}))  # an unbound form has none
    if "q" in form.errors:
        data["q"] = str(form.data.get("q", ""))[:100]
    if "klantmanager" in form.errors and user.has_role(RoleCode.CASE_MANAGER):
        data["klantmanager"] = "mij"
    cm = data.get("klantmanager") or ""
    case_manager: int | None = None
    if cm == "mij":
        case_manager = user.pk
    elif cm.isdigit():
        case_manager = int(cm)
    municipality = data.get("gemeente") or ""
    return selectors.CaseloadFilters(
        without_case_manager=cm == WITHOUT_CASE_MANAGER,
        ladder_step=data.get("trede") or "",
        unit=data.get("unit") or "",
        track=data.get("spoor") or "",
        target_group=data.get("doelgroep") or "",
        municipality=int(municipality) if municipality.isdigit() else None,
        case_manager=case_manager,
        text=data.get("q") or "",
        sort=data.get("sort") or "naam",
    )


def _rows(request: HttpRequest, clients: list[Client]) -> list[dict[str, Any]]:
    """What each row of the caseload shows, as text, computed once per row here rather than
    through a URL tag and model lookups per row in the template (issue 18)."""
    user = actor_of(request)
    derive = selectors.DerivedResolver(
        organisation_id=user.organisation_id, on=timezone.localdate()
    )
    link = pk_links("clients:dossier")
    rows = []
    for c in clients:
        d = derive(c)
        rows.append(
            {
                "client": c,  # the BSN search's results show it as it is
                "url": link(c.pk),
                "name": c.sort_name,
                "client_number": c.client_number,
                "ladder_step": c.ladder_step,
                "unit": UNIT_LABELS_NL.get(UnitCode(d.unit)) if d.unit else "",
                "track": TRACK_LABELS_NL.get(TrackCode(d.track)) if d.track else "",
                "age": d.age,
                "target_groups": format_html_join(
                    "",
                    '<span class="opstap-badge">{}</span> ',
                    ((TARGET_GROUP_LABELS_NL[g],) for g in sorted(d.target_groups)),
                ),
                "sub_status": SUB_STATUS_LABELS_NL[LadderSubStatus(c.ladder_sub_status)]
                if c.ladder_sub_status
                else "",
                "municipality": c.municipality.name if c.municipality else "",
                "case_manager": c.case_manager.display_name if c.case_manager else "",
            }
        )
    return rows


@permission_required(Perm.CLIENT_VIEW)
def caseload(request: HttpRequest) -> HttpResponse:
    """'Mijn caseload': filterable, sortable, paginated; every client shown is audited."""
    user = actor_of(request)
    org_id = user.organisation_id
    # The filters' municipalities and case managers: organisation data, kept across requests
    # under the organisation's data version (exact: every change bumps it, issue 18).
    choices = organisation_data_for_user(
        user,
        ("clients.caseload_choices",),
        lambda: caseload_choices(
            municipalities_of(org_id) if org_id is not None else [],
            active_users_with_role(org_id, RoleCode.CASE_MANAGER),
        ),
    )
    params = request.GET.copy()
    if "klantmanager" not in params and user.has_role(RoleCode.CASE_MANAGER):
        # "Mijn caseload" is my own clients; the unit view is a filter (issue 14).
        params["klantmanager"] = "mij"
    form = CaseloadFilterForm(params or None, choices=choices)
    filters = _filters_from(form, user)
    # One aggregate gives the chart (the whole filtered caseload per step, ignoring the step
    # filter itself) and the exact number of clients in the list (no separate COUNT).
    overview = selectors.caseload_overview(user=user, filters=filters, on=timezone.localdate())
    try:
        per_page = int(request.GET.get("per", 25))
    except ValueError:
        per_page = 25
    per_page = per_page if per_page in PAGE_SIZES else 25
    page = CountedPaginator(overview.queryset, per_page, count=overview.count).get_page(
        request.GET.get("pagina")
    )
    clients = list(page.object_list)
    audit_clients_shown(request, clients, AuditAction.LIST, "Caseload bekijken")
    counts = selectors.ladder_step_counts(raw=overview.step_counts)
    query = request.GET.copy()
    query.pop("pagina", None)
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("pagina", None)
    return render(
        request,
        "clients/caseload.html",
        {
            "page_title": "Mijn caseload",
            "form": form,
            "filter_fields": caseload_html.filter_fields(form),
            "bsn_form": BsnSearchForm(),
            "page": page,
            "rows": (rows := _rows(request, clients)),
            "rows_html": caseload_html.caseload_rows_html(rows),
            "counts": counts,
            "counted_at": overview.counted_at,
            "counts_html": caseload_html.counts_rows_html(counts),
            "chart": caseload_html.chart(counts),
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "current_sort": filters.sort,
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "can_register": request.user.has_opstap_perm(Perm.CLIENT_CHANGE),  # type: ignore[union-attr]
        },
    )


@require_POST
@permission_required(Perm.CLIENT_VIEW)
def bsn_search(request: HttpRequest) -> HttpResponse:
    """BSN search through a POST form: the BSN never lands in a URL or access log."""
    form = BsnSearchForm(request.POST)
    rows: list[dict[str, Any]] = []
    if form.is_valid():
        bsn = "".join(ch for ch in form.cleaned_data["bsn"] if ch.isdigit())
        clients = list(selectors.client_search_bsn(user=actor_of(request), bsn=bsn))
        audit_clients_shown(request, clients, AuditAction.SEARCH, "Zoeken op BSN")
        rows = _rows(request, clients)
    return render(
        request,
        "clients/bsn_results.html",
        {
            "page_title": "Zoeken op BSN",
            "bsn_form": form,
            "rows": rows,
            "searched": form.is_valid(),
        },
    )


def _client_for(request: HttpRequest, pk: int) -> Client:
    return get_object_for_user(
        request.user, Client.objects.select_related("municipality", "case_manager", "user"), pk=pk
    )


@permission_required(Perm.CLIENT_VIEW)
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """The client dossier with its timeline; a case manager who just received the client
    sees the handover note, open agreements and recent events first (R-CLI-3)."""
    client = _client_for(request, pk)
    user = actor_of(request)
    services.client_read_audit(request=request, client=client, purpose="Dossier bekijken")
    today = timezone.localdate()
    derived = selectors.DerivedResolver(organisation_id=client.organisation_id, on=today)(client)
    events = list(selectors.client_timeline(client))
    handover = selectors.recent_handover_to(events, case_manager_id=user.pk, now=timezone.now())
    budget = selectors.budget_summary(client, year=today.year)
    spendings = list(selectors.budget_spendings(client, year=today.year))
    may_change = user.has_opstap_perm(Perm.CLIENT_CHANGE)
    decidable_ids = {
        spending.pk
        for spending in spendings
        if second_approver_refusal(
            pending=spending.status == SpendingStatus.PENDING,
            created_by_id=spending.created_by_id,
            approver_id=user.pk,
            approver_may_change=may_change,
            same_organisation=user.organisation_id == spending.organisation_id,
        )
        is None
    }
    return render(
        request,
        "clients/dossier.html",
        {
            "page_title": f"Dossier {client.full_name}",
            "client": client,
            "derived": derived,
            "unit_label": UNIT_LABELS_NL.get(UnitCode(derived.unit)) if derived.unit else "",
            "track_label": TRACK_LABELS_NL.get(TrackCode(derived.track)) if derived.track else "",
            "target_groups": [TARGET_GROUP_LABELS_NL[g] for g in sorted(derived.target_groups)],
            "sub_status": SUB_STATUS_LABELS_NL[LadderSubStatus(client.ladder_sub_status)]
            if client.ladder_sub_status
            else "",
            "obstacles": [Obstacle(o).label for o in client.obstacles if o in Obstacle.values],
            "events": events,
            "handover": handover,
            "recent_events": events[:10] if handover else [],
            "open_agreements": list(selectors.client_open_agreements(client)),
            "ladder_history": list(selectors.client_ladder_history(client)),
            "budget": budget,
            "spendings": spendings,
            "decidable_ids": decidable_ids,
            "can_change": may_change,
            "coach_assignments": list(
                scoped(user, IncomeCoachAssignment.objects.filter(client=client))
                .select_related("coach", "assigned_by")
                .order_by("-valid_from", "-id")
            ),
            "can_assign_coach": may_assign_income_coach(user, client),
            "today": today,
        },
    )


def _form_page(
    request: HttpRequest, client: Client, form: Any, title: str, action: str
) -> HttpResponse:
    return render(
        request,
        "clients/form.html",
        {"page_title": title, "client": client, "form": form, "action": action},
    )


def _dossier_form(
    request: HttpRequest,
    client: Client,
    form: Any,
    call: Callable[[dict[str, Any]], object],
    *,
    done: str,
    title: str,
    action: str,
) -> HttpResponse:
    """A form page of the dossier that calls one service: done, back to the dossier with
    `done`; on a GET, an invalid form or a refusal, the form page (`title`, `action`)."""
    if form_submit(request, form, call, done=done, refused=ClientError):
        return redirect("clients:dossier", pk=client.pk)
    return _form_page(request, client, form, title, action)


def _dossier_action(
    request: HttpRequest, client_id: int, call: Callable[[], object], *, done: str
) -> HttpResponse:
    """A button on the dossier that calls one service; back to the dossier with `done` or
    the refusal as a message."""
    service_action(request, call, done=done, refused=ClientError)
    return redirect("clients:dossier", pk=client_id)


@permission_required(Perm.CLIENT_CHANGE)
def ladder_change(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client_for(request, pk)
    form = LadderChangeForm(request.POST or None, initial={"step": client.ladder_step})
    return _dossier_form(
        request,
        client,
        form,
        lambda data: client_change_ladder_step(actor=actor_of(request), client=client, **data),
        done="De trede is gewijzigd.",
        title="Trede wijzigen",
        action="trede",
    )


@permission_required(Perm.CLIENT_CHANGE)
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client_for(request, pk)
    user = actor_of(request)
    form = HandoverForm(
        request.POST or None,
        organisation_id=user.organisation_id,
        exclude_id=client.case_manager_id,
    )
    return _dossier_form(
        request,
        client,
        form,
        lambda data: client_handover(actor=user, client=client, **data),
        done="De klant is overgedragen.",
        title="Klant overdragen",
        action="overdracht",
    )


@permission_required(Perm.CLIENT_CHANGE)
def income_coach_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign an income coach to the client (R-SEC-1): the coach sees the dossier while
    the assignment runs. The client's case manager or a team lead only (service)."""
    client = _client_for(request, pk)
    user = actor_of(request)
    form = IncomeCoachAssignForm(
        request.POST or None,
        organisation_id=user.organisation_id,
        initial={"valid_from": timezone.localdate()},
    )
    return _dossier_form(
        request,
        client,
        form,
        lambda data: income_coach_assign(actor=user, client=client, **data),
        done="De inkomenscoach is toegewezen.",
        title="Inkomenscoach toewijzen",
        action="inkomenscoach",
    )


@require_POST
@permission_required(Perm.CLIENT_CHANGE)
def income_coach_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """End (or, before it starts, withdraw) an income-coach assignment as of today."""
    assignment = get_object_for_user(
        request.user, IncomeCoachAssignment.objects.select_related("client"), pk=pk
    )
    return _dossier_action(
        request,
        assignment.client_id,
        lambda: income_coach_assignment_end(actor=actor_of(request), assignment=assignment),
        done="De toewijzing van de inkomenscoach is beëindigd.",
    )


@permission_required(Perm.CLIENT_CHANGE)
def budget_spending(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client_for(request, pk)
    form = BudgetSpendingForm(request.POST or None)
    submitted = form_submit(
        request,
        form,
        lambda data: budget_spending_record(actor=actor_of(request), client=client, **data),
        refused=ClientError,
    )
    if submitted:
        if submitted.result.status == "pending":
            messages.warning(
                request,
                "De uitgave gaat boven het budget en wacht op goedkeuring door een "
                "tweede medewerker. Vraag een collega de uitgave goed te keuren: zij vinden "
                "haar onder 'Uitgaven ter goedkeuring' op de caseloadpagina.",
            )
        else:
            messages.success(request, "De uitgave is vastgelegd.")
        return redirect("clients:dossier", pk=client.pk)
    return _form_page(request, client, form, "Uitgave maatwerkbudget", "budget")


@require_POST
@permission_required(Perm.CLIENT_CHANGE)
def budget_decide(request: HttpRequest, pk: int) -> HttpResponse:
    spending = get_object_for_user(
        request.user, BudgetSpending.objects.select_related("client"), pk=pk
    )
    return _dossier_action(
        request,
        spending.client_id,
        lambda: budget_spending_decide(
            actor=actor_of(request),
            spending=spending,
            approve=request.POST.get("besluit") == "goedkeuren",
        ),
        done="Het besluit over de uitgave is vastgelegd.",
    )


@permission_required(Perm.CLIENT_CHANGE)
def budget_awaiting_approval(request: HttpRequest) -> HttpResponse:
    """R-CLI-4: the spendings beyond the budget that wait for this user's second approval.
    Before, a spending over budget waited in its client's dossier until a colleague happened
    to open it: nobody was told and no list showed them."""
    spendings = list(selectors.spendings_awaiting_second_approval(actor_of(request))[:200])
    audit_clients_shown(
        request,
        list({s.client_id: s.client for s in spendings}.values()),
        AuditAction.LIST,
        "Uitgaven maatwerkbudget ter goedkeuring",
    )
    return render(
        request,
        "clients/budget_awaiting_approval.html",
        {"page_title": "Uitgaven die wachten op een tweede goedkeuring", "spendings": spendings},
    )


@permission_required(Perm.CLIENT_CASELOAD_STATS)
def caseload_sizes(request: HttpRequest) -> HttpResponse:
    """Management (R-CLI-3): caseload size per case manager and per unit (aggregates)."""
    user = actor_of(request)
    data = selectors.caseload_sizes(user=user, on=timezone.localdate())
    # Whoever may open dossiers (a team lead) follows "Zonder klantmanager" to the caseload
    # filter of those clients (R-CLI-3); a policy officer reads the number only.
    unassigned_url = (
        f"{reverse('clients:caseload')}?klantmanager={WITHOUT_CASE_MANAGER}"
        if user.has_opstap_perm(Perm.CLIENT_VIEW)
        else ""
    )
    return render(
        request,
        "clients/caseload_sizes.html",
        {"page_title": "Caseloadgrootte", "unassigned_url": unassigned_url, **data},
    )


# --- Import (R-SEC-6) -----------------------------------------------------------------------


def _start_in_background(job_id: int) -> None:
    """Run the Celery task after the response: on a broker it is queued; without one (demo,
    tests) a thread runs the eager task so the page can poll the progress."""
    from .tasks import import_clients_task

    run_in_background(import_clients_task, job_id, sync_setting="OPSTAP_IMPORT_SYNC")


@permission_required(Perm.CLIENT_IMPORT)
def import_start(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from .importer import store_import_file

        uploaded = form.cleaned_data["file"]
        job = client_import_start(
            actor=user,
            file_name=Path(uploaded.name).name,
            file_path=store_import_file(uploaded, suffix=Path(uploaded.name).suffix),
            only_valid_rows=form.cleaned_data["only_valid_rows"],
        )
        transaction.on_commit(lambda: _start_in_background(job.pk))
        return redirect("clients:import_detail", pk=job.pk)
    jobs = list(scoped(user, ImportJob.objects.all())[:10])
    return render(
        request,
        "clients/import.html",
        {
            "page_title": "Klanten importeren",
            "form": form,
            "jobs": jobs,
            "columns": COLUMNS,
        },
    )


@permission_required(Perm.CLIENT_IMPORT)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress, then the preview of every change (per client, field: old → new) with the
    confirm button; after the commit the undo button (R-SEC-6)."""
    from .importer import describe_changes

    job = get_object_for_user(request.user, ImportJob.objects.all(), pk=pk)
    if request.headers.get("HX-Request"):
        response = render(request, "clients/_import_progress.html", {"job": job})
        if job.finished:  # the preview (or result) needs the whole page: reload it once
            response["HX-Refresh"] = "true"
        return response
    # The error list and the preview quote lines of the file (names, BSNs, old and new
    # values): reading them is audited (issue 19); the progress polls show counts only.
    audit_read(request, job, None, "Importresultaat en foutmeldingen bekijken")
    context: dict[str, Any] = {"page_title": "Import", "job": job}
    if job.status in (ImportStatus.PREVIEW, ImportStatus.DONE, ImportStatus.UNDONE):
        page = Paginator(job.changes.order_by("id"), 100).get_page(request.GET.get("pagina"))
        context["page"] = page
        context["changes"] = describe_changes(job.organisation_id, list(page.object_list))
    return render(request, "clients/import_detail.html", context)


def _import_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from .importer import ImportActionError, import_commit, import_undo

    job = get_object_for_user(request.user, ImportJob.objects.all(), pk=pk)
    service = import_commit if action == "commit" else import_undo
    try:
        service(actor=actor_of(request), job=job)
    except ImportActionError as exc:
        messages.error(request, exc.message)
        response: HttpResponse = redirect("clients:import_detail", pk=job.pk)
        if exc.conflict:  # a lost race: the page says so, with 409 for scripts
            response = render(
                request,
                "clients/import_detail.html",
                {"page_title": "Import", "job": ImportJob.objects.get(pk=job.pk)},
                status=409,
            )
        return response
    done = "De import is opgeslagen." if action == "commit" else "De import is teruggedraaid."
    messages.success(request, done)
    return redirect("clients:import_detail", pk=job.pk)


@require_POST
@permission_required(Perm.CLIENT_IMPORT)
def import_commit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _import_action(request, pk, "commit")


@require_POST
@permission_required(Perm.CLIENT_IMPORT)
def import_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _import_action(request, pk, "undo")


# --- Registration with BRP prefill (R-INT-3) --------------------------------------------------

_BRP_SALT = "opstap.clients.brp-prefill"


def _entered(form: ClientRegisterForm) -> dict[str, str]:
    data = form.cleaned_data
    municipality = data.get("municipality")
    dob = data.get("date_of_birth")
    return {
        "first_name": data.get("first_name") or "",
        "last_name_prefix": data.get("last_name_prefix") or "",
        "last_name": data.get("last_name") or "",
        "date_of_birth": dob.isoformat() if dob else "",
        "street_address": data.get("street_address") or "",
        "postcode": data.get("postcode") or "",
        "city": data.get("city") or "",
        "municipality": municipality.cbs_code if municipality else "",
    }


def _shown(field: str, value: str, names: dict[str, str]) -> str:
    """A value as the user reads it: dates dd-mm-jjjj, municipalities by name."""
    if field == "date_of_birth" and value:
        year, month, day = value.split("-")
        return f"{day}-{month}-{year}"
    if field == "municipality" and value:
        return names.get(value, f"{value} (niet van deze organisatie)")
    return value


def _brp_prefill(
    request: HttpRequest, form: ClientRegisterForm, organisation_id: int
) -> tuple[ClientRegisterForm, list[dict[str, str]], str]:
    """Look the BSN up; returns the form filled with the BRP's values, the differences with
    what was typed, and a warning. Nothing is saved."""
    person = services.brp_lookup(actor=actor_of(request), bsn=form.cleaned_data["bsn"])
    values = brp.prefill_values(person)
    municipalities = {m.cbs_code: m for m in municipalities_of(organisation_id)}
    names = {code: m.name for code, m in municipalities.items()}
    found = brp.differences(_entered(form), values)
    diffs = [
        {
            "label": d.label,
            "entered": _shown(d.field, d.entered, names),
            "brp": _shown(d.field, d.brp, names),
        }
        for d in found
    ]
    data = {**{k: v for k, v in form.data.items()}, **{k: v for k, v in values.items() if v}}
    data["bsn"] = person.bsn
    own = municipalities.get(values["municipality"])
    data["municipality"] = str(own.pk) if own else ""
    data["brp_snapshot"] = signing.dumps(
        {"bsn": person.bsn, "values": values, "shown": [d.field for d in found]}, salt=_BRP_SALT
    )
    warning = ""
    if person.deceased:
        warning = "Let op: volgens de BRP is deze persoon overleden."
    elif own is None and values["municipality"]:
        warning = (
            f"Let op: volgens de BRP woont deze persoon in {person.municipality_name}, buiten de "
            "gemeenten van deze organisatie."
        )
    filled = ClientRegisterForm(data, organisation_id=organisation_id)
    filled.is_valid()
    return filled, diffs, warning


def _snapshot(form: ClientRegisterForm) -> tuple[dict[str, str] | None, list[str]]:
    """The BRP values the form was prefilled with (signed, for this BSN) and the fields that
    were shown as different from what was typed; (None, []) without a valid snapshot."""
    token = form.cleaned_data.get("brp_snapshot") or ""
    if not token:
        return None, []
    try:
        snap = signing.loads(token, salt=_BRP_SALT, max_age=60 * 60)
    except signing.BadSignature:
        return None, []
    bsn = "".join(ch for ch in form.cleaned_data.get("bsn", "") if ch.isdigit())
    if snap.get("bsn") != bsn:
        return None, []
    return dict(snap["values"]), [str(f) for f in snap.get("shown", [])]


@permission_required(Perm.CLIENT_CHANGE)
def register(request: HttpRequest) -> HttpResponse:
    """Register a client; the BRP fills the personal data on request (R-INT-3)."""
    user = actor_of(request)
    organisation = user.organisation
    if organisation is None:  # nobody to register for: 403 rather than a failing save
        raise PermissionDenied
    organisation_id: int = organisation.pk
    diffs: list[dict[str, str]] = []
    warning = ""
    prefilled = False
    if request.method != "POST":
        own = user if user.has_role(RoleCode.CASE_MANAGER) and user.is_active else None
        form = ClientRegisterForm(organisation_id=organisation_id, initial={"case_manager": own})
    else:
        form = ClientRegisterForm(request.POST, organisation_id=organisation_id)
        if form.is_valid() and request.POST.get("action") == "brp":
            try:
                form, diffs, warning = _brp_prefill(request, form, organisation_id)
                prefilled = True
            except brp.BrpError as exc:
                form.add_error(None, exc.message)
            except (ClientError, DomainError) as exc:
                add_domain_error(form, exc)
        elif form.is_valid() and form.require_for_save():
            data = form.cleaned_data
            brp_values, shown = _snapshot(form)
            try:
                client = services.client_register(
                    actor=actor_of(request),
                    organisation=organisation,
                    brp_values=brp_values,
                    differences_shown=shown,
                    bsn=data["bsn"],
                    client_number=data["client_number"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                    municipality=data["municipality"],
                    ladder_step=data["ladder_step"],
                    case_manager=data["case_manager"],
                    last_name_prefix=data["last_name_prefix"],
                    street_address=data["street_address"],
                    postcode=data["postcode"],
                    city=data["city"],
                )
            except ClientError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{client.full_name} is ingeschreven.")
                return redirect("clients:dossier", pk=client.pk)
    return render(
        request,
        "clients/register.html",
        {
            "page_title": "Klant inschrijven",
            "form": form,
            "differences": diffs,
            "warning": warning,
            "prefilled": prefilled,
            "brp_enabled": bool(getattr(settings, "OPSTAP_BRP_URL", ""))
            and user.has_opstap_perm(Perm.BRP_LOOKUP),
        },
    )
