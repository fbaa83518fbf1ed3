"""Pages of the provider network: the instrument guide (R-NET-5), provider pages for the
contract manager and for provider staff, indexation (R-NET-6), signals and evaluations
(R-NET-9), change proposals. Views parse, call a service or selector, and render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.forms import BaseForm, BoundField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from opstap.accounts.models import User
from opstap.clients.models import TARGET_GROUP_LABELS_NL, LadderStep
from opstap.core import dutch, money
from opstap.core.access import get_object_for_user, may_open, permission_required, public_view
from opstap.core.actor import Actor
from opstap.core.counts import CountedPaginator
from opstap.core.downloads import attachment
from opstap.core.forms import form_submit, service_action
from opstap.core.links import pk_links
from opstap.core.roles import Perm
from opstap.core.templatetags.opstap import euro_nowrap
from opstap.organisations.selectors import organisation_by_slug

from . import forms, selectors, services
from .access import is_provider_staff
from .models import (
    Contract,
    CpiIndexation,
    Evaluation,
    Evidence,
    Product,
    Provider,
    ProviderBankAccount,
    ProviderEvent,
    ProviderStatus,
)
from .services import ProviderError

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    """The signed-in user (the permission decorator has turned anonymous users away)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


_STEP_ORDER = {step.value: i for i, step in enumerate(LadderStep)}
_GROUP_LABELS = {code.value: label for code, label in TARGET_GROUP_LABELS_NL.items()}


def _labels_of(target_groups: list[str], ladder_steps: list[str]) -> dict[str, Any]:
    """A product's target groups in Dutch and its ladder steps in ladder order."""
    return {
        "target_groups": [_GROUP_LABELS.get(code, code) for code in target_groups],
        "ladder_steps": sorted(ladder_steps, key=lambda s: _STEP_ORDER.get(s, 99)),
    }


def _labels(product: Product) -> dict[str, Any]:
    return _labels_of(
        [t.code for t in product.target_groups.all()], [s.step for s in product.ladder_steps.all()]
    )


def _page_number(value: str | None) -> int:
    """The page asked for, read as `Paginator.get_page` reads it: no whole number is page 1."""
    try:
        return int(value or "")
    except ValueError:
        return 1


def _guide_page(
    search: selectors.GuideSearch, requested: str | None
) -> tuple[Page, list[selectors.GuideRow]]:
    """`Paginator(products, PAGE_SIZE).get_page(requested)` and its rows, in one statement
    for a page that exists (the count comes with the rows); a page past the end shows the
    last one, as `get_page` does."""
    number = _page_number(requested)
    rows: list[selectors.GuideRow] = []
    total: int | None = None
    if number >= 1:
        rows, total = search.rows(offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    if total is None:
        total = 0 if number == 1 else search.count()
    # The paginator only numbers the pages here: it never reads its object list.
    page = CountedPaginator([], PAGE_SIZE, count=total).get_page(number)
    if page.number != number and total:
        rows, _total = search.rows(offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return page, rows


def _guide_result(
    row: selectors.GuideRow,
    *,
    user: Actor | None,
    public: bool,
    order_url: str,
    product_url: Callable[[int], str],
) -> dict[str, Any]:
    """What the guide's table shows of one product, ready to print."""
    if row.price is None:
        price = "offerte"
    else:
        price = money.format_euro_html(row.price) + (" per uur" if row.hourly else "")
    linked = not public and user is not None and may_open(user, "providers:product", row.pk)
    return {
        "row": row,
        "url": product_url(row.pk) if linked else "",
        "order_url": f"{order_url}?product={row.pk}" if order_url else "",
        **_labels_of(row.target_groups, row.ladder_steps),
        "price": price,
    }


def _field_html(field: BoundField) -> SafeString:
    """`providers/_field.html` for one field, written here (issue 18: the guide's eight
    fields were eight template includes, about 1 ms a page); `test_guide` compares the two
    for the guide's form, bound and unbound, with and without errors."""
    esc = conditional_escape
    label, widget = esc(field.label), str(field)
    # `core/_field_errors.html`: one element for all of a field's errors, with the id Django's
    # widget names in its aria-describedby (`<auto_id>_error`), amounts kept on one line.
    errors = (
        f'<p class="opstap-field-error" id="{esc(field.auto_id)}_error">'
        + " ".join(esc(euro_nowrap(str(e))) for e in field.errors)
        + "</p>"
        if field.errors
        else ""
    )
    if field.widget_type == "checkboxselectmultiple":
        html = (
            f'\n<fieldset class="utrecht-form-fieldset">\n  <legend class="utrecht-form-label">'
            f"{label}</legend>\n  {widget}\n  {errors}\n</fieldset>\n"
        )
    else:
        for_id = esc(field.id_for_label)
        if field.widget_type == "checkbox":
            shown = (
                f'\n  <label class="utrecht-form-label" for="{for_id}">{widget} {label}</label>\n  '
            )
        else:
            help_text = (
                f'\n  <span class="opstap-muted" id="{esc(field.auto_id)}_helptext">'
                f"{esc(field.help_text)}</span>"
                if field.help_text
                else ""
            )
            shown = (
                f'\n  <label class="utrecht-form-label" for="{for_id}">{label}</label>'
                f"{help_text}\n  {widget}\n  "
            )
        html = f'\n<div class="utrecht-form-field">\n  {shown}\n  {errors}\n</div>\n'
    return mark_safe(html + "\n")  # noqa: S308  # every value above is escaped


def fields_html(form: BaseForm) -> SafeString:
    """Every field of `form` as `{% for field in form %}{% include "providers/_field.html" %}`
    writes them."""
    return mark_safe("".join(_field_html(field) for field in form))  # noqa: S308


def _guide(
    request: HttpRequest, *, user: Actor | None, organisation_id: int, public: bool
) -> HttpResponse:
    today = timezone.localdate()
    choices = selectors.guide_filter_choices(organisation_id, on=today)
    form = forms.GuideForm(
        request.GET or None,
        tiles=choices.tiles,
        municipalities=choices.municipalities,
        providers=choices.providers,
        with_price=not public,
    )
    can_order = user is not None and user.has_opstap_perm(Perm.TRAJECTORY_ORDER)
    results = None
    page = None
    searched = bool(request.GET)
    if form.is_valid() or not searched:
        data = form.cleaned_data if searched else {}
        weeks = data.get("max_weken")
        query = selectors.GuideQuery(
            text=data.get("q") or "",
            tile=data.get("tegel") or "",
            target_group=data.get("doelgroep") or "",
            ladder_step=data.get("trede") or "",
            municipality_id=data.get("gemeente"),
            provider_id=data.get("aanbieder"),
            max_price=data.get("max_prijs"),
            max_duration_days=weeks * 7 if weeks else None,
        )
        # The public guide has no user: the organisation is its scope.
        search = selectors.GuideSearch.of(
            None if public else user, organisation_id, query, on=today
        )
        page, rows = _guide_page(search, request.GET.get("pagina"))
        order_url = reverse("trajectories:order") if can_order else ""
        product_url = pk_links("providers:product")
        results = [
            _guide_result(
                row, user=user, public=public, order_url=order_url, product_url=product_url
            )
            for row in rows
        ]
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "providers/guide.html",
        {
            "page_title": "Instrumentengids",
            "form": form,
            "fields": fields_html(form),
            "results": results,
            "page": page,
            "public": public,
            "querystring": params.urlencode(),
            "today": today,
            "promoted": selectors.promoted_rows(organisation_id, today),
        },
    )


@permission_required(Perm.PRODUCT_SEARCH)
def guide(request: HttpRequest) -> HttpResponse:
    """The instrument guide for case managers: free text and filters, price valid today."""
    return _guide(
        request,
        user=_user(request),
        organisation_id=_user(request).organisation_id or 0,
        public=False,
    )


@public_view
def guide_public(request: HttpRequest, slug: str) -> HttpResponse:
    """Read-only guide without prices for residents and employers, behind a per-organisation
    setting (R-NET-5)."""
    organisation = organisation_by_slug(slug)
    if organisation is None or not selectors.network_settings(organisation.pk).public_guide_enabled:
        raise Http404
    return _guide(request, user=None, organisation_id=organisation.pk, public=True)


_PROVIDER_STATUS_LABELS = dict(ProviderStatus.choices)


def provider_rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The provider list's rows as its template's loop wrote them (issue 18: five values
    per row through the template engine); `test_list_queries` compares the two."""
    esc = conditional_escape
    return mark_safe(  # noqa: S308  # every value is escaped
        "".join(
            f'\n  <tr><td><a class="utrecht-link" href="{esc(p["url"])}">{esc(p["name"])}</a></td>'
            f"\n      <td>{esc(p['status'])}</td>"
            f"\n      <td>{esc(p['contract_manager'])}</td>"
            f'\n      <td class="num">{esc(localize(p["product_count"]))}</td>'
            f"\n      <td>{esc(p['last_activity'])}</td></tr>\n  "
            for p in rows
        )
    )


@permission_required(Perm.PROVIDER_VIEW)
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = selectors.provider_list_rows(_user(request))
    if is_provider_staff(_user(request)) and len(providers) == 1:
        return redirect("providers:detail", providers[0].pk)
    link = pk_links("providers:detail")
    rows = [
        {
            "url": link(p.pk),
            "name": p.name,
            "status": str(_PROVIDER_STATUS_LABELS.get(p.status, p.status)),
            "contract_manager": p.contract_manager or "—",
            "product_count": p.product_count,
            "last_activity": dutch.format_date(p.last_activity_on) if p.last_activity_on else "—",
        }
        for p in providers
    ]
    return render(
        request,
        "providers/provider_list.html",
        {
            "page_title": "Aanbieders",
            "providers": rows,
            "rows_html": provider_rows_html(rows),
            "manage": _user(request).has_opstap_perm(Perm.PROVIDER_MANAGE),
        },
    )


@permission_required(Perm.PROVIDER_VIEW)
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_provider(request, pk)


def _render_provider(
    request: HttpRequest,
    pk: int,
    *,
    bank_form: forms.BankAccountForm | None = None,
    bound: dict[str, BaseForm] | None = None,
    extended_contract_id: int | None = None,
) -> HttpResponse:
    """The provider page; `bound` holds a refused form as posted (by its context name, e.g.
    "evidence_form"), shown again with what was typed and the message at the field, and
    status 400 (`extended_contract_id`: the contract whose extension form was refused)."""
    user = _user(request)
    provider = get_object_for_user(user, Provider.objects.select_related("contract_manager"), pk=pk)
    today = timezone.localdate()
    manage = user.has_opstap_perm(Perm.PROVIDER_MANAGE)
    products = list(selectors.products_for(user, provider, on=today))
    contracts = list(selectors.contracts_for(user, provider))
    evidence = list(selectors.evidence_for(user, provider))
    warning_days = selectors.network_settings(provider.organisation_id).evidence_warning_days
    from .rules.network import evidence_state

    bound = dict(bound or {})
    refused_extension = bound.pop("extension_form", None)
    # One extension form per contract, each with its own ids; the refused one as posted.
    contract_rows = [
        (
            contract,
            refused_extension
            if refused_extension is not None and contract.pk == extended_contract_id
            else forms.ExtensionForm(initial={"decided_on": today}, auto_id=f"id_%s-{contract.pk}"),
        )
        for contract in contracts
    ]
    for item in evidence:
        item.state = evidence_state(
            valid_from=item.valid_from,
            valid_until=item.valid_until,
            on=today,
            warning_days=warning_days,
        )
    context = {
        "page_title": provider.name,
        "provider": provider,
        "manage": manage,
        "staff_view": is_provider_staff(user),
        "products": products,
        "evidence": evidence,
        "contracts": contracts,
        "contract_rows": contract_rows,
        "signals": list(selectors.signals_for(user, provider)) if manage else [],
        "evaluations": list(selectors.evaluations_for(user, provider)),
        "events": list(ProviderEvent.objects.filter(provider=provider).select_related("actor")[:20])
        if manage
        else [],
        "evidence_form": forms.EvidenceForm(),
        "end_form": forms.EndParticipationForm(initial={"ended_on": today}),
        "contract_form": forms.ContractForm(initial={"start_date": today}),
        "has_active_contract": any(c.status == "active" for c in contracts),
        "can_signal": user.has_opstap_perm(Perm.PROVIDER_SIGNAL),
        "today": today,
        "bank_manage": user.has_opstap_perm(Perm.BANK_ACCOUNT_MANAGE),
        "bank_accounts": list(selectors.bank_accounts_for(user, provider)[:10]),
        "bank_form": bank_form or forms.BankAccountForm(initial={"holder": provider.name}),
        **bound,
    }
    # A refused bank-account change or other form, shown again.
    status = 400 if bank_form is not None or bound or refused_extension is not None else 200
    return render(request, "providers/provider_detail.html", context, status=status)


def _manageable_provider(request: HttpRequest, pk: int) -> Provider:
    return get_object_for_user(_user(request), Provider.objects.all(), pk=pk)


def _posted_on_provider(
    request: HttpRequest,
    provider_id: int,
    form: BaseForm,
    call: Callable[[dict[str, Any]], object],
    *,
    form_name: str,
    done: str,
    extended_contract_id: int | None = None,
) -> HttpResponse:
    """A form posted on the provider page that calls one service: done, back to the page
    with `done`; invalid or refused, the page again with the form as posted (by its context
    name `form_name`) and the message at the field, status 400."""
    if form_submit(request, form, call, done=done, refused=ProviderError):
        return redirect("providers:detail", provider_id)
    return _render_provider(
        request,
        provider_id,
        bound={form_name: form},
        extended_contract_id=extended_contract_id,
    )


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _manageable_provider(request, pk)
    return _posted_on_provider(
        request,
        provider.pk,
        forms.EvidenceForm(request.POST, request.FILES),
        lambda data: services.evidence_register(
            actor=_user(request), provider=provider, document=data.pop("document"), **data
        ),
        form_name="evidence_form",
        done="Bewijsstuk geregistreerd.",
    )


@permission_required(Perm.PROVIDER_VIEW)
def evidence_document(request: HttpRequest, pk: int) -> FileResponse:
    """Private download: only who may see the evidence gets the file (never a media URL)."""
    evidence = get_object_for_user(_user(request), Evidence.objects.all(), pk=pk)
    if not evidence.document:
        raise Http404
    return attachment(evidence.document, default_name="bewijs")


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def contract_extend(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_for_user(_user(request), Contract.objects.all(), pk=pk)
    return _posted_on_provider(
        request,
        contract.provider_id,
        forms.ExtensionForm(request.POST, auto_id=f"id_%s-{contract.pk}"),
        lambda data: services.contract_extend(actor=_user(request), contract=contract, **data),
        form_name="extension_form",
        done="Verlenging vastgelegd.",
        extended_contract_id=contract.pk,
    )


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def provider_end(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _manageable_provider(request, pk)
    return _posted_on_provider(
        request,
        provider.pk,
        forms.EndParticipationForm(request.POST),
        lambda data: services.provider_end_participation(
            actor=_user(request), provider=provider, **data
        ),
        form_name="end_form",
        done="Deelname aan het netwerk beëindigd.",
    )


@permission_required(Perm.PROVIDER_SIGNAL)
def signal_create(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_for_user(_user(request), Provider.objects.all(), pk=pk)
    products = Product.objects.filter(provider=provider, status="active").order_by("name")
    form = forms.SignalForm(request.POST or None, products=products)
    if form_submit(
        request,
        form,
        lambda data: services.signal_register(
            actor=_user(request),
            provider=provider,
            product=products.filter(pk=data["product"]).first() if data["product"] else None,
            description=data["description"],
            client_id=data["client_id"],
        ),
        done="Signaal geregistreerd; de contractmanager is op de hoogte gebracht.",
        refused=ProviderError,
        above=True,
    ):
        return redirect("providers:detail", provider.pk)
    return render(
        request,
        "providers/signal_form.html",
        {"page_title": f"Signaal over {provider.name}", "provider": provider, "form": form},
    )


@permission_required(Perm.PROVIDER_VIEW)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_for_user(
        _user(request), Evaluation.objects.select_related("provider"), pk=pk
    )
    manage = _user(request).has_opstap_perm(Perm.PROVIDER_MANAGE)
    products = Product.objects.filter(provider=evaluation.provider, status="active")
    record_form = forms.EvaluationRecordForm(
        initial={
            "held_on": evaluation.held_on or timezone.localdate(),
            "report": evaluation.report,
            "improvement_actions": evaluation.improvement_actions,
        }
    )
    close_form = forms.EvaluationCloseForm(
        products=products, initial={"closed_on": timezone.localdate()}
    )
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "close":
                close_form = forms.EvaluationCloseForm(request.POST, products=products)
                if close_form.is_valid():
                    product = (
                        products.filter(pk=close_form.cleaned_data["product"]).first()
                        if close_form.cleaned_data["product"]
                        else None
                    )
                    services.evaluation_close(
                        actor=_user(request),
                        evaluation=evaluation,
                        outcome=close_form.cleaned_data["outcome"],
                        closed_on=close_form.cleaned_data["closed_on"],
                        product=product,
                    )
                    messages.success(request, "Evaluatie afgerond.")
                    return redirect("providers:evaluation", evaluation.pk)
            else:
                record_form = forms.EvaluationRecordForm(request.POST)
                if record_form.is_valid():
                    services.evaluation_record(
                        actor=_user(request),
                        evaluation=evaluation,
                        **record_form.cleaned_data,
                    )
                    messages.success(request, "Evaluatiegesprek vastgelegd.")
                    return redirect("providers:evaluation", evaluation.pk)
        except ProviderError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "providers/evaluation.html",
        {
            "page_title": f"Evaluatie {evaluation.provider.name}",
            "evaluation": evaluation,
            "signals": selectors.signals_for(_user(request)).filter(evaluation=evaluation),
            "manage": manage,
            "record_form": record_form,
            "close_form": close_form,
        },
    )


@permission_required(Perm.PROVIDER_MANAGE)
def indexation(request: HttpRequest) -> HttpResponse:
    form = forms.IndexationForm(
        request.POST or None, initial={"year": timezone.localdate().year + 1}
    )

    def enter(data: dict[str, Any]) -> CpiIndexation:
        user = _user(request)
        if user.organisation is None:
            raise PermissionDenied
        return services.cpi_indexation_enter(actor=user, organisation=user.organisation, **data)

    if submitted := form_submit(request, form, enter, refused=ProviderError, above=True):
        return redirect("providers:indexation_detail", submitted.result.pk)
    return render(
        request,
        "providers/indexation.html",
        {
            "page_title": "Indexatie",
            "form": form,
            "indexations": selectors.indexations_for(_user(request)),
        },
    )


@permission_required(Perm.PROVIDER_MANAGE)
def indexation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_for_user(_user(request), CpiIndexation.objects.all(), pk=pk)
    if request.method == "POST":
        try:
            plan = services.cpi_indexation_apply(actor=_user(request), indexation=row)
            messages.success(
                request, f"{len(plan.prices)} prijzen geïndexeerd vanaf 1 januari {row.year}."
            )
        except ProviderError as exc:
            messages.error(request, str(exc))
        return redirect("providers:indexation_detail", row.pk)
    context: dict[str, Any] = {"page_title": f"Indexatie {row.year}", "indexation": row}
    if row.applied_at is None:
        plan = services.indexation_plan(row)
        context.update(
            plan=plan,
            rows=[
                {
                    "provider": p.product.provider.name,
                    "product": p.product.name,
                    "old": p.old.amount,
                    "new": p.new_amount,
                    "capped": p.capped,
                }
                for p in plan.prices
            ],
        )
    else:
        context["rows"] = [
            {
                "provider": r.provider_name,
                "product": r.product_name,
                "old": r.old_price,
                "new": r.new_price,
                "capped": r.capped,
            }
            for r in selectors.indexation_applied_rows(row)
        ]
        context["ceiling"] = selectors.rate_ceiling_on(row.organisation_id, dt.date(row.year, 1, 1))
    return render(request, "providers/indexation_detail.html", context)


def _create_page(
    request: HttpRequest,
    form: BaseForm,
    create: Callable[[dict[str, Any]], Any],
    *,
    done: Callable[[Any], str],
    created_page: str,
    title: str,
    submit: str,
) -> HttpResponse:
    """A page whose form creates one thing through its service (`providers/form_page.html`):
    done, to the new thing's page (`created_page`, by its pk) with `done(thing)`; on a GET,
    an invalid form or a refusal, the page again, the refusal above the form."""
    if submitted := form_submit(
        request, form, create, done=done, refused=ProviderError, above=True
    ):
        return redirect(created_page, submitted.result.pk)
    return render(
        request, "providers/form_page.html", {"page_title": title, "form": form, "submit": submit}
    )


@permission_required(Perm.PROVIDER_MANAGE)
def provider_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.ProviderForm(request.POST or None)

    def create(data: dict[str, Any]) -> Provider:
        if user.organisation is None:
            raise PermissionDenied
        return services.provider_create(
            organisation=user.organisation, contract_manager=user, actor=user, **data
        )

    return _create_page(
        request,
        form,
        create,
        done=lambda provider: f"Aanbieder {provider.name} toegevoegd.",
        created_page="providers:detail",
        title="Nieuwe aanbieder",
        submit="Aanbieder toevoegen",
    )


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _manageable_provider(request, pk)
    return _posted_on_provider(
        request,
        provider.pk,
        forms.ContractForm(request.POST),
        lambda data: services.contract_create(actor=_user(request), provider=provider, **data),
        form_name="contract_form",
        done="Raamovereenkomst vastgelegd.",
    )


@require_POST
@permission_required(Perm.BANK_ACCOUNT_MANAGE)
def bank_account_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """A new account awaiting a second person; a refusal keeps what was typed (R-SEC-6)."""
    provider = get_object_for_user(_user(request), Provider.objects.all(), pk=pk)
    form = forms.BankAccountForm(request.POST)
    if form_submit(
        request,
        form,
        lambda data: services.bank_account_propose(actor=_user(request), provider=provider, **data),
        done="De nieuwe bankrekening is vastgelegd. Een tweede medewerker moet haar bevestigen "
        "voordat er op betaald wordt.",
    ):
        return redirect("providers:detail", provider.pk)
    return _render_provider(request, provider.pk, bank_form=form)


@require_POST
@permission_required(Perm.BANK_ACCOUNT_MANAGE)
def bank_account_decide(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_for_user(_user(request), ProviderBankAccount.objects.all(), pk=pk)
    form = forms.BankAccountDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies bevestigen of afwijzen.")
    elif form.cleaned_data["decision"] == "confirm":
        service_action(
            request,
            lambda: services.bank_account_confirm(actor=_user(request), account=account),
            done="De bankrekening is bevestigd en in gebruik.",
        )
    else:
        service_action(
            request,
            lambda: services.bank_account_reject(
                actor=_user(request), account=account, note=form.cleaned_data["note"]
            ),
            done="De wijziging van de bankrekening is afgewezen.",
        )
    return redirect("providers:detail", account.provider_id)
