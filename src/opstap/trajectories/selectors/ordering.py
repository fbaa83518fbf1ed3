"""Reads of the order form (R-TRJ-1): the products a case manager may order, each with the
terms its record gives an order (price terms, maximum hourly rate, VAT category, duration)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.core.money import VatCode
from opstap.providers.models import Product, ProductStatus
from opstap.providers.selectors import (
    price_subquery,
    product_price_on,
    product_rate_ceiling_on,
    product_rate_ceilings_on,
)
from opstap.trajectories.price_terms import OrderTerms, order_terms_nl


@dataclass(frozen=True, slots=True)
class ProductOffer:
    """One product found on the order form, with the terms an order of it gets today."""

    product: Product
    terms: OrderTerms


def product_order_terms(product: Product, *, on: dt.date) -> OrderTerms:
    """The terms an order of `product` gets on `on` (R-NET-6: the price valid that day;
    R-NET-7: the ceiling; R-BILL-11: the product's VAT category)."""
    return order_terms_nl(
        product.product_code.code,
        product_price_on(product, on),
        duration_days=product.nominal_duration_days,
        vat_code=VatCode(product.vat_code),
        rate_ceiling=product_rate_ceiling_on(product, on),
    )


def product_offers(user: Actor, query: str, *, on: dt.date, limit: int) -> list[ProductOffer]:
    """Active products `user` may order whose name or provider holds every word of `query`
    (at most `limit`, by name), each with its order terms on `on`. The price comes in the
    same statement and the ceiling once per organisation: the queries do not grow with the
    number of products found."""
    qs = (
        scoped(user, Product.objects.select_related("provider", "product_code"))
        .filter(status=ProductStatus.ACTIVE)
        .annotate(price_on=price_subquery(on))
    )
    for word in query[:100].split():
        qs = qs.filter(Q(name__icontains=word) | Q(provider__name__icontains=word))
    products = list(qs.order_by("name", "id")[:limit])
    ceilings = product_rate_ceilings_on(products, on)
    return [
        ProductOffer(
            product=p,
            terms=order_terms_nl(
                p.product_code.code,
                p.price_on,
                duration_days=p.nominal_duration_days,
                vat_code=VatCode(p.vat_code),
                rate_ceiling=ceilings[p.pk],
            ),
        )
        for p in products
    ]
