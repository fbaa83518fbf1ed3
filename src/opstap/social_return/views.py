"""Pages of the social return monitor (R-NET-10): the overview of all providers (sortable,
chart of realised against obligation, xlsx), one provider's monitor (years with the validity
spread, plan of approach with its history, realised blocks, placements offered pre-filled),
the PDF for the annual evaluation (R-NET-9), and the forms that call the services. Views
parse, call a selector or service and render; the rules are in `rules.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_read, audit_records_for_request
from opstap.core.access import get_object_for_user, permission_required
from opstap.core.actor import Actor, actor_of
from opstap.core.downloads import attachment
from opstap.core.errors import DomainError
from opstap.core.forms import form_action, service_action
from opstap.core.money import format_euro_html
from opstap.core.roles import Perm
from opstap.providers.models import Provider
from opstap.providers.selectors import is_provider_staff, provider_for_user, provider_id_of

from . import reports, selectors, services
from .forms import (
    BlockForm,
    DecideForm,
    EvidenceForm,
    OverviewYearForm,
    PlacementBlockForm,
    PlanForm,
    PlannedBlockFormSet,
    VerifyForm,
    YearForm,
    block_choices,
)
from .models import RealisedBlock, SocialReturnPlan

_PlanOrBlock = TypeVar("_PlanOrBlock", SocialReturnPlan, RealisedBlock)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _overview_rows(request: HttpRequest, user: Actor, today: dt.date) -> dict[str, Any]:
    """The rows of the year asked for; none when that year cannot be read or lies ahead (the
    year field then says why): ?jaar=2099 showed this year's figures, or zeros, silently."""
    form = OverviewYearForm(request.GET, today=today)
    sort = request.GET.get("sorteer", "naam")
    sort = sort if sort in selectors.SORTS else "naam"
    descending = request.GET.get("richting") == "af"
    if not form.is_valid():
        return {"year": None, "form": form, "sort": sort, "descending": descending, "rows": []}
    year = form.cleaned_data["jaar"]
    rows = selectors.overview(user=user, year=year, on=today, sort=sort, descending=descending)
    return {"year": year, "form": form, "sort": sort, "descending": descending, "rows": rows}


@permission_required(Perm.SOCIAL_RETURN_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    """All providers for one year; provider staff go to their own monitor."""
    user = actor_of(request)
    if is_provider_staff(user):
        own = provider_id_of(user)
        if own is None:
            raise Http404
        return redirect("social_return:provider", own)
    today = timezone.localdate()
    data = _overview_rows(request, user, today)
    # A refused year answers 400: the page names the field and shows no figures.
    return _overview_page(request, user, today, data, status=400 if data["year"] is None else 200)


def _overview_page(
    request: HttpRequest, user: Actor, today: dt.date, data: dict[str, Any], status: int = 200
) -> HttpResponse:
    years = list(range(today.year - 4, today.year + 1))
    if data["year"] is None:
        return render(
            request,
            "social_return/overview.html",
            {**data, "page_title": "Social return", "years": years},
            status=status,
        )
    columns = [
        (
            key,
            label,
            key == data["sort"],
            "op" if key == data["sort"] and data["descending"] else "af",
        )
        for key, label in (
            ("naam", "Aanbieder"),
            ("verplichting", "Verplichting"),
            ("gerealiseerd", "Gerealiseerd"),
            ("geverifieerd", "Geverifieerd"),
            ("percentage", "% van verplichting"),
        )
    ]
    audit_read(
        request,
        data["year"],
        None,
        "social return-overzicht",
        object_type="social_return_overview",
    )
    return render(
        request,
        "social_return/overview.html",
        {
            **data,
            "page_title": f"Social return {data['year']}",
            "columns": columns,
            "chart_svg": reports.overview_chart(data["rows"], year=data["year"]),
            "coordinate": user.has_opstap_perm(Perm.SOCIAL_RETURN_COORDINATE),
            "years": sorted({*years, data["year"]}),
        },
        status=status,
    )


@permission_required(Perm.SOCIAL_RETURN_VIEW)
def export(request: HttpRequest) -> HttpResponse:
    """The overview as xlsx (aggregates per provider, no personal data)."""
    user = actor_of(request)
    today = timezone.localdate()
    data = _overview_rows(request, user, today)
    if data["year"] is None:
        # No workbook of another year under the asked-for name: the page names the field.
        return _overview_page(request, user, today, data, status=400)
    audit_log(
        action=AuditAction.EXPORT,
        request=request,
        object_type="social_return_overview",
        object_id=data["year"],
        purpose="social return-overzicht xlsx",
    )
    response = HttpResponse(
        reports.overview_xlsx(data["rows"], year=data["year"]), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="social-return-{data["year"]}.xlsx"'
    return response


def _monitor_context(request: HttpRequest, user: Actor, pk: int) -> dict[str, Any]:
    today = timezone.localdate()
    monitor, blocks = services.monitor_shown(
        request=request,
        user=user,
        provider_id=pk,
        on=today,
        action=AuditAction.READ,
        purpose="social return-monitor",
    )
    provider = monitor.provider
    visible = selectors.visible_client_ids(user, [b.client_id for b in blocks if b.client_id])
    years = [r.year for r in monitor.years]
    block_rows = [
        {
            "block": b,
            "person": selectors.person_label(b, visible),
            "spread": [monitor.spread.get(b.pk, {}).get(y) for y in years],
        }
        for b in blocks
    ]
    return {
        "provider": provider,
        "today": today,
        "monitor": monitor,
        "years": years,
        "block_rows": block_rows,
        "plans": list(selectors.plan_list(user=user, provider_id=provider.pk)),
        "events": list(selectors.event_list(user=user, provider_id=provider.pk)[:50]),
    }


@permission_required(Perm.SOCIAL_RETURN_VIEW)
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    context = _monitor_context(request, user, pk)
    provider = context["provider"]
    reporter = user.has_opstap_perm(Perm.SOCIAL_RETURN_REPORT) and provider_id_of(user) == pk
    coordinate = user.has_opstap_perm(Perm.SOCIAL_RETURN_COORDINATE)
    norms = selectors.norms_on(organisation_id=provider.organisation_id, day=context["today"])
    choices = block_choices(norms.blocks)
    placements: list[Any] = []
    if reporter:
        placements = list(selectors.offered_placements(user=user, provider_id=pk)[:50])
        audit_records_for_request(
            request,
            action=AuditAction.LIST,
            object_type="outcome",
            items=[(o.pk, o.trajectory.client_id) for o in placements],
            purpose="social return: aangeboden plaatsingen",
        )
    context.update(
        {
            "page_title": f"Social return {provider.name}",
            "reporter": reporter,
            "coordinate": coordinate,
            "norm_table": norms,
            "plan_form": PlanForm() if reporter else None,
            "planned_formset": PlannedBlockFormSet(prefix="bb", form_kwargs={"choices": choices})
            if reporter
            else None,
            "block_form": BlockForm(choices=choices) if reporter else None,
            "placements": [
                {
                    "outcome": o,
                    "form": PlacementBlockForm(initial={"outcome": o.pk}, choices=choices),
                }
                for o in placements
            ],
            "decide_form": DecideForm() if coordinate else None,
            "verify_form": VerifyForm() if coordinate else None,
            "evidence_form": EvidenceForm() if reporter else None,
        }
    )
    return render(request, "social_return/provider.html", context)


@permission_required(Perm.SOCIAL_RETURN_VIEW)
def provider_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's monitor on A4 for the annual evaluation (R-NET-9); no personal data."""
    user = actor_of(request)
    today = timezone.localdate()
    monitor, blocks = services.monitor_shown(
        request=request,
        user=user,
        provider_id=pk,
        on=today,
        action=AuditAction.EXPORT,
        purpose="social return: PDF jaarevaluatie",
        persons_shown=False,  # the PDF names no person
    )
    provider = monitor.provider
    content = reports.provider_pdf(
        monitor, blocks, organisation=getattr(request, "organisation", None), today=today
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="social-return-{provider.pk}-{today:%Y%m%d}.pdf"'
    )
    return response


def _reporting_for(
    request: HttpRequest, pk: int
) -> tuple[Actor, Provider, dt.date, selectors.NormTable]:
    """Who reports for which provider (one they may see, else 404), today, and the
    building-block table valid today, for the forms a provider posts."""
    user = actor_of(request)
    provider = provider_for_user(user, pk)
    today = timezone.localdate()
    return (
        user,
        provider,
        today,
        selectors.norms_on(organisation_id=provider.organisation_id, day=today),
    )


@require_POST
@permission_required(Perm.SOCIAL_RETURN_REPORT)
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user, provider, today, norms = _reporting_for(request, pk)
    form = PlanForm(request.POST, request.FILES)
    formset = PlannedBlockFormSet(
        request.POST, prefix="bb", form_kwargs={"choices": block_choices(norms.blocks)}
    )
    if not form.is_valid() or not formset.is_valid():
        messages.error(request, "Controleer het plan: beschrijving en voorgenomen bouwblokken.")
        return redirect("social_return:provider", pk)
    planned = [
        services.PlannedInput(
            block_code=row["block_code"],
            year=row.get("year") or today.year,
            count=row.get("count") or 1,
            estimated_value=row.get("estimated_value"),
        )
        for row in formset.cleaned_data
        if row and row.get("block_code")
    ]
    service_action(
        request,
        lambda: services.plan_submit(
            actor=user,
            provider=provider,
            text=form.cleaned_data["text"],
            document=form.cleaned_data.get("document"),
            planned=planned,
            on=today,
        ),
        done="Plan van aanpak ingediend.",
    )
    return redirect("social_return:provider", pk)


def _form_on(
    request: HttpRequest,
    model: type[_PlanOrBlock],
    pk: int,
    form: forms.BaseForm,
    change: Callable[[Actor, _PlanOrBlock, dict[str, Any]], object],
    *,
    done: str,
    invalid: str,
) -> HttpResponse:
    """A posted form about one plan or block the user may see (else 404): `change` calls
    its service, and the user goes back to the provider's monitor."""
    user = actor_of(request)
    obj = get_object_for_user(user, model.objects.all(), pk=pk)
    form_action(request, form, lambda data: change(user, obj, data), done=done, invalid=invalid)
    return redirect("social_return:provider", obj.provider_id)


@require_POST
@permission_required(Perm.SOCIAL_RETURN_COORDINATE)
def plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_on(
        request,
        SocialReturnPlan,
        pk,
        DecideForm(request.POST),
        lambda user, plan, data: services.plan_decide(
            actor=user, plan=plan, action=data["action"], remarks=data.get("remarks") or ""
        ),
        done="Besluit over het plan van aanpak vastgelegd.",
        invalid="Kies goedkeuren of terugsturen.",
    )


@require_POST
@permission_required(Perm.SOCIAL_RETURN_REPORT)
def block_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, provider, today, norms = _reporting_for(request, pk)
    form_action(
        request,
        BlockForm(request.POST, request.FILES, choices=block_choices(norms.blocks)),
        lambda data: services.block_register(
            actor=user,
            provider=provider,
            block_code=data["block_code"],
            start_date=data["start_date"],
            hours_per_week=data.get("hours_per_week"),
            contract_months=data.get("contract_months"),
            external_person=data.get("external_person") or "",
            evidence=data.get("evidence"),
            on=today,
        ),
        done="Bouwblok geregistreerd.",
        invalid="Controleer de invoer van het bouwblok.",
    )
    return redirect("social_return:provider", pk)


@require_POST
@permission_required(Perm.SOCIAL_RETURN_REPORT)
def block_from_placement(request: HttpRequest, pk: int) -> HttpResponse:
    user, _provider, today, norms = _reporting_for(request, pk)
    form = PlacementBlockForm(request.POST, request.FILES, choices=block_choices(norms.blocks))
    if form.is_valid():
        outcome = (
            selectors.offered_placements(user=user, provider_id=pk)
            .filter(pk=form.cleaned_data["outcome"])
            .first()
        )
        if outcome is None:
            raise Http404
        service_action(
            request,
            lambda: services.block_register_from_placement(
                actor=user,
                outcome=outcome,
                block_code=form.cleaned_data["block_code"],
                evidence=form.cleaned_data.get("evidence"),
                on=today,
            ),
            done="Plaatsing als bouwblok geregistreerd.",
        )
    else:
        messages.error(request, "Kies een bouwblok.")
    return redirect("social_return:provider", pk)


@require_POST
@permission_required(Perm.SOCIAL_RETURN_REPORT)
def block_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_on(
        request,
        RealisedBlock,
        pk,
        EvidenceForm(request.POST, request.FILES),
        lambda user, block, data: services.block_evidence_add(
            actor=user, block=block, evidence=data["evidence"]
        ),
        done="Bewijsstuk toegevoegd.",
        invalid="Kies een bestand.",
    )


@require_POST
@permission_required(Perm.SOCIAL_RETURN_COORDINATE)
def block_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_on(
        request,
        RealisedBlock,
        pk,
        VerifyForm(request.POST),
        lambda user, block, data: services.block_verify(
            actor=user, block=block, approve=data["approve"], remarks=data.get("remarks") or ""
        ),
        done="Verificatie vastgelegd.",
        invalid="Kies verifiëren of afkeuren.",
    )


@permission_required(Perm.SOCIAL_RETURN_VIEW)
def block_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Private download of a block's evidence, audited with the client it concerns."""
    user = actor_of(request)
    block = get_object_for_user(user, RealisedBlock.objects.all(), pk=pk)
    if not block.evidence:
        raise Http404
    audit_read(
        request,
        block,
        block.client_id,
        "social return: bewijsstuk",
        object_type="social_return_evidence",
    )
    return attachment(block.evidence, default_name="bewijs")


@permission_required(Perm.SOCIAL_RETURN_VIEW)
def plan_document(request: HttpRequest, pk: int) -> FileResponse:
    user = actor_of(request)
    plan = get_object_for_user(user, SocialReturnPlan.objects.all(), pk=pk)
    if not plan.document:
        raise Http404
    return attachment(plan.document, default_name="plan")


@require_POST
@permission_required(Perm.SOCIAL_RETURN_COORDINATE)
def year_close(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies een jaar.")
        return redirect("social_return:overview")
    year = form.cleaned_data["jaar"]
    try:
        closed = services.year_close(actor=user, year=year, on=timezone.localdate())
    except DomainError as exc:
        # Back to the overview as it was: a refused year (2099, not yet over) is no year to
        # show, and showing it put a second message at the year field.
        messages.error(request, str(exc))
        return redirect("social_return:overview")
    total = sum((c.obligation for c in closed), Decimal(0))
    # The total in the house style (it read "(7500.00)").
    messages.success(
        request, f"Jaar {year} afgesloten; verplichtingen vastgesteld ({format_euro_html(total)})."
    )
    return redirect(reverse("social_return:overview") + f"?jaar={year}")
