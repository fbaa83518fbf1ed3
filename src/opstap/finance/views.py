"""Pages for policy officers (Dutch): one page per finance model with an input form, the
result (summary, SVG chart with its table alternative), saved scenarios and exports; and the
outflow-premium overview. Views parse, call calculators/services/selectors and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from opstap.core.access import check_perm, get_object_for_user, permission_required
from opstap.core.actor import actor_of
from opstap.core.charts import render_svg
from opstap.core.exports import report_pdf, report_xlsx
from opstap.core.roles import Perm

from . import selectors, services
from .calculators import CALCULATORS
from .forms import KindForms
from .models import Scenario, ScenarioKind
from .models_pure.errors import FinanceInputError

PAGES: dict[str, dict[str, str]] = {
    "cost_split": {
        "url": "finance:cost_split",
        "intro": "Verdeel kosten en opbrengsten over de gemeenten naar inwonertal en "
        "klantdossiers.",
    },
    "business_case": {
        "url": "finance:business_case",
        "intro": "Investering, normuitstroom, verwachte uitstroom en besparing op de "
        "uitkeringslast per jaar; terugverdienjaar en verdeling per gemeente.",
    },
    "safety_net": {
        "url": "finance:safety_net",
        "intro": "Tekort op het BUIG-budget per gemeente en jaar, en of de gemeente in "
        "aanmerking komt voor een vangnetuitkering.",
    },
    "forecast": {
        "url": "finance:forecast",
        "intro": "Prognose van het aantal uitkeringsgerechtigden met scenario's van instroom "
        "en uitstroom.",
    },
}


def _organisation(request: HttpRequest) -> Any:
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        raise Http404
    return organisation


@permission_required(Perm.FINANCE_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    scenarios = selectors.scenarios_for(actor_of(request)).order_by("kind", "name")
    by_kind: dict[str, list[Scenario]] = {k: [] for k in CALCULATORS}
    for s in scenarios:
        by_kind.setdefault(s.kind, []).append(s)
    models = [
        {
            "kind": k,
            "title": c.title,
            "url": PAGES[k]["url"],
            "intro": PAGES[k]["intro"],
            "scenarios": by_kind[k],
        }
        for k, c in CALCULATORS.items()
    ]
    return render(
        request,
        "finance/index.html",
        {
            "page_title": "Financiële modellen",
            "models": models,
            "premiums": selectors.premium_report(actor_of(request)),
        },
    )


def _model_page(request: HttpRequest, kind: str) -> HttpResponse:
    organisation = _organisation(request)
    calculator = CALCULATORS[kind]
    scenario: Scenario | None = None
    scenario_id = request.GET.get("scenario") or request.POST.get("scenario_id")
    if scenario_id:
        scenario = get_object_for_user(
            request.user, Scenario.objects.filter(kind=kind), pk=scenario_id
        )
    warning = ""
    report = None
    inputs: dict[str, Any] | None = None
    if request.method == "POST":
        forms = KindForms(kind, data=request.POST)
        action = request.POST.get("action", "compute")
        if forms.is_valid():
            inputs = forms.inputs()
            forms.name_form.is_valid()
            if kind == "forecast" and forms.main.cleaned_data.get("show_realised"):
                inputs["realised"], warning = _realised(organisation, inputs)
            try:
                _result, report = calculator.run(inputs, **_extra(kind))
            except FinanceInputError as exc:
                messages.error(request, exc.message)
            else:
                response = _act(
                    request, kind, action, forms, inputs, report, scenario, organisation
                )
                if response is not None:
                    return response
        else:
            messages.error(request, "Controleer de invoer: niet alle velden zijn goed ingevuld.")
    else:
        if scenario is not None:
            inputs = dict(scenario.inputs)
        elif kind == "cost_split" and request.GET.get("bron") == "register":
            inputs, warning = _cost_split_from_register(request, organisation)
        elif kind == "forecast" and request.GET.get("bron") == "register":
            inputs, warning = _forecast_from_register(organisation)
        else:
            inputs = calculator.defaults()
        forms = KindForms(kind, inputs=inputs)
        try:
            _result, report = calculator.run(inputs, **_extra(kind))
        except FinanceInputError as exc:
            messages.error(request, exc.message)
    if warning:
        messages.warning(request, f"Let op: {warning}.")
    charts = [{"title": c.title, "svg": render_svg(c)} for c in report.charts] if report else []
    if scenario is not None and not forms.name_form.is_bound:
        forms.name_form.initial = {
            "scenario_name": scenario.name,
            "scenario_description": scenario.description,
        }
    return render(
        request,
        "finance/model.html",
        {
            "page_title": calculator.title,
            "kind": kind,
            "intro": PAGES[kind]["intro"],
            "forms": forms,
            "report": report,
            "charts": charts,
            "scenario": scenario,
            "scenarios": selectors.scenarios_for(actor_of(request), kind=kind).order_by("name"),
            "can_edit": check_perm(request.user, Perm.FINANCE_EDIT),
            "social_fields": forms.main.social_fields() if kind == "business_case" else None,
        },
    )


def _extra(kind: str) -> dict[str, Any]:
    if kind == "business_case":
        return {"mapping": selectors.social_value_mapping()}
    return {}


def _act(
    request: HttpRequest,
    kind: str,
    action: str,
    forms: KindForms,
    inputs: dict[str, Any],
    report: Any,
    scenario: Scenario | None,
    organisation: Any,
) -> HttpResponse | None:
    name = (forms.name_form.cleaned_data or {}).get("scenario_name") or (
        scenario.name if scenario else ""
    )
    filename = slugify(f"{CALCULATORS[kind].title} {name or timezone.localdate().isoformat()}")
    if action == "xlsx":
        response = HttpResponse(
            report_xlsx(report, scenario_name=name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if action == "pdf":
        response = HttpResponse(
            report_pdf(report, organisation=organisation, scenario_name=name),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    if action in ("save", "save_as_new"):
        if not check_perm(request.user, Perm.FINANCE_EDIT):
            messages.error(request, "U mag geen scenario's opslaan.")
            return None
        try:
            saved = services.scenario_save(
                actor=actor_of(request),
                organisation=organisation,
                kind=kind,
                name=name,
                description=(forms.name_form.cleaned_data or {}).get("scenario_description", ""),
                inputs=inputs,
                scenario=scenario if action == "save" else None,
            )
        except services.FinanceError as exc:
            messages.error(request, exc.message)
            return None
        messages.success(request, f"Scenario '{saved.name}' is opgeslagen.")
        return redirect(f"{request.path}?scenario={saved.pk}")
    return None


def _cost_split_from_register(
    request: HttpRequest, organisation: Any
) -> tuple[dict[str, Any], str]:
    try:
        on = dt.date.fromisoformat(request.GET.get("peildatum") or "")
    except ValueError:
        on = timezone.localdate()
    rows, warning = selectors.municipality_figures(organisation, on=on)
    inputs = CALCULATORS["cost_split"].defaults()
    inputs.update({"reference_date": on.isoformat(), "municipalities": rows})
    return inputs, warning


def _forecast_from_register(organisation: Any) -> tuple[dict[str, Any], str]:
    today = timezone.localdate()
    stock, warning = selectors.current_caseload(organisation, on=today)
    inputs = CALCULATORS["forecast"].defaults()
    if stock is not None:
        inputs["start_year"] = today.year + 1
        for s in inputs["scenarios"]:
            s["start_stock"] = stock
    return inputs, warning


def _realised(organisation: Any, inputs: dict[str, Any]) -> tuple[list[list[Any]], str]:
    start_year = int(inputs["start_year"])
    yearly = inputs.get("granularity", "year") == "year"
    start = dt.date(
        start_year + 1 if yearly else start_year,
        1 if yearly else int(inputs.get("start_month") or 1),
        1,
    )
    end = min(timezone.localdate(), dt.date(start_year + 10, 1, 1))
    if start > end:
        return [], ""
    return selectors.realised_caseload(organisation, start=start, end=end, yearly=yearly)


@permission_required(Perm.FINANCE_VIEW)
def cost_split(request: HttpRequest) -> HttpResponse:
    return _model_page(request, ScenarioKind.COST_SPLIT)


@permission_required(Perm.FINANCE_VIEW)
def business_case(request: HttpRequest) -> HttpResponse:
    return _model_page(request, ScenarioKind.BUSINESS_CASE)


@permission_required(Perm.FINANCE_VIEW)
def safety_net(request: HttpRequest) -> HttpResponse:
    return _model_page(request, ScenarioKind.SAFETY_NET)


@permission_required(Perm.FINANCE_VIEW)
def forecast(request: HttpRequest) -> HttpResponse:
    return _model_page(request, ScenarioKind.FORECAST)


@require_POST
@permission_required(Perm.FINANCE_EDIT)
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_for_user(request.user, Scenario.objects.all(), pk=pk)
    kind = scenario.kind
    services.scenario_delete(actor=actor_of(request), scenario=scenario)
    messages.success(request, f"Scenario '{scenario.name}' is verwijderd.")
    return redirect(PAGES[kind]["url"])


@permission_required(Perm.FINANCE_VIEW)
def premiums(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not check_perm(request.user, Perm.FINANCE_EDIT):
            messages.error(request, "U mag de regeling niet wijzigen.")
        else:
            current = services.premium_scheme()
            services.premium_scheme_update(
                actor=actor_of(request),
                enabled=request.POST.get("enabled") == "1",
                min_benefit_months=current.min_benefit_months,
                min_hours_per_week=current.min_hours_per_week,
                first_amount=current.first_amount,
                second_amount=current.second_amount,
                second_after_months=current.second_after_months,
            )
            messages.success(request, "De regeling uitstroompremie is bijgewerkt.")
        return redirect("finance:premiums")
    return render(
        request,
        "finance/premiums.html",
        {
            "page_title": "Uitstroompremie",
            "scheme": services.premium_scheme(),
            "report": selectors.premium_report(actor_of(request)),
            "can_edit": check_perm(request.user, Perm.FINANCE_EDIT),
        },
    )
