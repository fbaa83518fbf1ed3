"""State changes of the provider network (spec section 3, R-NET-1..9).

One function per state change, keyword-only arguments, validated with the pure rules in
`providers.rules`, written inside `transaction.atomic()`, recording a `ProviderEvent`. Domain
errors raise `ProviderError` with a Dutch message for the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from opstap.accounts.models import User
from opstap.accounts.roles import Perm, RoleCode
from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.ladder import LadderStep
from opstap.clients.target_groups import TargetGroupCode
from opstap.documents import uploads
from opstap.notifications.services import NotificationError, notification_send
from opstap.organisations.models import Municipality, Organisation

from .models import (
    CertificateKind,
    Contract,
    ContractExtension,
    ContractStatus,
    CpiIndexation,
    Evaluation,
    EvaluationOutcome,
    EvaluationStatus,
    Evidence,
    EvidenceKind,
    NetworkSettings,
    PriceSource,
    PriceType,
    Product,
    ProductChangeProposal,
    ProductCode,
    ProductLadderStep,
    ProductLocation,
    ProductPrice,
    ProductStatus,
    ProductTargetGroup,
    ProposalStatus,
    Provider,
    ProviderEvent,
    ProviderMembership,
    ProviderStatus,
    RateCeiling,
    ServiceKind,
    Signal,
    Tile,
    TileKind,
)
from .rules import contracts as contract_rules
from .rules import money
from .rules import network as network_rules
from .selectors import network_settings, product_price_on, rate_ceiling_on

__all__ = ["ProviderError", "product_orderability", "product_price_on", "rate_ceiling_on"]


class ProviderError(Exception):
    """A request about providers that cannot be honoured; the message is for the user."""


def _event(
    *,
    provider: Provider,
    actor: User | None,
    kind: str,
    description: str,
    data: Mapping[str, Any] | None = None,
) -> ProviderEvent:
    return ProviderEvent.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        actor=actor,
        kind=kind,
        description=description,
        data=dict(data or {}),
    )


def _require_same_org(actor: User, organisation_id: int) -> None:
    if actor.organisation_id != organisation_id:
        raise ProviderError("Dit gegeven hoort bij een andere organisatie.")


# --- Providers and staff --------------------------------------------------------------------


@transaction.atomic
def provider_create(
    *,
    organisation: Organisation,
    name: str,
    contract_manager: User | None = None,
    city: str = "",
    kvk_number: str = "",
    email: str = "",
    is_roc: bool = False,
    joined_on: dt.date | None = None,
    actor: User | None = None,
) -> Provider:
    name = name.strip()
    if not name:
        raise ProviderError("Een aanbieder heeft een naam nodig.")
    if Provider.objects.for_organisation(organisation).filter(name=name).exists():
        raise ProviderError(f"Aanbieder '{name}' bestaat al.")
    if contract_manager is not None and contract_manager.organisation_id != organisation.pk:
        raise ProviderError("De contractmanager hoort niet bij deze organisatie.")
    provider = Provider.objects.create(
        organisation=organisation,
        name=name,
        contract_manager=contract_manager,
        city=city,
        kvk_number=kvk_number,
        email=email,
        is_roc=is_roc,
        joined_on=joined_on or timezone.localdate(),
    )
    _event(
        provider=provider,
        actor=actor,
        kind="provider_created",
        description=f"Aanbieder {name} toegevoegd aan het netwerk.",
    )
    return provider


@transaction.atomic
def provider_add_staff(*, provider: Provider, user: User) -> ProviderMembership:
    if user.organisation_id != provider.organisation_id:
        raise ProviderError("Gebruiker en aanbieder horen niet bij dezelfde organisatie.")
    if not user.has_role(RoleCode.PROVIDER_STAFF):
        raise ProviderError(
            "Alleen gebruikers met de rol 'Medewerker aanbieder' kunnen "
            "aan een aanbieder worden gekoppeld."
        )
    if ProviderMembership.objects.filter(user=user).exists():
        raise ProviderError("Deze gebruiker werkt al voor een aanbieder.")
    return ProviderMembership.objects.create(provider=provider, user=user)


@transaction.atomic
def provider_set_contract_manager(
    *, actor: User, provider: Provider, contract_manager: User
) -> Provider:
    _require_same_org(actor, provider.organisation_id)
    if contract_manager.organisation_id != provider.organisation_id:
        raise ProviderError("De contractmanager hoort niet bij deze organisatie.")
    if not contract_manager.has_opstap_perm(Perm.PROVIDER_MANAGE):
        raise ProviderError("Deze gebruiker is geen contractmanager.")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    old = provider.contract_manager_id
    provider.contract_manager = contract_manager
    provider.save(update_fields=["contract_manager"])
    _event(
        provider=provider,
        actor=actor,
        kind="contract_manager_changed",
        description=f"Contractmanager is nu {contract_manager.display_name}.",
        data={"old": old, "new": contract_manager.pk},
    )
    return provider


@transaction.atomic
def provider_set_status(*, actor: User, provider: Provider, status: str, reason: str) -> Provider:
    """Suspend or reactivate a provider (ending goes through `provider_end_participation`)."""
    _require_same_org(actor, provider.organisation_id)
    if status not in (ProviderStatus.ACTIVE, ProviderStatus.SUSPENDED):
        raise ProviderError("Kies 'actief' of 'geschorst'; beëindigen gaat apart.")
    if not reason.strip():
        raise ProviderError("Geef een reden op.")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.status == ProviderStatus.ENDED:
        raise ProviderError("De deelname van deze aanbieder is beëindigd.")
    old = provider.status
    provider.status = status
    provider.save(update_fields=["status"])
    _event(
        provider=provider,
        actor=actor,
        kind="status_changed",
        description=f"Status {old} → {status}: {reason}",
        data={"old": old, "new": status},
    )
    return provider


# --- Evidence (R-NET-2) ---------------------------------------------------------------------


@transaction.atomic
def evidence_register(
    *,
    actor: User | None,
    provider: Provider,
    kind: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    certificate_kind: str = "",
    staff_name: str = "",
    description: str = "",
    document: File[Any] | None = None,
) -> Evidence:
    if kind not in EvidenceKind.values:
        raise ProviderError(f"Onbekende soort bewijsstuk '{kind}'.")
    if kind == EvidenceKind.CERTIFICATE and certificate_kind not in CertificateKind.values:
        raise ProviderError("Geef bij een certificering de beroepsgroep op.")
    if kind != EvidenceKind.CERTIFICATE:
        certificate_kind = ""
    if kind == EvidenceKind.VOG and not staff_name.strip():
        raise ProviderError("Een VOG hoort bij een medewerker: vul de naam in.")
    if valid_until is not None and valid_until < valid_from:
        raise ProviderError("'Geldig tot en met' ligt voor 'geldig vanaf'.")
    if kind == EvidenceKind.REFERENCE and provider.is_roc:
        raise ProviderError("Een ROC is vrijgesteld van de referentie-eis.")
    if actor is not None:
        _require_same_org(actor, provider.organisation_id)
    if document is not None:
        try:
            uploads.check_upload(document, allowed=uploads.PDF_ONLY)
        except uploads.UploadRefusedError as exc:
            raise ProviderError(str(exc)) from exc
    evidence = Evidence(
        organisation_id=provider.organisation_id,
        provider=provider,
        kind=kind,
        certificate_kind=certificate_kind,
        staff_name=staff_name.strip(),
        description=description.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if document is not None:
        evidence.document.save(
            getattr(document, "name", None) or "bewijs.pdf", document, save=False
        )
    evidence.save()
    _event(
        provider=provider,
        actor=actor,
        kind="evidence_registered",
        description=f"Bewijsstuk {evidence.get_kind_display()} geregistreerd.",
        data={"evidence_id": evidence.pk, "valid_until": str(valid_until or "")},
    )
    return evidence


def _valid_certificate(provider: Provider, certificate_kind: str, on: dt.date) -> Evidence | None:
    return (
        Evidence.objects.filter(
            provider=provider,
            kind=EvidenceKind.CERTIFICATE,
            certificate_kind=certificate_kind,
            valid_from__lte=on,
        )
        .exclude(valid_until__lt=on)
        .order_by("-valid_from")
        .first()
    )


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


# --- Contracts (R-NET-3) --------------------------------------------------------------------


@transaction.atomic
def contract_create(
    *,
    actor: User | None,
    provider: Provider,
    reference: str,
    start_date: dt.date,
    terms_granted: int = 1,
) -> Contract:
    reference = reference.strip()
    if not reference:
        raise ProviderError("Een contract heeft een kenmerk nodig.")
    if not 1 <= terms_granted <= contract_rules.MAX_TERMS:
        raise ProviderError("Een contract kent 1 tot en met 4 termijnen (1+1+1+1 jaar).")
    if Contract.objects.filter(provider=provider, status=ContractStatus.ACTIVE).exists():
        raise ProviderError(f"{provider.name} heeft al een lopende raamovereenkomst.")
    if Contract.objects.filter(
        organisation_id=provider.organisation_id, reference=reference
    ).exists():
        raise ProviderError(f"Kenmerk '{reference}' is al in gebruik.")
    contract = Contract.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        reference=reference,
        start_date=start_date,
        terms_granted=terms_granted,
        end_date=contract_rules.contract_end(start_date, terms_granted),
    )
    _event(
        provider=provider,
        actor=actor,
        kind="contract_created",
        description=f"Raamovereenkomst {reference} vanaf {start_date:%d-%m-%Y}.",
    )
    return contract


@transaction.atomic
def contract_extend(
    *,
    actor: User,
    contract: Contract,
    decided_on: dt.date,
    provider_consent: bool,
    organisation_consent: bool,
    note: str = "",
) -> ContractExtension:
    """Record an extension by mutual consent, at the latest 2 months before the term ends."""
    _require_same_org(actor, contract.organisation_id)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise ProviderError("Een beëindigd contract kan niet worden verlengd.")
    try:
        new_term = contract_rules.check_extension(
            start=contract.start_date,
            terms_granted=contract.terms_granted,
            on=decided_on,
            provider_consent=provider_consent,
            organisation_consent=organisation_consent,
        )
    except contract_rules.ContractRuleError as exc:
        raise ProviderError(str(exc)) from exc
    extension = ContractExtension.objects.create(
        contract=contract,
        term_number=new_term.number,
        new_end_date=new_term.end,
        decided_on=decided_on,
        provider_consent=provider_consent,
        organisation_consent=organisation_consent,
        note=note.strip(),
        recorded_by=actor,
    )
    contract.terms_granted = new_term.number
    contract.end_date = new_term.end
    contract.save(update_fields=["terms_granted", "end_date"])
    _event(
        provider=contract.provider,
        actor=actor,
        kind="contract_extended",
        description=f"Contract {contract.reference} verlengd tot {new_term.end:%d-%m-%Y}.",
        data={"term": new_term.number},
    )
    return extension


@transaction.atomic
def contract_end(
    *, actor: User | None, contract: Contract, ended_on: dt.date, reason: str
) -> Contract:
    """End a contract; the row and its extensions stay as history."""
    if not reason.strip():
        raise ProviderError("Geef de reden van beëindiging op.")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status == ContractStatus.ENDED:
        raise ProviderError("Dit contract is al beëindigd.")
    contract.status = ContractStatus.ENDED
    contract.ended_on = ended_on
    contract.end_reason = reason.strip()
    contract.end_date = min(contract.end_date, ended_on)
    contract.save(update_fields=["status", "ended_on", "end_reason", "end_date"])
    _event(
        provider=contract.provider,
        actor=actor,
        kind="contract_ended",
        description=f"Contract {contract.reference} beëindigd: {reason}",
    )
    return contract


# --- Products and prices (R-NET-4, R-NET-6, R-NET-7) ---------------------------------------


def _check_ceiling(
    *,
    organisation_id: int,
    service_kind: str,
    price_type: str,
    amount: Decimal,
    on: dt.date,
) -> None:
    if service_kind not in (ServiceKind.JOBCOACHING, ServiceKind.JOBFINDING):
        return
    if price_type != PriceType.HOURLY:
        raise ProviderError("Jobcoaching en jobfinding hebben een uurtarief.")
    ceiling = rate_ceiling_on(organisation_id, on)
    if ceiling is None:
        raise ProviderError(
            f"Er is op {on:%d-%m-%Y} geen maximum uurtarief vastgelegd voor jobcoaching en "
            "jobfinding; vraag de functioneel beheerder dit in te voeren."
        )
    try:
        money.check_hourly_rate(
            rate=amount, ceiling=ceiling.amount, ceiling_valid_from=ceiling.valid_from
        )
    except money.MoneyRuleError as exc:
        raise ProviderError(str(exc)) from exc


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
        raise ProviderError("Kies minstens één tegel van het werklandschap.")
    found = list(Tile.objects.filter(code__in=codes, purchasable=True))
    missing = set(codes) - {t.code for t in found}
    if missing:
        raise ProviderError(f"Onbekende of niet-inkoopbare tegel(s): {', '.join(sorted(missing))}.")
    return found


def _check_codes(target_groups: Iterable[str], ladder_steps: Iterable[str]) -> None:
    bad_groups = set(target_groups) - {c.value for c in TargetGroupCode}
    if bad_groups:
        raise ProviderError(f"Onbekende doelgroep(en): {', '.join(sorted(bad_groups))}.")
    bad_steps = set(ladder_steps) - {s.value for s in LadderStep}
    if bad_steps:
        raise ProviderError(f"Onbekende trede(n): {', '.join(sorted(bad_steps))}.")


@dataclass(frozen=True)
class LocationInput:
    city: str
    address: str = ""


def _municipality_for(organisation_id: int, city: str) -> Municipality | None:
    return Municipality.objects.filter(
        organisation_id=organisation_id, name__iexact=city.strip()
    ).first()


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
) -> Product:
    """Add a product to a provider's offer (R-NET-4); refuses hourly rates above the
    jobcoaching ceiling (R-NET-7)."""
    name = name.strip()
    if not name:
        raise ProviderError("Een product heeft een naam nodig.")
    if actor is not None:
        _require_same_org(actor, provider.organisation_id)
    if provider.status == ProviderStatus.ENDED:
        raise ProviderError("Een beëindigde aanbieder krijgt geen nieuwe producten.")
    code = ProductCode.objects.filter(code=product_code).first()
    if code is None:
        raise ProviderError(f"Onbekende productcode {product_code} (kies 1 tot en met 5).")
    if price_type not in PriceType.values:
        raise ProviderError(f"Onbekende prijssoort '{price_type}'.")
    if service_kind not in ServiceKind.values:
        raise ProviderError(f"Onbekende dienst '{service_kind}'.")
    if required_certificate and required_certificate not in CertificateKind.values:
        raise ProviderError(f"Onbekende certificering '{required_certificate}'.")
    if nominal_duration_days <= 0:
        raise ProviderError("De nominale duur moet minstens 1 dag zijn.")
    if capacity is not None and capacity <= 0:
        raise ProviderError("De capaciteit moet positief zijn (of leeg voor onbeperkt).")
    target_groups, ladder_steps = list(target_groups), list(ladder_steps)
    _check_codes(target_groups, ladder_steps)
    tiles = _resolve_tiles(tile_codes)
    if any(t.kind != TileKind.WORK for t in tiles) and any(t.kind == TileKind.WORK for t in tiles):
        raise ProviderError("Combineer geen tegels van het werklandschap met werkgeverstegels.")
    locations = list(locations)
    if not locations:
        raise ProviderError("Geef minstens één locatie op (in de Liemers of regio Arnhem).")
    if price is None:
        if price_type != PriceType.VARIABLE:
            raise ProviderError("Geef een prijs of uurtarief op.")
    else:
        try:
            price = money.check_price(price)
        except money.MoneyRuleError as exc:
            raise ProviderError(str(exc)) from exc
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
    )
    product.tiles.set(tiles)
    ProductLocation.objects.bulk_create(
        ProductLocation(
            product=product,
            city=loc.city.strip(),
            address=loc.address.strip(),
            municipality=_municipality_for(provider.organisation_id, loc.city),
        )
        for loc in locations
    )
    ProductTargetGroup.objects.bulk_create(
        ProductTargetGroup(product=product, code=c) for c in dict.fromkeys(target_groups)
    )
    ProductLadderStep.objects.bulk_create(
        ProductLadderStep(product=product, step=s) for s in dict.fromkeys(ladder_steps)
    )
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
    never rewritten: a new price must start after the latest one (R-NET-6)."""
    try:
        amount = money.check_price(amount)
    except money.MoneyRuleError as exc:
        raise ProviderError(str(exc)) from exc
    _check_ceiling(
        organisation_id=product.organisation_id,
        service_kind=product.service_kind,
        price_type=product.price_type,
        amount=amount,
        on=valid_from,
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
                "moet later ingaan (eerdere prijzen blijven bewaard)."
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
    return price


PROPOSABLE_FIELDS = ("name", "description", "nominal_duration_days", "capacity")


@transaction.atomic
def product_update(*, actor: User | None, product: Product, changes: Mapping[str, Any]) -> Product:
    """Change descriptive fields of a product (not its price: see `product_price_set`)."""
    unknown = set(changes) - set(PROPOSABLE_FIELDS)
    if unknown:
        raise ProviderError(f"Deze velden kunnen niet zo worden gewijzigd: {', '.join(unknown)}.")
    product = Product.objects.select_for_update().get(pk=product.pk)
    old: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "name" and not str(value).strip():
            raise ProviderError("Een product heeft een naam nodig.")
        if name == "nominal_duration_days" and (not isinstance(value, int) or value <= 0):
            raise ProviderError("De nominale duur moet een positief aantal dagen zijn.")
        if name == "capacity" and value is not None and (not isinstance(value, int) or value <= 0):
            raise ProviderError("De capaciteit moet positief zijn (of leeg voor onbeperkt).")
        old[name] = getattr(product, name)
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    product.search_text = _search_text(product)
    product.save()
    _event(
        provider=product.provider,
        actor=actor,
        kind="product_changed",
        description=f"Product '{product.name}' gewijzigd.",
        data={"product_id": product.pk, "old": old, "new": dict(changes)},
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


# --- Change proposals by provider staff -----------------------------------------------------


def _clean_proposal(changes: Mapping[str, Any]) -> dict[str, Any]:
    allowed = (*PROPOSABLE_FIELDS, "price", "price_valid_from")
    cleaned = {k: v for k, v in changes.items() if k in allowed and v not in (None, "")}
    if not cleaned:
        raise ProviderError("Het voorstel bevat geen wijziging.")
    if ("price" in cleaned) != ("price_valid_from" in cleaned):
        raise ProviderError("Een nieuwe prijs heeft een ingangsdatum nodig (en omgekeerd).")
    if "price" in cleaned:
        try:
            cleaned["price"] = str(money.check_price(Decimal(str(cleaned["price"]))))
            cleaned["price_valid_from"] = dt.date.fromisoformat(
                str(cleaned["price_valid_from"])
            ).isoformat()
        except (money.MoneyRuleError, ValueError) as exc:
            raise ProviderError(f"Ongeldige prijs of ingangsdatum: {exc}") from exc
    for key in ("nominal_duration_days", "capacity"):
        if key in cleaned:
            try:
                cleaned[key] = int(cleaned[key])
            except (TypeError, ValueError) as exc:
                raise ProviderError(f"'{key}' moet een geheel getal zijn.") from exc
    return cleaned


@transaction.atomic
def product_change_propose(
    *, actor: User, product: Product, changes: Mapping[str, Any], motivation: str = ""
) -> ProductChangeProposal:
    membership = getattr(actor, "provider_membership", None)
    if membership is None or membership.provider_id != product.provider_id:
        raise ProviderError(
            "U kunt alleen wijzigingen voorstellen voor producten van uw eigen organisatie."
        )
    cleaned = _clean_proposal(changes)
    if "price" in cleaned:
        _check_ceiling(
            organisation_id=product.organisation_id,
            service_kind=product.service_kind,
            price_type=product.price_type,
            amount=Decimal(cleaned["price"]),
            on=dt.date.fromisoformat(cleaned["price_valid_from"]),
        )
    proposal = ProductChangeProposal.objects.create(
        organisation_id=product.organisation_id,
        product=product,
        changes=cleaned,
        motivation=motivation.strip(),
        proposed_by=actor,
    )
    _event(
        provider=product.provider,
        actor=actor,
        kind="proposal_submitted",
        description=f"Wijzigingsvoorstel voor '{product.name}'.",
        data={"proposal_id": proposal.pk},
    )
    manager = product.provider.contract_manager
    if manager is not None:
        _notify(
            recipient=manager,
            title=f"Wijzigingsvoorstel van {product.provider.name}",
            body=f"Voorstel voor product '{product.name}'.",
            url=reverse("providers:proposals"),
        )
    return proposal


def _pending_proposal(proposal: ProductChangeProposal) -> ProductChangeProposal:
    proposal = ProductChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ProviderError("Over dit voorstel is al besloten.")
    return proposal


@transaction.atomic
def product_change_approve(
    *, actor: User, proposal: ProductChangeProposal, reason: str = ""
) -> ProductChangeProposal:
    _require_same_org(actor, proposal.organisation_id)
    proposal = _pending_proposal(proposal)
    changes = dict(proposal.changes)
    price = changes.pop("price", None)
    valid_from = changes.pop("price_valid_from", None)
    if changes:
        product_update(actor=actor, product=proposal.product, changes=changes)
    if price is not None and valid_from is not None:
        product_price_set(
            actor=actor,
            product=proposal.product,
            amount=Decimal(price),
            valid_from=dt.date.fromisoformat(valid_from),
            source=PriceSource.PROPOSAL,
        )
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _event(
        provider=proposal.product.provider,
        actor=actor,
        kind="proposal_approved",
        description=f"Wijzigingsvoorstel voor '{proposal.product.name}' goedgekeurd.",
    )
    return proposal


@transaction.atomic
def product_change_reject(
    *, actor: User, proposal: ProductChangeProposal, reason: str
) -> ProductChangeProposal:
    _require_same_org(actor, proposal.organisation_id)
    if not reason.strip():
        raise ProviderError("Motiveer de afwijzing.")
    proposal = _pending_proposal(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _event(
        provider=proposal.product.provider,
        actor=actor,
        kind="proposal_rejected",
        description=f"Wijzigingsvoorstel voor '{proposal.product.name}' afgewezen: {reason}",
    )
    return proposal


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
            description=f"Prijzen geïndexeerd met {indexation.percentage}% vanaf "
            f"{effective:%d-%m-%Y}.",
            data={"indexation_id": indexation.pk},
        )
    return plan


# --- Activity and inactivity (R-NET-8) -------------------------------------------------------


@transaction.atomic
def provider_record_activity(*, provider: Provider, on: dt.date) -> Provider:
    """Called when a provider performs an activity for a client (trajectories will call it)."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.last_activity_on is None or on > provider.last_activity_on:
        provider.last_activity_on = on
        provider.inactivity_flagged_on = None
        provider.save(update_fields=["last_activity_on", "inactivity_flagged_on"])
    return provider


@transaction.atomic
def providers_flag_inactive(*, organisation: Organisation, on: dt.date) -> list[Provider]:
    """Flag active providers without activity for the configured months and notify their
    contract manager (R-NET-8). Idempotent: a flagged provider is not flagged again."""
    months = network_settings(organisation.pk).inactivity_months
    flagged = []
    candidates = Provider.objects.select_for_update().filter(
        organisation=organisation,
        status=ProviderStatus.ACTIVE,
        inactivity_flagged_on__isnull=True,
    )
    for provider in candidates:
        if network_rules.is_inactive(
            last_activity_on=provider.last_activity_on,
            active_since=provider.joined_on or on,
            on=on,
            months=months,
        ):
            provider.inactivity_flagged_on = on
            provider.save(update_fields=["inactivity_flagged_on"])
            _event(
                provider=provider,
                actor=None,
                kind="inactivity_flagged",
                description=f"{months} maanden geen activiteit: deelname vervalt na "
                "bevestiging door de contractmanager.",
            )
            if provider.contract_manager is not None:
                _notify(
                    recipient=provider.contract_manager,
                    title=f"{provider.name}: {months} maanden geen activiteit",
                    body="Bevestig het einde van de deelname aan het netwerk.",
                    url=reverse("providers:detail", args=[provider.pk]),
                )
            flagged.append(provider)
    return flagged


@transaction.atomic
def provider_end_participation(
    *, actor: User, provider: Provider, ended_on: dt.date, reason: str
) -> Provider:
    """The contract manager confirms the end of network participation: the provider, its
    running contract and its products end; history stays (R-NET-8, R-NET-9)."""
    _require_same_org(actor, provider.organisation_id)
    if not reason.strip():
        raise ProviderError("Geef de reden van beëindiging op.")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.status == ProviderStatus.ENDED:
        raise ProviderError("De deelname van deze aanbieder is al beëindigd.")
    for contract in Contract.objects.filter(provider=provider, status=ContractStatus.ACTIVE):
        contract_end(actor=actor, contract=contract, ended_on=ended_on, reason=reason)
    Product.objects.filter(provider=provider, status=ProductStatus.ACTIVE).update(
        status=ProductStatus.ENDED
    )
    provider.status = ProviderStatus.ENDED
    provider.ended_on = ended_on
    provider.end_reason = reason.strip()
    provider.save(update_fields=["status", "ended_on", "end_reason"])
    _event(
        provider=provider,
        actor=actor,
        kind="participation_ended",
        description=f"Deelname aan het netwerk beëindigd per {ended_on:%d-%m-%Y}: {reason}",
    )
    return provider


# --- Notifications, signals and evaluations (R-NET-9) ---------------------------------------


def _notify(*, recipient: User, title: str, body: str, url: str = "") -> None:
    """In-app notification plus e-mail for one user, e.g. the contract manager (R-NET-9)."""
    try:
        notification_send(recipient=recipient, title=title, body=body, url=url)
    except NotificationError as exc:
        raise ProviderError(exc.message) from exc


@transaction.atomic
def signal_register(
    *,
    actor: User,
    provider: Provider,
    description: str,
    on: dt.date | None = None,
    product: Product | None = None,
    client_id: int | None = None,
) -> Signal:
    """A case manager registers dissatisfaction about a provider (optionally on a case). The
    contract manager is notified; reaching the threshold opens an evaluation (R-NET-9)."""
    _require_same_org(actor, provider.organisation_id)
    if not actor.has_opstap_perm(Perm.PROVIDER_SIGNAL):
        raise ProviderError("U mag geen signalen van ontevredenheid registreren.")
    if not description.strip():
        raise ProviderError("Beschrijf waarover u ontevreden bent.")
    if product is not None and product.provider_id != provider.pk:
        raise ProviderError("Dit product hoort niet bij deze aanbieder.")
    if client_id is not None:
        # R-SEC-1: a client named by id must be one the actor may see.
        from opstap.clients.selectors import clients_for

        if not clients_for(actor).filter(pk=client_id).exists():
            raise ProviderError("Deze klant is niet gevonden of u heeft er geen toegang toe.")
    on = on or timezone.localdate()
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    signal = Signal.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        product=product,
        client_id=client_id,
        description=description.strip(),
        registered_by=actor,
        registered_on=on,
    )
    if client_id is not None:
        # A signal on a client case links that client to a provider complaint (R-SEC-2).
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            object_type="providers.signal",
            object_id=signal.pk,
            client_id=client_id,
            purpose="Signaal van ontevredenheid over aanbieder",
            changes={"provider_id": provider.pk, "description": signal.description},
        )
    _event(
        provider=provider,
        actor=actor,
        kind="signal_registered",
        description="Signaal van ontevredenheid geregistreerd.",
        data={"signal_id": signal.pk},
    )
    if provider.contract_manager is not None:
        _notify(
            recipient=provider.contract_manager,
            title=f"Signaal van ontevredenheid over {provider.name}",
            body=f"{actor.display_name}: {description.strip()[:300]}",
            url=reverse("providers:detail", args=[provider.pk]),
        )
    settings_row: NetworkSettings = network_settings(provider.organisation_id)
    open_evaluation = Evaluation.objects.filter(
        provider=provider, status=EvaluationStatus.OPEN
    ).first()
    dates = list(
        Signal.objects.filter(
            provider=provider,
            registered_on__gt=network_rules.signal_window_start(
                on, settings_row.signal_window_months
            ),
        ).values_list("registered_on", flat=True)
    )
    decision = network_rules.signal_threshold_reached(
        signal_dates=dates,
        on=on,
        threshold=settings_row.signal_threshold,
        window_months=settings_row.signal_window_months,
        evaluation_open=open_evaluation is not None,
    )
    if decision.open_evaluation:
        open_evaluation = evaluation_open(
            actor=actor,
            provider=provider,
            on=on,
            reason=f"{decision.count_in_window} signalen van ontevredenheid in "
            f"{settings_row.signal_window_months} maanden (drempel "
            f"{settings_row.signal_threshold}).",
        )
        Signal.objects.filter(
            provider=provider, evaluation__isnull=True, registered_on__in=dates
        ).update(evaluation=open_evaluation)
    elif open_evaluation is not None:
        Signal.objects.filter(pk=signal.pk).update(evaluation=open_evaluation)
    signal.refresh_from_db()
    return signal


@transaction.atomic
def evaluation_open(
    *, actor: User, provider: Provider, reason: str, on: dt.date | None = None
) -> Evaluation:
    _require_same_org(actor, provider.organisation_id)
    if not reason.strip():
        raise ProviderError("Geef de aanleiding van de evaluatie op.")
    if Evaluation.objects.filter(provider=provider, status=EvaluationStatus.OPEN).exists():
        raise ProviderError(f"Er loopt al een evaluatie met {provider.name}.")
    evaluation = Evaluation.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        opened_on=on or timezone.localdate(),
        reason=reason.strip(),
    )
    _event(
        provider=provider,
        actor=actor,
        kind="evaluation_opened",
        description=f"Evaluatie geopend: {reason}",
        data={"evaluation_id": evaluation.pk},
    )
    if provider.contract_manager is not None:
        _notify(
            recipient=provider.contract_manager,
            title=f"Evaluatie geopend met {provider.name}",
            body=reason,
            url=reverse("providers:evaluation", args=[evaluation.pk]),
        )
    return evaluation


@transaction.atomic
def evaluation_record(
    *,
    actor: User,
    evaluation: Evaluation,
    held_on: dt.date,
    report: str,
    improvement_actions: str,
) -> Evaluation:
    """Record the evaluation meeting in writing, with its improvement actions."""
    _require_same_org(actor, evaluation.organisation_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.OPEN:
        raise ProviderError("Deze evaluatie is afgerond en kan niet meer worden gewijzigd.")
    if not report.strip():
        raise ProviderError("Leg het gesprek schriftelijk vast (verslag).")
    if not improvement_actions.strip():
        raise ProviderError("Leg de afgesproken verbeteracties vast.")
    old = {"report": evaluation.report, "improvement_actions": evaluation.improvement_actions}
    evaluation.held_on = held_on
    evaluation.report = report.strip()
    evaluation.improvement_actions = improvement_actions.strip()
    evaluation.save(update_fields=["held_on", "report", "improvement_actions"])
    _event(
        provider=evaluation.provider,
        actor=actor,
        kind="evaluation_recorded",
        description="Evaluatiegesprek vastgelegd.",
        data={"old": old},
    )
    return evaluation


@transaction.atomic
def evaluation_close(
    *,
    actor: User,
    evaluation: Evaluation,
    outcome: str,
    closed_on: dt.date,
    product: Product | None = None,
) -> Evaluation:
    """Close an evaluation; unresolved, the product or the whole relationship ends (R-NET-9)."""
    _require_same_org(actor, evaluation.organisation_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.OPEN:
        raise ProviderError("Deze evaluatie is al afgerond.")
    if outcome not in EvaluationOutcome.values or outcome == EvaluationOutcome.NONE:
        raise ProviderError("Kies de uitkomst van de evaluatie.")
    if not evaluation.report:
        raise ProviderError("Leg eerst het evaluatiegesprek schriftelijk vast.")
    if outcome == EvaluationOutcome.PRODUCT_ENDED:
        if product is None or product.provider_id != evaluation.provider_id:
            raise ProviderError("Kies het product van deze aanbieder dat eindigt.")
        product_end(actor=actor, product=product, reason="Na evaluatie (R-NET-9).")
    if outcome == EvaluationOutcome.RELATIONSHIP_ENDED:
        provider_end_participation(
            actor=actor,
            provider=evaluation.provider,
            ended_on=closed_on,
            reason="Na evaluatie (R-NET-9).",
        )
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.outcome = outcome
    evaluation.closed_on = closed_on
    evaluation.save(update_fields=["status", "outcome", "closed_on"])
    _event(
        provider=evaluation.provider,
        actor=actor,
        kind="evaluation_closed",
        description=f"Evaluatie afgerond: {EvaluationOutcome(outcome).label}.",
    )
    return evaluation


@transaction.atomic
def network_settings_update(
    *, actor: User, organisation: Organisation, **values: int | bool
) -> NetworkSettings:
    _require_same_org(actor, organisation.pk)
    row, _created = NetworkSettings.objects.get_or_create(organisation=organisation)
    for name, value in values.items():
        if not hasattr(row, name) or name in ("id", "organisation"):
            raise ProviderError(f"Onbekende instelling '{name}'.")
        setattr(row, name, value)
    try:
        row.save()
    except IntegrityError as exc:  # pragma: no cover - guarded by the unique constraint
        raise ProviderError("Instellingen konden niet worden opgeslagen.") from exc
    return row
