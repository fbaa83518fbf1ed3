"""Products and their prices: orderability, create, price, update, end (R-NET-4, R-NET-6,
R-NET-7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from opstap.accounts.models import User
from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import LadderStep, TargetGroupCode
from opstap.core.money import VAT_CODE_LABELS_NL, VatCode
from opstap.core.roles import Perm
from opstap.organisations.models import Municipality
from opstap.organisations.selectors import municipality_named
from opstap.providers.models import (
    CertificateKind,
    Contract,
    ContractStatus,
    CpiIndexation,
    PriceSource,
    PriceType,
    Product,
    ProductCode,
    ProductLadderStep,
    ProductLocation,
    ProductPrice,
    ProductStatus,
    ProductTargetGroup,
    Provider,
    ProviderStatus,
    ServiceKind,
    Tile,
    TileKind,
)
from opstap.providers.rules import money
from opstap.providers.selectors import product_price_on, rate_ceiling_on

from ._common import ProviderError, _event, _require_same_org
from .evidence import _valid_certificate

__all__ = [
    "EDITABLE_FIELDS",
    "PROPOSABLE_FIELDS",
    "LocationInput",
    "product_create",
    "product_end",
    "product_orderability",
    "product_price_set",
    "product_update",
]


def product_orderability(*, product: Product, on: dt.date) -> tuple[bool, str]:
    """Whether `product` can be ordered on `on`, with the Dutch reason if not (R-NET-2,
    R-NET-3). Called by the trajectories app when a case manager orders."""
    provider = product.provider
    if provider.status == ProviderStatus.SUSPENDED:
        return False, f"Aanbieder {provider.name} is geschorst."
    if provider.status == ProviderStatus.ENDED:
        return False, f"De deelname van aanbieder {provider.name} aan het netwerk is beëindigd."
    if product.status != ProductStatus.ACTIVE:
        return False, f"Product '{product.name}' is beëindigd."
    running = Contract.objects.filter(
        provider=provider, status=ContractStatus.ACTIVE, start_date__lte=on, end_date__gte=on
    ).exists()
    if not running:
        return False, (
            f"Aanbieder {provider.name} heeft op {on:%d-%m-%Y} geen lopende raamovereenkomst."
        )
    if (
        product.required_certificate
        and _valid_certificate(provider, product.required_certificate, on) is None
    ):
        label = CertificateKind(product.required_certificate).label
        return False, (
            f"De vereiste certificering ({label}) van {provider.name} is op "
            f"{on:%d-%m-%Y} niet geldig: het product kan niet worden besteld."
        )
    if product_price_on(product, on) is None and product.price_type != PriceType.VARIABLE:
        return False, f"Product '{product.name}' heeft op {on:%d-%m-%Y} geen geldige prijs."
    return True, ""


# --- Products and prices (R-NET-4, R-NET-6, R-NET-7) ---------------------------------------


def _check_ceiling(
    *,
    organisation_id: int,
    service_kind: str,
    price_type: str,
    amount: Decimal,
    on: dt.date,
    field: str = "price",
) -> None:
    """R-NET-7: jobcoaching and jobfinding are hourly and at most the ceiling valid on `on`."""
    if service_kind not in (ServiceKind.JOBCOACHING, ServiceKind.JOBFINDING):
        return
    if price_type != PriceType.HOURLY:
        raise ProviderError("Jobcoaching en jobfinding hebben een uurtarief.", field="price_type")
    ceiling = rate_ceiling_on(organisation_id, on)
    if ceiling is None:
        raise ProviderError(
            f"Er is op {on:%d-%m-%Y} geen maximum uurtarief vastgelegd voor jobcoaching en "
            "jobfinding; vraag de functioneel beheerder dit in te voeren.",
            field=field,
        )
    try:
        money.check_hourly_rate(
            rate=amount, ceiling=ceiling.amount, ceiling_valid_from=ceiling.valid_from
        )
    except money.MoneyRuleError as exc:
        raise ProviderError(str(exc), field=field) from exc


def _require_manager(actor: User | None, organisation_id: int) -> None:
    """Products and prices are written by contract managers of the provider's organisation
    (`providers.manage`, R-SEC-1); `actor=None` is the system (demo data, importers)."""
    if actor is None:
        return
    if not actor.has_opstap_perm(Perm.PROVIDER_MANAGE):
        raise ProviderError("Alleen een contractmanager kan producten en prijzen vastleggen.")
    _require_same_org(actor, organisation_id)


def _audit(
    *,
    actor: User | None,
    product: Product,
    action: AuditAction,
    purpose: str,
    changes: Mapping[str, Any],
) -> None:
    """The audit line of a product write (who, what, old → new)."""
    audit_log(
        action=action,
        actor=actor,
        object_type="product",
        object_id=product.pk,
        purpose=purpose[:200],
        changes=changes,
        organisation_id=product.organisation_id,
    )


def _search_text(product: Product) -> str:
    parts = [
        product.name,
        product.description,
        product.provider.name,
        product.get_service_kind_display() if product.service_kind != "general" else "",
    ]
    parts += [f"{loc.city} {loc.address}" for loc in product.locations.all()]
    parts += [t.name for t in product.tiles.all()]
    return " ".join(p for p in parts if p)


def _resolve_tiles(codes: Iterable[str]) -> list[Tile]:
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ProviderError("Kies minstens één tegel van het werklandschap.", field="tile_codes")
    found = list(Tile.objects.filter(code__in=codes, purchasable=True))
    missing = set(codes) - {t.code for t in found}
    if missing:
        raise ProviderError(
            f"Onbekende of niet-inkoopbare tegel(s): {', '.join(sorted(missing))}.",
            field="tile_codes",
        )
    if any(t.kind != TileKind.WORK for t in found) and any(t.kind == TileKind.WORK for t in found):
        raise ProviderError(
            "Combineer geen tegels van het werklandschap met werkgeverstegels.", field="tile_codes"
        )
    return found


def _check_codes(target_groups: Iterable[str], ladder_steps: Iterable[str]) -> None:
    bad_groups = set(target_groups) - {c.value for c in TargetGroupCode}
    if bad_groups:
        raise ProviderError(
            f"Onbekende doelgroep(en): {', '.join(sorted(bad_groups))}.", field="target_groups"
        )
    bad_steps = set(ladder_steps) - {s.value for s in LadderStep}
    if bad_steps:
        raise ProviderError(
            f"Onbekende trede(n): {', '.join(sorted(bad_steps))}.", field="ladder_steps"
        )


@dataclass(frozen=True)
class LocationInput:
    city: str
    address: str = ""


def _municipality_for(organisation_id: int, city: str) -> Municipality | None:
    return municipality_named(organisation_id, city)


def _check_certificate(required_certificate: str) -> None:
    if required_certificate and required_certificate not in CertificateKind.values:
        raise ProviderError(
            f"Onbekende certificering '{required_certificate}'.", field="required_certificate"
        )


def _check_vat_code(vat_code: Any) -> None:
    if vat_code not in VatCode.__members__.values():
        raise ProviderError(
            "Kies het btw-tarief: vrijgesteld, laag of hoog tarief.", field="vat_code"
        )


def _check_duration(days: Any) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ProviderError(
            "De nominale duur moet een positief aantal dagen zijn.", field="nominal_duration_days"
        )


def _check_capacity(capacity: Any) -> None:
    if capacity is None:
        return
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
        raise ProviderError(
            "De capaciteit moet positief zijn (of leeg voor onbeperkt).", field="capacity"
        )


def _check_locations(locations: Iterable[LocationInput]) -> list[LocationInput]:
    cleaned = [loc for loc in locations if loc.city.strip()]
    if not cleaned:
        raise ProviderError(
            "Geef minstens één locatie op (in de Liemers of regio Arnhem).", field="locations"
        )
    return cleaned


def _set_locations(product: Product, locations: Iterable[LocationInput]) -> None:
    ProductLocation.objects.bulk_create(
        ProductLocation(
            product=product,
            city=loc.city.strip(),
            address=loc.address.strip(),
            municipality=_municipality_for(product.organisation_id, loc.city),
        )
        for loc in locations
    )


def _set_codes(
    product: Product,
    *,
    target_groups: Iterable[str] | None = None,
    ladder_steps: Iterable[str] | None = None,
) -> None:
    if target_groups is not None:
        ProductTargetGroup.objects.bulk_create(
            ProductTargetGroup(product=product, code=c) for c in dict.fromkeys(target_groups)
        )
    if ladder_steps is not None:
        ProductLadderStep.objects.bulk_create(
            ProductLadderStep(product=product, step=s) for s in dict.fromkeys(ladder_steps)
        )


@transaction.atomic
def product_create(
    *,
    actor: User | None,
    provider: Provider,
    name: str,
    product_code: int,
    tile_codes: Iterable[str],
    price_type: str,
    price: Decimal | None,
    price_valid_from: dt.date,
    nominal_duration_days: int,
    description: str = "",
    service_kind: str = ServiceKind.GENERAL,
    locations: Iterable[LocationInput] = (),
    target_groups: Iterable[str] = (),
    ladder_steps: Iterable[str] = (),
    required_certificate: str = "",
    capacity: int | None = None,
    vat_code: str = VatCode.HIGH,
) -> Product:
    """Add a product to a provider's offer (R-NET-4); refuses hourly rates above the
    jobcoaching ceiling (R-NET-7)."""
    _require_manager(actor, provider.organisation_id)
    name = name.strip()
    if not name:
        raise ProviderError("Een product heeft een naam nodig.", field="name")
    if provider.status == ProviderStatus.ENDED:
        raise ProviderError(
            "Een beëindigde aanbieder krijgt geen nieuwe producten.", field="provider"
        )
    code = ProductCode.objects.filter(code=product_code).first()
    if code is None:
        raise ProviderError(
            f"Onbekende productcode {product_code} (kies 1 tot en met 5).", field="product_code"
        )
    if price_type not in PriceType.values:
        raise ProviderError(f"Onbekende prijssoort '{price_type}'.", field="price_type")
    if service_kind not in ServiceKind.values:
        raise ProviderError(f"Onbekende dienst '{service_kind}'.", field="service_kind")
    _check_certificate(required_certificate)
    _check_vat_code(vat_code)
    _check_duration(nominal_duration_days)
    _check_capacity(capacity)
    target_groups, ladder_steps = list(target_groups), list(ladder_steps)
    _check_codes(target_groups, ladder_steps)
    tiles = _resolve_tiles(tile_codes)
    locations = _check_locations(locations)
    if price is None:
        if price_type != PriceType.VARIABLE:
            raise ProviderError("Geef een prijs of uurtarief op.", field="price")
    else:
        try:
            price = money.check_price(price)
        except money.MoneyRuleError as exc:
            raise ProviderError(str(exc), field="price") from exc
        _check_ceiling(
            organisation_id=provider.organisation_id,
            service_kind=service_kind,
            price_type=price_type,
            amount=price,
            on=price_valid_from,
        )
    product = Product.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        name=name,
        description=description.strip(),
        product_code=code,
        price_type=price_type,
        service_kind=service_kind,
        nominal_duration_days=nominal_duration_days,
        required_certificate=required_certificate,
        capacity=capacity,
        vat_code=vat_code,
    )
    product.tiles.set(tiles)
    _set_locations(product, locations)
    _set_codes(product, target_groups=target_groups, ladder_steps=ladder_steps)
    if price is not None:
        ProductPrice.objects.create(product=product, amount=price, valid_from=price_valid_from)
    product.search_text = _search_text(product)
    product.save(update_fields=["search_text"])
    _event(
        provider=provider,
        actor=actor,
        kind="product_created",
        description=f"Product '{name}' toegevoegd.",
        data={"product_id": product.pk},
    )
    _audit(
        actor=actor,
        product=product,
        action=AuditAction.CREATE,
        purpose=f"Product '{name}' toegevoegd",
        changes={
            "provider": [None, provider.pk],
            "price": [None, str(price) if price is not None else None],
            "price_valid_from": [None, price_valid_from.isoformat()],
            "vat_code": [None, vat_code],
        },
    )
    return product


@transaction.atomic
def product_price_set(
    *,
    actor: User | None,
    product: Product,
    amount: Decimal,
    valid_from: dt.date,
    source: str = PriceSource.ENTRY,
    indexation: CpiIndexation | None = None,
) -> ProductPrice:
    """A new price from `valid_from`; the previous price ends the day before. History is
    never rewritten: a new price must start after the latest one (R-NET-6). Hourly rates of
    jobcoaching and jobfinding are at most the ceiling valid on `valid_from` (R-NET-7)."""
    _require_manager(actor, product.organisation_id)
    try:
        amount = money.check_price(amount)
    except money.MoneyRuleError as exc:
        raise ProviderError(str(exc), field="amount") from exc
    _check_ceiling(
        organisation_id=product.organisation_id,
        service_kind=product.service_kind,
        price_type=product.price_type,
        amount=amount,
        on=valid_from,
        field="amount",
    )
    latest = (
        ProductPrice.objects.select_for_update()
        .filter(product=product)
        .order_by("-valid_from")
        .first()
    )
    if latest is not None:
        if valid_from <= latest.valid_from:
            raise ProviderError(
                f"Er geldt al een prijs vanaf {latest.valid_from:%d-%m-%Y}; een nieuwe prijs "
                "moet later ingaan (eerdere prijzen blijven bewaard).",
                field="valid_from",
            )
        if latest.valid_until is None or latest.valid_until >= valid_from:
            latest.valid_until = valid_from - dt.timedelta(days=1)
            latest.save(update_fields=["valid_until"])
    price = ProductPrice.objects.create(
        product=product,
        amount=amount,
        valid_from=valid_from,
        source=source,
        indexation=indexation,
    )
    _event(
        provider=product.provider,
        actor=actor,
        kind="price_set",
        description=f"Prijs van '{product.name}' {money.format_eur(amount)} vanaf "
        f"{valid_from:%d-%m-%Y}.",
        data={"product_id": product.pk, "amount": str(amount)},
    )
    _audit(
        actor=actor,
        product=product,
        action=AuditAction.UPDATE,
        purpose=f"Prijs van '{product.name}' vanaf {valid_from:%d-%m-%Y}",
        changes={"price": [None, str(amount)], "valid_from": [None, valid_from.isoformat()]},
    )
    return price


PROPOSABLE_FIELDS = ("name", "description", "nominal_duration_days", "capacity")

#: What a contract manager may change on an existing product. Code, price type and service
#: kind are fixed (payment rules and the ceiling read them); a price is a new dated row
#: (`product_price_set`).
EDITABLE_FIELDS = (
    *PROPOSABLE_FIELDS,
    "required_certificate",
    "vat_code",
    "tile_codes",
    "target_groups",
    "ladder_steps",
    "locations",
)


def _changed_description(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """The provider's history line of a product change; a new VAT category is named, as the
    invoice check expects it from then on (R-BILL-11)."""
    if "vat_code" in new and old["vat_code"] != new["vat_code"]:
        labels = {code.value: label for code, label in VAT_CODE_LABELS_NL.items()}
        before, after = (labels.get(str(d["vat_code"]), "—") for d in (old, new))
        vat = f"btw-tarief {before} → {after}"
        return f"Product '{name}' gewijzigd: {vat}."
    return f"Product '{name}' gewijzigd."


@transaction.atomic
def product_update(*, actor: User | None, product: Product, changes: Mapping[str, Any]) -> Product:
    """Change the fields in `changes`, and only those (not the price: see
    `product_price_set`). Relations given (tiles, target groups, ladder steps, locations) are
    replaced as a whole."""
    _require_manager(actor, product.organisation_id)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ProviderError(
            f"Deze velden kunnen niet zo worden gewijzigd: {', '.join(unknown)}.",
            field=unknown[0],
        )
    product = Product.objects.select_for_update().get(pk=product.pk)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    update_fields: list[str] = []
    for name in (*PROPOSABLE_FIELDS, "required_certificate", "vat_code"):
        if name not in changes:
            continue
        value = changes[name]
        if name == "name" and not str(value).strip():
            raise ProviderError("Een product heeft een naam nodig.", field="name")
        if name == "nominal_duration_days":
            _check_duration(value)
        if name == "capacity":
            _check_capacity(value)
        if name == "required_certificate":
            value = value or ""
            _check_certificate(value)
        if name == "vat_code":
            _check_vat_code(value)
        value = value.strip() if isinstance(value, str) else value
        old[name], new[name] = getattr(product, name), value
        setattr(product, name, value)
        update_fields.append(name)
    if "tile_codes" in changes:
        tiles = _resolve_tiles(changes["tile_codes"])
        old["tile_codes"] = sorted(product.tiles.values_list("code", flat=True))
        new["tile_codes"] = sorted(t.code for t in tiles)
        product.tiles.set(tiles)
    target_groups = changes.get("target_groups")
    ladder_steps = changes.get("ladder_steps")
    if target_groups is not None or ladder_steps is not None:
        _check_codes(target_groups or (), ladder_steps or ())
    if target_groups is not None:
        old["target_groups"] = sorted(product.target_groups.values_list("code", flat=True))
        new["target_groups"] = sorted(dict.fromkeys(target_groups))
        product.target_groups.all().delete()
    if ladder_steps is not None:
        old["ladder_steps"] = sorted(product.ladder_steps.values_list("step", flat=True))
        new["ladder_steps"] = sorted(dict.fromkeys(ladder_steps))
        product.ladder_steps.all().delete()
    _set_codes(product, target_groups=target_groups, ladder_steps=ladder_steps)
    if "locations" in changes:
        locations = _check_locations(changes["locations"])
        old["locations"] = [loc.city for loc in product.locations.order_by("pk")]
        new["locations"] = [loc.city.strip() for loc in locations]
        product.locations.all().delete()
        _set_locations(product, locations)
    product.search_text = _search_text(product)
    product.save(update_fields=[*update_fields, "search_text"])
    _event(
        provider=product.provider,
        actor=actor,
        kind="product_changed",
        description=_changed_description(product.name, old, new),
        data={"product_id": product.pk, "old": old, "new": new},
    )
    _audit(
        actor=actor,
        product=product,
        action=AuditAction.UPDATE,
        purpose=f"Product '{product.name}' gewijzigd",
        changes={name: [old[name], new[name]] for name in new},
    )
    return product


@transaction.atomic
def product_end(*, actor: User | None, product: Product, reason: str) -> Product:
    if not reason.strip():
        raise ProviderError("Geef de reden van beëindiging op.")
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status == ProductStatus.ENDED:
        raise ProviderError("Dit product is al beëindigd.")
    product.status = ProductStatus.ENDED
    product.save(update_fields=["status"])
    _event(
        provider=product.provider,
        actor=actor,
        kind="product_ended",
        description=f"Product '{product.name}' beëindigd: {reason}",
    )
    return product
