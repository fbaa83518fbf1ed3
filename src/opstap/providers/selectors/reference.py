"""Reads of the network's reference data: network settings, prices and rate ceilings on a
day, tiles (R-SEC-1 does not restrict these: they are no personal data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import (
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from opstap.providers.models import (
    NetworkSettings,
    Product,
    ProductPrice,
    RateCeiling,
    ServiceKind,
    Tile,
    TileKind,
)

#: The services whose hourly rate is capped by the ceiling (R-NET-7).
CEILING_SERVICE_KINDS = frozenset({ServiceKind.JOBCOACHING, ServiceKind.JOBFINDING})


def network_settings(organisation_id: int | None) -> NetworkSettings:
    """The organisation's network settings, or the defaults when none were saved."""
    if organisation_id is None:
        return NetworkSettings()  # the defaults, for a user outside any organisation
    found = NetworkSettings.objects.filter(organisation_id=organisation_id).first()
    return found or NetworkSettings(organisation_id=organisation_id)


# --- Prices and ceiling ---------------------------------------------------------------------


def _valid_on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def product_price_row_on(product: Product, on: dt.date) -> ProductPrice | None:
    return (
        ProductPrice.objects.filter(product=product)
        .filter(_valid_on(on))
        .order_by("-valid_from")
        .first()
    )


def product_price_on(product: Product, on: dt.date) -> Decimal | None:
    """The price (or hourly rate) valid on `on` (R-NET-6): an order uses its order date."""
    row = product_price_row_on(product, on)
    return row.amount if row is not None else None


def rate_ceiling_on(organisation_id: int, on: dt.date) -> RateCeiling | None:
    """The jobfinding/jobcoaching ceiling valid on `on` (R-NET-7): the organisation's own
    (indexed) row first, else the regional default."""
    rows = RateCeiling.objects.filter(_valid_on(on)).filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    )
    own = rows.filter(organisation_id=organisation_id).order_by("-valid_from").first()
    return own or rows.filter(organisation__isnull=True).order_by("-valid_from").first()


def product_rate_ceiling_on(product: Product, on: dt.date) -> Decimal | None:
    """The maximum hourly rate that applies to `product` on `on` (R-NET-7): the ceiling for
    jobcoaching and jobfinding; None for other services or when none is recorded."""
    if product.service_kind not in CEILING_SERVICE_KINDS:
        return None
    ceiling = rate_ceiling_on(product.provider.organisation_id, on)
    return ceiling.amount if ceiling is not None else None


def product_rate_ceilings_on(products: Sequence[Product], on: dt.date) -> dict[int, Decimal | None]:
    """`product_rate_ceiling_on` for many products by product id, reading the ceiling once
    per organisation (a list of products costs the same queries for 2 or 20)."""
    capped = [p for p in products if p.service_kind in CEILING_SERVICE_KINDS]
    amounts: dict[int, Decimal | None] = {}
    for organisation_id in {p.provider.organisation_id for p in capped}:
        ceiling = rate_ceiling_on(organisation_id, on)
        amounts[organisation_id] = ceiling.amount if ceiling is not None else None
    return {
        p.pk: (
            amounts[p.provider.organisation_id] if p.service_kind in CEILING_SERVICE_KINDS else None
        )
        for p in products
    }


def price_subquery(on: dt.date) -> Subquery:
    return Subquery(
        ProductPrice.objects.filter(product=OuterRef("pk"))
        .filter(_valid_on(on))
        .order_by("-valid_from")
        .values("amount")[:1],
        output_field=DecimalField(max_digits=10, decimal_places=2),
    )


# --- Reference data -------------------------------------------------------------------------


def tiles(*, on: dt.date, kind: str | None = None, purchasable_only: bool = True) -> QuerySet[Tile]:
    qs = Tile.objects.filter(_valid_on(on))
    if kind:
        qs = qs.filter(kind=kind)
    if purchasable_only:
        qs = qs.filter(purchasable=True)
    return qs.order_by("kind", "number")


def work_tiles(on: dt.date) -> QuerySet[Tile]:
    return tiles(on=on, kind=TileKind.WORK)


def aim_tile_choices(on: dt.date) -> list[tuple[str, str]]:
    """The tiles an order can aim at (R-NET-1, R-TRJ-1), as (code, label): the purchasable
    tiles valid on `on`, the work landscape first in the sources' order ("3. Oriëntatie op de
    arbeidsmarkt (EW05)" before "4. Werkfit (EW04)"), then the employer instruments. The
    order form listed every tile by code: the employer instruments first, EW04 before EW05,
    the unpurchasable EW01 Melding among them and tiles whose validity had ended."""
    ordered = sorted(tiles(on=on), key=lambda t: (t.kind != TileKind.WORK, t.number))
    return [(t.code, f"{t} ({t.code})" if t.kind == TileKind.WORK else str(t)) for t in ordered]


def aim_tile_labels(codes: Sequence[str]) -> list[str]:
    """The aim tiles of a trajectory as the order form names them ("3. Oriëntatie op de
    arbeidsmarkt (EW05)"), in the sources' order, in one query; a code no longer in the
    reference data stays as its code. The trajectory page showed the bare codes."""
    known = {t.code: t for t in Tile.objects.filter(code__in=list(codes))}
    ordered = sorted(
        codes,
        key=lambda c: (
            (known[c].kind != TileKind.WORK, known[c].number) if c in known else (True, 99)
        ),
    )
    return [
        (f"{known[c]} ({c})" if known[c].kind == TileKind.WORK else str(known[c]))
        if c in known
        else c
        for c in ordered
    ]
