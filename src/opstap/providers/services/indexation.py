"""CPI indexation of product prices under the rate ceiling (R-NET-6, R-NET-7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opstap.accounts.models import User
from opstap.core.dutch import format_date, format_percent
from opstap.organisations.models import Organisation
from opstap.providers.models import (
    Contract,
    ContractStatus,
    CpiIndexation,
    PriceSource,
    Product,
    ProductPrice,
    ProductStatus,
    ProviderStatus,
    RateCeiling,
    ServiceKind,
)
from opstap.providers.rules import money
from opstap.providers.selectors import rate_ceiling_on

from ._common import ProviderError, _event, _require_same_org

__all__ = [
    "IndexationPlan",
    "PlannedPrice",
    "cpi_indexation_apply",
    "cpi_indexation_enter",
    "indexation_plan",
]


# --- Indexation (R-NET-6, R-NET-7) ----------------------------------------------------------


@dataclass(frozen=True)
class PlannedPrice:
    product: Product
    old: ProductPrice
    new_amount: Decimal
    capped: bool


@dataclass(frozen=True)
class IndexationPlan:
    indexation: CpiIndexation
    prices: list[PlannedPrice]
    old_ceiling: RateCeiling | None
    new_ceiling: Decimal | None
    skipped_first_year: int


@transaction.atomic
def cpi_indexation_enter(
    *, actor: User, organisation: Organisation, year: int, percentage: Decimal
) -> CpiIndexation:
    """The contract manager enters the CPI percentage for `year` (R-NET-6)."""
    _require_same_org(actor, organisation.pk)
    try:
        percentage = money.check_cpi_percentage(Decimal(percentage))
    except money.MoneyRuleError as exc:
        raise ProviderError(str(exc)) from exc
    if not 2000 <= year <= 2100:
        raise ProviderError(f"Jaar {year} is niet aannemelijk.")
    existing = CpiIndexation.objects.filter(organisation=organisation, year=year).first()
    if existing is not None:
        if existing.applied_at is not None:
            raise ProviderError(
                f"De indexatie voor {year} is al toegepast; dubbel indexeren kan niet."
            )
        existing.percentage = percentage
        existing.entered_by = actor
        existing.save(update_fields=["percentage", "entered_by"])
        return existing
    return CpiIndexation.objects.create(
        organisation=organisation, year=year, percentage=percentage, entered_by=actor
    )


def indexation_plan(indexation: CpiIndexation) -> IndexationPlan:
    """What applying the indexation would do: per eligible product the price valid on
    1 January and its indexed amount; hourly jobcoaching/jobfinding rates capped at the
    indexed ceiling. Prices are fixed in the first contract year (R-NET-6)."""
    effective = money.indexation_effective_date(indexation.year)
    percentage = Decimal(indexation.percentage)
    old_ceiling = rate_ceiling_on(indexation.organisation_id, effective - dt.timedelta(days=1))
    new_ceiling = money.indexed(old_ceiling.amount, percentage) if old_ceiling else None
    contracts = {
        c.provider_id: c
        for c in Contract.objects.filter(
            organisation_id=indexation.organisation_id,
            status=ContractStatus.ACTIVE,
            end_date__gte=effective,
        )
    }
    planned: list[PlannedPrice] = []
    skipped = 0
    products = (
        Product.objects.filter(
            organisation_id=indexation.organisation_id,
            status=ProductStatus.ACTIVE,
            provider__status__in=[ProviderStatus.ACTIVE, ProviderStatus.SUSPENDED],
        )
        .select_related("provider")
        .order_by("provider__name", "name")
    )
    open_prices: dict[int, ProductPrice] = {}
    for price in (
        ProductPrice.objects.filter(product__in=products, valid_from__lt=effective)
        .exclude(valid_until__lt=effective - dt.timedelta(days=1))
        .order_by("valid_from")
    ):
        open_prices[price.product_id] = price
    starting_later = set(
        ProductPrice.objects.filter(product__in=products, valid_from__gte=effective).values_list(
            "product_id", flat=True
        )
    )
    for product in products:
        contract = contracts.get(product.provider_id)
        old = open_prices.get(product.pk)
        if contract is None or old is None or product.pk in starting_later:
            continue
        if not money.price_is_indexable(contract_start=contract.start_date, effective=effective):
            skipped += 1
            continue
        new_amount = money.indexed(old.amount, percentage)
        capped = False
        if (
            product.service_kind in (ServiceKind.JOBCOACHING, ServiceKind.JOBFINDING)
            and new_ceiling is not None
            and new_amount > new_ceiling
        ):
            new_amount, capped = new_ceiling, True
        planned.append(PlannedPrice(product=product, old=old, new_amount=new_amount, capped=capped))
    return IndexationPlan(
        indexation=indexation,
        prices=planned,
        old_ceiling=old_ceiling,
        new_ceiling=new_ceiling,
        skipped_first_year=skipped,
    )


@transaction.atomic
def cpi_indexation_apply(*, actor: User, indexation: CpiIndexation) -> IndexationPlan:
    """Apply the indexation from 1 January: new price rows, old ones end on 31 December;
    the ceiling is indexed with the same percentage. Applying twice is refused."""
    _require_same_org(actor, indexation.organisation_id)
    indexation = CpiIndexation.objects.select_for_update().get(pk=indexation.pk)
    if indexation.applied_at is not None:
        raise ProviderError(
            f"De indexatie voor {indexation.year} is al toegepast op "
            f"{timezone.localtime(indexation.applied_at):%d-%m-%Y}; dubbel indexeren kan niet."
        )
    plan = indexation_plan(indexation)
    effective = money.indexation_effective_date(indexation.year)
    day_before = effective - dt.timedelta(days=1)
    if plan.new_ceiling is not None:
        RateCeiling.objects.filter(
            organisation_id=indexation.organisation_id,
            valid_until__isnull=True,
            valid_from__lt=effective,
        ).update(valid_until=day_before)
        RateCeiling.objects.create(
            organisation_id=indexation.organisation_id,
            amount=plan.new_ceiling,
            valid_from=effective,
            indexation=indexation,
        )
    for item in plan.prices:
        ProductPrice.objects.filter(pk=item.old.pk).update(valid_until=day_before)
        ProductPrice.objects.create(
            product=item.product,
            amount=item.new_amount,
            valid_from=effective,
            source=PriceSource.INDEXATION,
            indexation=indexation,
        )
    indexation.applied_at = timezone.now()
    indexation.applied_by = actor
    indexation.save(update_fields=["applied_at", "applied_by"])
    for provider_id in {item.product.provider_id for item in plan.prices}:
        provider = next(
            i.product.provider for i in plan.prices if i.product.provider_id == provider_id
        )
        _event(
            provider=provider,
            actor=actor,
            kind="prices_indexed",
            description=f"Prijzen geïndexeerd met {format_percent(indexation.percentage)} vanaf "
            f"{format_date(effective)}.",
            data={"indexation_id": indexation.pk},
        )
    return plan
