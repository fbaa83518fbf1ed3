"""Product pages of the provider network: the product page with its price history, a new
price (R-NET-6) and change proposals by provider staff, and product entry by the contract
manager (R-NET-4, R-NET-7). Split from `views` to keep that module within its size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from opstap.core.access import get_object_for_user, permission_required
from opstap.core.forms import form_submit, service_action
from opstap.core.roles import Perm

from . import forms, selectors, services
from .access import is_provider_staff
from .models import Product, ProductChangeProposal, ProductPrice
from .services import ProviderError
from .views import _create_page, _labels, _manageable_provider, _user


@permission_required(Perm.PROVIDER_VIEW)
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_product(request, pk)


def _render_product(
    request: HttpRequest, pk: int, *, bound: dict[str, BaseForm] | None = None
) -> HttpResponse:
    """The product page; `bound` holds a refused form as posted ("price_form" or
    "proposal_form"), shown again with what was typed, with status 400."""
    product = get_object_for_user(
        _user(request), Product.objects.select_related("provider", "product_code"), pk=pk
    )
    today = timezone.localdate()
    orderable, reason = services.product_orderability(product=product, on=today)
    can_propose = _user(request).has_opstap_perm(Perm.PRODUCT_PROPOSE) and is_provider_staff(
        _user(request)
    )
    return render(
        request,
        "providers/product_detail.html",
        {
            "page_title": product.name,
            "product": product,
            "labels": _labels(product),
            "prices": ProductPrice.objects.filter(product=product).order_by("-valid_from"),
            "price_today": selectors.product_price_on(product, today),
            "orderable": orderable,
            "reason": reason,
            "can_propose": can_propose,
            "proposal_form": forms.ProposalForm(),
            "price_form": forms.PriceForm(initial={"valid_from": today}),
            "vat_form": forms.VatCodeForm(initial={"vat_code": product.vat_code}),
            "manage": _user(request).has_opstap_perm(Perm.PROVIDER_MANAGE),
            "proposals": selectors.proposals_for(_user(request)).filter(product=product)
            if can_propose or _user(request).has_opstap_perm(Perm.PROVIDER_MANAGE)
            else [],
            **(bound or {}),
        },
        status=400 if bound else 200,
    )


def _product_for(request: HttpRequest, pk: int) -> Product:
    return get_object_for_user(_user(request), Product.objects.select_related("provider"), pk=pk)


def _posted_on_product(
    request: HttpRequest,
    product: Product,
    form: BaseForm,
    call: Callable[[dict[str, Any]], object],
    *,
    form_name: str,
    done: str,
) -> HttpResponse:
    """A form posted on the product page that calls one service: done, back to the page with
    `done`; invalid or refused, the page again with the form as posted (by its context name
    `form_name`) and the message at the field, status 400."""
    if form_submit(request, form, call, done=done, refused=ProviderError):
        return redirect("providers:product", product.pk)
    return _render_product(request, product.pk, bound={form_name: form})


@require_POST
@permission_required(Perm.PRODUCT_PROPOSE)
def product_propose(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_for(request, pk)
    return _posted_on_product(
        request,
        product,
        forms.ProposalForm(request.POST),
        lambda data: services.product_change_propose(
            actor=_user(request),
            product=product,
            changes={k: v for k, v in data.items() if k != "motivation"},
            motivation=data["motivation"],
        ),
        form_name="proposal_form",
        done="Uw voorstel is ingediend bij de contractmanager.",
    )


@permission_required(Perm.PROVIDER_MANAGE)
def proposal_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "providers/proposals.html",
        {
            "page_title": "Wijzigingsvoorstellen",
            "proposals": selectors.proposals_for(_user(request))[:200],
            "form": forms.DecisionForm(),
        },
    )


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_for_user(_user(request), ProductChangeProposal.objects.all(), pk=pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decide = services.product_change_approve if approve else services.product_change_reject
        service_action(
            request,
            lambda: decide(
                actor=_user(request), proposal=proposal, reason=form.cleaned_data["reason"]
            ),
            done="Voorstel goedgekeurd en doorgevoerd." if approve else "Voorstel afgewezen.",
            refused=ProviderError,
        )
    return redirect("providers:proposals")


@permission_required(Perm.PROVIDER_MANAGE)
def product_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Product entry by the contract manager (R-NET-4); rates above the ceiling are refused
    with the service's Dutch message (R-NET-7)."""
    provider = _manageable_provider(request, pk)
    tiles = selectors.tiles(on=timezone.localdate())
    form = forms.ProductForm(
        request.POST or None, tiles=tiles, initial={"price_valid_from": timezone.localdate()}
    )

    def create(cleaned: dict[str, Any]) -> Product:
        data = dict(cleaned)
        cities = [c.strip() for c in data.pop("locations").split(",") if c.strip()]
        return services.product_create(
            actor=_user(request),
            provider=provider,
            tile_codes=data.pop("tiles"),
            locations=[services.LocationInput(city=c) for c in cities],
            **data,
        )

    return _create_page(
        request,
        form,
        create,
        done=lambda product: f"Product '{product.name}' toegevoegd.",
        created_page="providers:product",
        title=f"Nieuw product voor {provider.name}",
        submit="Product toevoegen",
    )


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def product_price(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_for(request, pk)
    return _posted_on_product(
        request,
        product,
        forms.PriceForm(request.POST),
        lambda data: services.product_price_set(actor=_user(request), product=product, **data),
        form_name="price_form",
        done="Nieuwe prijs vastgelegd; de oude blijft bewaard.",
    )


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def product_vat(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract manager records the product's VAT category (R-BILL-11); trajectories
    ordered from then on keep it, earlier ones keep the one of their order."""
    product = _product_for(request, pk)
    return _posted_on_product(
        request,
        product,
        forms.VatCodeForm(request.POST),
        lambda data: services.product_update(actor=_user(request), product=product, changes=data),
        form_name="vat_form",
        done="Btw-tarief vastgelegd; het geldt voor trajecten die vanaf nu worden besteld.",
    )
