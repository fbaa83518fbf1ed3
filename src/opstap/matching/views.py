"""Pages of matching (R-MAT): vacancies with ranked, explained candidates; employers; the
"Passend werk" tab of the client dossier; the vacancy import; the weights. Every match list
shown is audited as a read of those clients (R-SEC-2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_read, audit_records_for_request
from opstap.clients.models import Client
from opstap.clients.services import client_read_audit
from opstap.core.access import get_object_for_user, permission_required, scoped
from opstap.core.actor import actor_of, organisation_id_of
from opstap.core.errors import DomainError
from opstap.core.forms import add_domain_error, form_submit, service_action
from opstap.core.roles import Perm
from opstap.providers.models import Provider

from . import selectors, services
from .forms import (
    ContactForm,
    EmployerForm,
    ImportForm,
    IntroductionOutcomeForm,
    IntroductionPlanForm,
    LocationForm,
    PlacementDurabilityForm,
    PlacementForm,
    ProposeForm,
    VacancyForm,
    WeightsForm,
    WithdrawForm,
    WorkProfileForm,
)
from .importer import COLUMNS, ImportFileError, read_rows
from .models import Employer, PlacementVia, Proposal, Vacancy
from .scoring import CRITERIA, EDUCATION_NAMES_NL, WORK_DEMAND_NAMES_NL, Education, WorkDemand
from .workflow import PROPOSAL_WORKFLOW, VACANCY_STATE_NL, ProposalState, VacancyState


def _audit_candidates(request: HttpRequest, client_ids: list[int], purpose: str) -> None:
    if client_ids:
        audit_records_for_request(
            request,
            action=AuditAction.LIST,
            object_type="client",
            items=[(cid, cid) for cid in client_ids],
            purpose=purpose,
        )


# --- Vacancies -------------------------------------------------------------------------------


@permission_required(Perm.VACANCY_VIEW)
def vacancy_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", VacancyState.OPEN.value)
    if state not in {s.value for s in VacancyState} | {""}:
        state = VacancyState.OPEN.value
    query = request.GET.get("q", "").strip()[:100]
    qs = selectors.vacancies_for(request.user, state=state, query=query)  # type: ignore[arg-type]
    page = Paginator(qs, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "matching/vacancy_list.html",
        {
            "page_title": "Vacatures",
            "page": page,
            "state": state,
            "query": query,
            "states": [(s.value, VACANCY_STATE_NL[s]) for s in VacancyState],
            "can_manage": request.user.has_opstap_perm(Perm.VACANCY_MANAGE),  # type: ignore[union-attr]
        },
    )


def _vacancy_form(request: HttpRequest, data: Any = None, initial: Any = None) -> VacancyForm:
    return VacancyForm(
        data,
        initial=initial,
        employers=selectors.employers_for(request.user).order_by("name"),  # type: ignore[arg-type]
        occupations=selectors.occupations(),
    )


@permission_required(Perm.VACANCY_MANAGE)
def vacancy_create(request: HttpRequest) -> HttpResponse:
    form = _vacancy_form(request, request.POST or None, {"employer": request.GET.get("werkgever")})

    def create(cleaned: dict[str, Any]) -> Vacancy:
        data = dict(cleaned)
        employer = get_object_for_user(
            request.user, Employer.objects.all(), pk=data.pop("employer")
        )
        return services.vacancy_create(
            actor=actor_of(request), employer=employer, source="page", **data
        )

    if submitted := form_submit(request, form, create, done="De vacature is opgeslagen."):
        return redirect("matching:vacancy_detail", submitted.result.pk)
    return render(request, "matching/form.html", {"page_title": "Vacature toevoegen", "form": form})


@permission_required(Perm.VACANCY_VIEW)
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_for_user(
        request.user, Vacancy.objects.select_related("employer", "occupation", "location"), pk=pk
    )
    user = actor_of(request)
    can_match = user.has_opstap_perm(Perm.MATCH_PROPOSE)
    candidates = (
        selectors.candidates_for_vacancy(user=user, vacancy=vacancy)
        if can_match and vacancy.is_open
        else []
    )
    proposals = list(selectors.vacancy_proposals(user, vacancy)) if can_match else []
    _audit_candidates(
        request,
        sorted({c.client.pk for c in candidates} | {p.client_id for p in proposals}),
        "Kandidaten voor een vacature",
    )
    audit_read(request, vacancy, None, "Vacature bekijken")
    return render(
        request,
        "matching/vacancy_detail.html",
        {
            "page_title": vacancy.title,
            "vacancy": vacancy,
            "education": EDUCATION_NAMES_NL[Education(vacancy.education)],
            "demands": [WORK_DEMAND_NAMES_NL[WorkDemand(d)] for d in vacancy.demands],
            "candidates": candidates,
            "proposals": [_proposal_view(p) for p in proposals],
            "can_match": can_match,
            "can_manage": user.has_opstap_perm(Perm.VACANCY_MANAGE),
            "events": vacancy.events.select_related("actor").all(),
            "providers": Provider.objects.filter(organisation_id=vacancy.organisation_id),
        },
    )


def _proposal_view(p: Proposal) -> dict[str, Any]:
    actions = {row.action.value for row in PROPOSAL_WORKFLOW.from_state(ProposalState(p.state))}
    placement = getattr(p, "placement", None)
    # R-TRJ-7: a placement via the WSP has its own durability check (shown with its answer).
    wsp = placement if placement is not None and placement.via == PlacementVia.WSP else None
    return {"p": p, "actions": actions, "wsp_placement": wsp}


@permission_required(Perm.VACANCY_MANAGE)
@require_POST
def vacancy_transition(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_for_user(request.user, Vacancy.objects.all(), pk=pk)
    service_action(
        request,
        lambda: services.vacancy_transition(
            actor=actor_of(request),
            vacancy=vacancy,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", "")[:300],
        ),
        done="De status van de vacature is gewijzigd.",
    )
    return redirect("matching:vacancy_detail", vacancy.pk)


@permission_required(Perm.VACANCY_MANAGE)
def vacancy_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload.name, upload.read())
            created, errors = services.vacancy_import(actor=actor_of(request), rows=rows)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not errors:
                messages.success(request, f"{created} vacatures ingelezen.")
                return redirect("matching:vacancy_list")
    return render(
        request,
        "matching/import.html",
        {
            "page_title": "Vacatures importeren",
            "form": form,
            "errors": errors,
            "columns": COLUMNS,
        },
    )


# --- Employers -------------------------------------------------------------------------------


@permission_required(Perm.VACANCY_VIEW)
def employer_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.employers_for(request.user).order_by("name"), 50).get_page(  # type: ignore[arg-type]
        request.GET.get("pagina")
    )
    return render(
        request,
        "matching/employer_list.html",
        {
            "page_title": "Werkgevers",
            "page": page,
            "can_manage": request.user.has_opstap_perm(Perm.VACANCY_MANAGE),  # type: ignore[union-attr]
        },
    )


@permission_required(Perm.VACANCY_MANAGE)
def employer_create(request: HttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if submitted := form_submit(
        request,
        form,
        lambda data: services.employer_create(actor=actor_of(request), **data),
        done="De werkgever is opgeslagen.",
    ):
        return redirect("matching:employer_detail", submitted.result.pk)
    return render(
        request, "matching/form.html", {"page_title": "Werkgever toevoegen", "form": form}
    )


@permission_required(Perm.VACANCY_VIEW)
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_for_user(request.user, Employer.objects.all(), pk=pk)
    user = actor_of(request)
    can_manage = user.has_opstap_perm(Perm.VACANCY_MANAGE)
    location_form = LocationForm(request.POST if "location" in request.POST else None)
    contact_form = ContactForm(request.POST if "contact" in request.POST else None)
    if request.method == "POST":
        if not can_manage:
            return redirect("matching:employer_detail", employer.pk)
        form: Any = location_form if "location" in request.POST else contact_form
        add = (
            services.employer_location_add
            if form is location_form
            else services.employer_contact_add
        )
        if form_submit(
            request,
            form,
            lambda data: add(actor=actor_of(request), employer=employer, **data),
            done="Opgeslagen.",
        ):
            return redirect("matching:employer_detail", employer.pk)
    return render(
        request,
        "matching/employer_detail.html",
        {
            "page_title": employer.name,
            "employer": employer,
            "locations": employer.locations.all(),
            "contacts": employer.contacts.all(),
            "vacancies": employer.vacancies.select_related("occupation").order_by("-created_at")[
                :50
            ],
            "can_manage": can_manage,
            "location_form": location_form,
            "contact_form": contact_form,
        },
    )


# --- The client's "Passend werk" -------------------------------------------------------------


def _client(request: HttpRequest, pk: int) -> Client:
    return get_object_for_user(
        request.user, Client.objects.select_related("municipality", "case_manager"), pk=pk
    )


@permission_required(Perm.MATCH_PROPOSE)
def client_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """Passend werk: the work profile, the best open vacancies (explained) and the client's
    proposals. Audited as a read of the client."""
    client = _client(request, pk)
    user = actor_of(request)
    client_read_audit(request=request, client=client, purpose="Passend werk bekijken")
    profile = selectors.work_profile_of(client)
    matches = (
        selectors.vacancies_for_client(user=user, client=client)
        if profile is not None and user.has_opstap_perm(Perm.VACANCY_VIEW)
        else []
    )
    return render(
        request,
        "matching/client_matches.html",
        {
            "page_title": f"Passend werk — {client.full_name}",
            "client": client,
            "profile": profile,
            "education": EDUCATION_NAMES_NL.get(Education(profile.education))
            if profile is not None and profile.education
            else "",
            "restrictions": [WORK_DEMAND_NAMES_NL[WorkDemand(r)] for r in profile.restrictions]
            if profile is not None
            else [],
            "matches": matches,
            "proposals": [_proposal_view(p) for p in selectors.client_proposals(user, client)],
            "can_change": user.has_opstap_perm(Perm.CLIENT_CHANGE),
            "can_dossier": user.has_opstap_perm(Perm.CLIENT_VIEW),
            "providers": Provider.objects.filter(organisation_id=client.organisation_id),
        },
    )


@permission_required(Perm.CLIENT_CHANGE)
def work_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    profile = selectors.work_profile_of(client)
    initial: dict[str, Any] = {}
    if profile is not None:
        initial = {
            "desired_occupations": [o.code for o in profile.desired_occupations.all()],
            "possible_occupations": [o.code for o in profile.possible_occupations.all()],
            "skills": ", ".join(profile.skills),
            "education": profile.education,
            "hours_available": profile.hours_available or "",
            "max_distance_km": profile.max_distance_km or "",
            "max_travel_minutes": profile.max_travel_minutes or "",
            "driving_licence": profile.driving_licence,
            "own_transport": profile.own_transport,
            "restrictions": profile.restrictions,
            "shared_with_wsp": profile.shared_with_wsp,
        }
    form = WorkProfileForm(
        request.POST or None, initial=initial, occupations=selectors.occupations()
    )
    if form_submit(
        request,
        form,
        lambda data: services.work_profile_save(actor=actor_of(request), client=client, **data),
        done="Het werkprofiel is opgeslagen.",
    ):
        return redirect("matching:client_matches", client.pk)
    return render(
        request,
        "matching/form.html",
        {
            "page_title": f"Werkprofiel van {client.full_name}",
            "form": form,
            "client": client,
            "hour_restriction": client.hour_restriction,
        },
    )


# --- Proposal → introduction → placement -----------------------------------------------------


def _back(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    if request.POST.get("terug") == "klant":
        return redirect("matching:client_matches", proposal.client_id)
    return redirect("matching:vacancy_detail", proposal.vacancy_id)


@permission_required(Perm.MATCH_PROPOSE)
@require_POST
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_for_user(request.user, Vacancy.objects.all(), pk=pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies een kandidaat.")
        return redirect("matching:vacancy_detail", vacancy.pk)
    client = _client(request, form.cleaned_data["client"])
    service_action(
        request,
        lambda: services.proposal_create(
            actor=actor_of(request), vacancy=vacancy, client=client, note=form.cleaned_data["note"]
        ),
        done=f"{client.full_name} is voorgedragen.",
    )
    if request.POST.get("terug") == "klant":
        return redirect("matching:client_matches", client.pk)
    return redirect("matching:vacancy_detail", vacancy.pk)


@permission_required(Perm.MATCH_PROPOSE)
def proposal_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of a proposal (plan or record the introduction, place, withdraw), as a small
    form page; errors are shown beside the field."""
    proposal = get_object_for_user(
        request.user,
        scoped(request.user, Proposal.objects.select_related("vacancy__employer", "client")),
        pk=pk,
    )
    forms_by_step: dict[str, Any] = {
        "kennismaking": (IntroductionPlanForm, "Kennismaking plannen"),
        "uitkomst": (IntroductionOutcomeForm, "Uitkomst kennismaking"),
        "plaatsing": (PlacementForm, "Plaatsing vastleggen"),
        "intrekken": (WithdrawForm, "Voordracht intrekken"),
        "duurzaamheid": (PlacementDurabilityForm, "Duurzaamheid plaatsing"),
    }
    placement = getattr(proposal, "placement", None) if step == "duurzaamheid" else None
    if step not in forms_by_step or (step == "duurzaamheid" and placement is None):
        return redirect("matching:vacancy_detail", proposal.vacancy_id)
    form_class, title = forms_by_step[step]
    providers = Provider.objects.filter(organisation_id=proposal.organisation_id)
    kwargs: dict[str, Any] = {"providers": providers} if form_class is PlacementForm else {}
    initial: dict[str, Any] = {}
    if form_class is PlacementForm:
        initial = {
            "contract_type": proposal.vacancy.contract_type,
            "contract_months": proposal.vacancy.contract_months or "",
            "hours_per_week": proposal.vacancy.hours_min,
            "lks": proposal.vacancy.offers_lks,
        }
    form = form_class(request.POST or None, initial=initial, **kwargs)

    def record(cleaned: dict[str, Any]) -> object:
        data = dict(cleaned)
        actor = actor_of(request)
        if step == "kennismaking":
            return services.proposal_introduction_plan(
                actor=actor, proposal=proposal, on=data["on"]
            )
        if step == "uitkomst":
            return services.proposal_introduction_record(
                actor=actor,
                proposal=proposal,
                positive=data["positive"] == "yes",
                outcome=data["outcome"],
            )
        if step == "intrekken":
            return services.proposal_withdraw(actor=actor, proposal=proposal, reason=data["reason"])
        if placement is not None:  # R-TRJ-7: the case manager's answer (placement via the WSP)
            return services.placement_durability_record(actor=actor, placement=placement, **data)
        provider_id = data.pop("provider")
        provider = providers.filter(pk=provider_id).first() if provider_id else None
        return services.placement_record(actor=actor, proposal=proposal, provider=provider, **data)

    if form_submit(request, form, record, done="Opgeslagen."):
        return _back(request, proposal)
    audit_read(request, proposal, proposal.client_id, "Voordracht bijwerken")
    return render(
        request,
        "matching/form.html",
        {
            "page_title": f"{title}: {proposal.client.full_name} — {proposal.vacancy.title}",
            "form": form,
            "terug": request.GET.get("terug", request.POST.get("terug", "")),
        },
    )


# --- Weights ---------------------------------------------------------------------------------


@permission_required(Perm.ADMIN_CONFIGURE)
def weights(request: HttpRequest) -> HttpResponse:
    current = selectors.current_weights(organisation_id_of(actor_of(request)))
    form = WeightsForm(request.POST or None, initial={c.value: current[c] for c in CRITERIA})
    if form_submit(
        request,
        form,
        lambda data: services.match_weights_update(actor=actor_of(request), weights=data),
        done="De gewichten zijn opgeslagen.",
    ):
        return redirect("matching:weights")
    return render(
        request,
        "matching/form.html",
        {
            "page_title": "Gewichten van passend werk",
            "form": form,
            "intro": "Elk criterium telt mee met zijn gewicht; de score is de som van de "
            "behaalde punten, als percentage van het totaal. Elke wijziging komt in de audittrail.",
        },
    )
