"""Reads of the provider network itself: providers, their evidence, contracts, products,
signals, evaluations, change proposals, indexations, indicator facts and bank accounts, always
scoped by the caller's access (R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from opstap.accounts.models import User, display_name_of
from opstap.core.access import get_object_for_user, scoped
from opstap.core.actor import Actor
from opstap.providers.models import (
    BankAccountStatus,
    Contract,
    ContractStatus,
    CpiIndexation,
    Evaluation,
    EvaluationStatus,
    Evidence,
    Product,
    ProductChangeProposal,
    ProductPrice,
    ProductStatus,
    ProposalStatus,
    Provider,
    ProviderBankAccount,
    ProviderStatus,
    Signal,
)
from opstap.providers.rules import contracts as contract_rules
from opstap.providers.rules import network as network_rules

from .guide import _rows, _tables
from .reference import _valid_on, network_settings, price_subquery

# --- Providers and their pages --------------------------------------------------------------


def providers_for(user: Actor) -> QuerySet[Provider]:
    return (
        scoped(user, Provider.objects.all())
        .select_related("contract_manager")
        .annotate(
            product_count=Count(
                "products", filter=Q(products__status=ProductStatus.ACTIVE), distinct=True
            )
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class ProviderListRow:
    """One provider as the provider list shows it."""

    pk: int
    name: str
    status: str
    contract_manager: str  # the display name, "" without a contract manager
    product_count: int
    last_activity_on: dt.date | None


def provider_list_rows(user: Actor) -> list[ProviderListRow]:
    """`providers_for` as rows for the provider list (no model instances: the page shows
    display values only), in the same order: one written-out statement (issue 18; the ORM's
    grouped join cost more Python to build and compile than the statement takes to run),
    the active products counted per provider, the scope from `provider_reach`, the rule of
    `provider_scope`. The tests compare it with `providers_for`."""
    from opstap.core.actor import active_actor
    from opstap.providers.access import provider_reach

    actor = active_actor(user)
    if actor is None or actor.organisation_id is None:
        return []
    reach = provider_reach(actor)
    if not reach.visible:
        return []
    provider, product, account = _tables(Provider, Product, User)
    sql = (
        "SELECT v.id, v.name, v.status, u.first_name, u.last_name, u.username, "  # noqa: S608
        f"(SELECT COUNT(*) FROM {product} p WHERE p.provider_id = v.id AND p.status = %s), "
        f"v.last_activity_on FROM {provider} v LEFT JOIN {account} u "
        "ON u.id = v.contract_manager_id WHERE v.organisation_id = %s"
    )
    params: list[Any] = [ProductStatus.ACTIVE.value, actor.organisation_id]
    if reach.provider_id is not None:
        sql += " AND v.id = %s"
        params.append(reach.provider_id)
    sql += " ORDER BY v.name"
    return [
        ProviderListRow(
            pk=pk,
            name=name,
            status=status,
            contract_manager=display_name_of(first, last, username),
            product_count=count,
            last_activity_on=_date(last_activity),
        )
        for pk, name, status, first, last, username, count, last_activity in _rows(
            sql, params, Provider
        )
    ]


def _date(value: Any) -> dt.date | None:
    """A date column as the ORM gives it (SQLite hands back its text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def evidence_for(user: Actor, provider: Provider) -> QuerySet[Evidence]:
    return scoped(user, Evidence.objects.filter(provider=provider)).order_by("kind", "-valid_from")


def evidence_expiring_for(user: Actor, provider: Provider, *, on: dt.date) -> QuerySet[Evidence]:
    """The provider's own evidence that ends within the warning window or has ended (R-NET-2),
    for the provider-staff start page."""
    days = network_settings(user.organisation_id).evidence_warning_days
    return evidence_for(user, provider).filter(
        valid_until__isnull=False, valid_until__lte=network_rules.expiry_warning_until(on, days)
    )


def contracts_for(user: Actor, provider: Provider) -> QuerySet[Contract]:
    return scoped(user, Contract.objects.filter(provider=provider)).prefetch_related("extensions")


def products_for(user: Actor, provider: Provider, *, on: dt.date) -> QuerySet[Product]:
    return (
        scoped(user, Product.objects.filter(provider=provider))
        .annotate(price_on=price_subquery(on))
        .select_related("product_code")
        .prefetch_related("tiles", "locations")
        .order_by("status", "name")
    )


def signals_for(user: Actor, provider: Provider | None = None) -> QuerySet[Signal]:
    qs = scoped(user, Signal.objects.all())
    if provider is not None:
        qs = qs.filter(provider=provider)
    return qs.select_related("provider", "product", "registered_by")


def evaluations_for(user: Actor, provider: Provider) -> QuerySet[Evaluation]:
    return scoped(user, Evaluation.objects.filter(provider=provider))


def proposals_for(user: Actor, *, pending_only: bool = False) -> QuerySet[ProductChangeProposal]:
    qs = scoped(user, ProductChangeProposal.objects.all())
    if pending_only:
        qs = qs.filter(status=ProposalStatus.PENDING)
    return qs.select_related("product", "product__provider", "proposed_by")


# --- Start-page lists for the contract manager ----------------------------------------------


def _managed(
    user: Actor, qs: QuerySet[Any], field: str = "provider__contract_manager"
) -> QuerySet[Any]:
    """Providers without a contract manager show for every contract manager."""
    return qs.filter(Q(**{field: user}) | Q(**{f"{field}__isnull": True}))


def evidence_expiring(user: Actor, *, on: dt.date) -> QuerySet[Evidence]:
    """Evidence whose validity ends within the warning window (or ended, while it is still
    the latest of its kind) for providers of this contract manager (R-NET-2)."""
    days = network_settings(user.organisation_id).evidence_warning_days
    newer = Evidence.objects.filter(
        provider=OuterRef("provider"),
        kind=OuterRef("kind"),
        certificate_kind=OuterRef("certificate_kind"),
        staff_name=OuterRef("staff_name"),
        valid_from__gt=OuterRef("valid_from"),
    )
    qs = (
        scoped(user, Evidence.objects.all())
        .filter(
            provider__status=ProviderStatus.ACTIVE,
            valid_until__isnull=False,
            valid_until__lte=network_rules.expiry_warning_until(on, days),
            valid_until__gte=on - dt.timedelta(days=days),
        )
        .exclude(Exists(newer))
    )
    return _managed(user, qs).select_related("provider").order_by("valid_until")


def contracts_extension_due(user: Actor, *, on: dt.date) -> list[Contract]:
    """Running contracts whose extension decision is due (R-NET-3)."""
    days = network_settings(user.organisation_id).extension_notice_days
    qs = _managed(
        user,
        scoped(user, Contract.objects.all()).filter(
            status=ContractStatus.ACTIVE, end_date__gte=on, terms_granted__lt=4
        ),
    ).select_related("provider")
    due = []
    for contract in qs.filter(end_date__lte=on + dt.timedelta(days=days + 62)):
        if contract_rules.extension_is_due(
            start=contract.start_date,
            terms_granted=contract.terms_granted,
            on=on,
            notice_days=days,
        ):
            contract.decision_due = contract_rules.extension_decision_due(contract.end_date)
            due.append(contract)
    return sorted(due, key=lambda c: c.end_date)


def providers_inactive(user: Actor, *, on: dt.date) -> QuerySet[Provider]:
    """Active providers without activity for the configured months (R-NET-8)."""
    months = network_settings(user.organisation_id).inactivity_months
    cutoff = network_rules.inactive_since_cutoff(on, months)
    qs = (
        scoped(user, Provider.objects.all())
        .filter(status=ProviderStatus.ACTIVE)
        .filter(
            Q(last_activity_on__lte=cutoff)
            | Q(last_activity_on__isnull=True, joined_on__lte=cutoff)
        )
    )
    return _managed(user, qs, "contract_manager").order_by("last_activity_on", "name")


def open_evaluations(user: Actor) -> QuerySet[Evaluation]:
    return scoped(user, Evaluation.objects.filter(status=EvaluationStatus.OPEN)).select_related(
        "provider"
    )


# --- Indexation (R-NET-6) -------------------------------------------------------------------


@dataclass(frozen=True)
class IndexationRow:
    provider_name: str
    product_id: int
    product_name: str
    old_price: Decimal
    new_price: Decimal
    capped: bool


def indexations_for(user: Actor) -> QuerySet[CpiIndexation]:
    return scoped(user, CpiIndexation.objects.all())


def indexation_applied_rows(indexation: CpiIndexation) -> list[IndexationRow]:
    """Old and new prices side by side after an indexation was applied."""
    rows = []
    new_prices = (
        ProductPrice.objects.filter(indexation=indexation)
        .select_related("product", "product__provider")
        .order_by("product__provider__name", "product__name")
    )
    effective = dt.date(indexation.year, 1, 1)
    day_before = effective - dt.timedelta(days=1)
    old_by_product = {
        p.product_id: p.amount
        for p in ProductPrice.objects.filter(
            product_id__in=[n.product_id for n in new_prices]
        ).filter(_valid_on(day_before))
    }
    for new in new_prices:
        old = old_by_product.get(new.product_id, new.amount)
        rows.append(
            IndexationRow(
                provider_name=new.product.provider.name,
                product_id=new.product_id,
                product_name=new.product.name,
                old_price=old,
                new_price=new.amount,
                capped=False,
            )
        )
    return rows


# --- Provider-wide facts for the performance indicators (R-PI-1 items 4-6) -----------------


@dataclass(frozen=True)
class ProviderIndicatorFacts:
    evaluations: int
    evaluations_cooperated: int
    staff: int
    staff_with_vog: int
    complaints_procedure: bool


def _person_key(name: str) -> str:
    return " ".join(name.lower().split())


def provider_indicator_facts(
    *, provider_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, ProviderIndicatorFacts]:
    """Per provider, three queries whatever the number of providers:

    - evaluations open at some time in [start, end] and those where the meeting was held and
      improvement actions recorded (item 4);
    - known staff — the provider's staff accounts and the people named on its VOG evidence —
      and those with a VOG valid on `end` (item 5; names compared case- and
      space-insensitively);
    - a complaints procedure valid on `end` (item 6)."""
    from django.db.models import Count

    from opstap.providers.models import EvidenceKind, ProviderMembership

    evaluations: dict[int, tuple[int, int]] = {
        row["provider_id"]: (row["n"], row["ok"])
        for row in Evaluation.objects.filter(provider_id__in=provider_ids, opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("provider_id")
        .annotate(
            n=Count("id"),
            ok=Count("id", filter=Q(held_on__isnull=False) & ~Q(improvement_actions="")),
        )
        .order_by()
    }
    staff: dict[int, set[str]] = {pid: set() for pid in provider_ids}
    for provider_id, first, last in ProviderMembership.objects.filter(
        provider_id__in=provider_ids, user__is_active=True
    ).values_list("provider_id", "user__first_name", "user__last_name"):
        staff[provider_id].add(_person_key(f"{first} {last}"))
    with_vog: dict[int, set[str]] = {pid: set() for pid in provider_ids}
    complaints: set[int] = set()
    for provider_id, kind, staff_name, valid_from, valid_until in (
        Evidence.objects.filter(
            provider_id__in=provider_ids, kind__in=[EvidenceKind.VOG, EvidenceKind.COMPLAINTS]
        )
        .values_list("provider_id", "kind", "staff_name", "valid_from", "valid_until")
        .order_by()
    ):
        valid = valid_from <= end and (valid_until is None or valid_until >= end)
        if kind == EvidenceKind.COMPLAINTS:
            if valid:
                complaints.add(provider_id)
            continue
        name = _person_key(staff_name)
        if not name:
            continue
        staff[provider_id].add(name)
        if valid:
            with_vog[provider_id].add(name)
    return {
        pid: ProviderIndicatorFacts(
            evaluations=evaluations.get(pid, (0, 0))[0],
            evaluations_cooperated=evaluations.get(pid, (0, 0))[1],
            staff=len(staff[pid]),
            staff_with_vog=len(with_vog[pid] & staff[pid]),
            complaints_procedure=pid in complaints,
        )
        for pid in provider_ids
    }


def provider_names_by_user(user_ids: list[int]) -> dict[int, str]:
    """The provider each of these users works for (provider staff only), in one query."""
    from opstap.providers.models import ProviderMembership

    return dict(
        ProviderMembership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "provider__name"
        )
    )


def client_signals_all(*, organisation_id: int, client_id: int) -> QuerySet[Signal]:
    """Right of access (R-SEC-5): dissatisfaction signals about one client's case (unscoped;
    the access request was checked when registered)."""
    return (
        Signal.objects.filter(organisation_id=organisation_id, client_id=client_id)
        .select_related("provider", "product")
        .order_by("registered_on", "id")
    )


def provider_choices(user: Actor) -> list[tuple[int, str]]:
    """(id, name) of the providers the user may see, by name: for filter choices."""
    return list(scoped(user, Provider.objects.all()).order_by("name").values_list("pk", "name"))


def provider_for_user(user: Actor, pk: int) -> Provider:
    """One provider the user may see, or Http404 (R-SEC-1), for other apps' pages."""
    return get_object_for_user(user, Provider.objects.all(), pk=pk)


def bank_accounts_for(user: Actor, provider: Provider) -> QuerySet[ProviderBankAccount]:
    """A provider's bank accounts (history, newest first) within the user's scope."""
    return scoped(user, ProviderBankAccount.objects.filter(provider=provider)).select_related(
        "proposed_by", "decided_by"
    )


def pending_bank_accounts(user: Actor) -> QuerySet[ProviderBankAccount]:
    """Changes waiting for a second person, for the work list."""
    return scoped(
        user, ProviderBankAccount.objects.filter(status=BankAccountStatus.PENDING)
    ).select_related("provider", "proposed_by")


def active_bank_accounts(provider_ids: list[int]) -> dict[int, ProviderBankAccount]:
    """The confirmed account in use per provider (for payments); providers without one are
    missing from the result. Not scoped: the caller already holds the payment batch."""
    rows = ProviderBankAccount.objects.filter(
        provider_id__in=provider_ids, status=BankAccountStatus.ACTIVE
    )
    return {row.provider_id: row for row in rows}
