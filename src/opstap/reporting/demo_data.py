"""The reporting part of the demo organisation (R-INT-2): SRG codes, every demo product and
placement type mapped to one, and a delivered month — the month before the demo's today for
Duiven, built, checked and marked as sent, so the page shows a sent delivery with its
checksum and validation report.

The codes are illustrative categories of the CBS guidelines (docs/srg.md): a municipality
takes the codes of the guidelines in force before its first delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opstap.providers.models import Product

from .services import (
    srg_code_save,
    srg_delivery_build,
    srg_delivery_mark_sent,
    srg_delivery_request,
    srg_placement_mapping_save,
    srg_product_mapping_save,
)
from .srg_format import PlacementType

DEMO_CODES: list[tuple[str, str]] = [
    ("SA", "Sociale activering"),
    ("SC", "Scholing en training"),
    ("WE", "Werkervaringsplaats / participatieplaats"),
    ("BG", "Begeleiding en jobcoaching"),
    ("LKS", "Loonkostensubsidie"),
    ("BW", "Beschut werk"),
    ("PL", "Plaatsing op een reguliere baan"),
    ("OV", "Overige voorziening"),
]

PLACEMENT_CODES = {
    PlacementType.REGULAR: "PL",
    PlacementType.LKS: "LKS",
    PlacementType.GARANTIEBAAN: "PL",
    PlacementType.BESCHUT_WERK: "BW",
}


def _product_code(product: Product) -> str:
    name = product.name.lower()
    if "coach" in product.service_kind or "coach" in name or "begeleid" in name:
        return "BG"
    if "scholing" in name or "training" in name or "opleiding" in name or "taal" in name:
        return "SC"
    if "activer" in name or "dagbesteding" in name or "vrijwillig" in name:
        return "SA"
    if "werkervaring" in name or "werkfit" in name or "participatie" in name:
        return "WE"
    return "OV"


def build(ctx: Any) -> None:
    admin = ctx.users["beheerder"]
    codes = {code: srg_code_save(actor=admin, code=code, name=name) for code, name in DEMO_CODES}
    products = Product.objects.filter(organisation=ctx.organisation).order_by("pk")
    for product in products.iterator():
        srg_product_mapping_save(
            actor=admin, product=product, srg_code=codes[_product_code(product)]
        )
    for kind, code in PLACEMENT_CODES.items():
        srg_placement_mapping_save(
            actor=admin,
            organisation_id=ctx.organisation.pk,
            placement_type=kind.value,
            srg_code=codes[code],
        )
    month = (ctx.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    delivery = srg_delivery_request(
        actor=admin, municipality=ctx.municipalities["Duiven"], month=month, today=ctx.today
    )
    srg_delivery_build(delivery.pk)
    delivery.refresh_from_db()
    srg_delivery_mark_sent(actor=admin, delivery=delivery, report_seen=True)
    ctx.log(
        f"SRG-levering {month:%m-%Y} Duiven verzonden: {delivery.counts.get('records', 0)} records."
    )
