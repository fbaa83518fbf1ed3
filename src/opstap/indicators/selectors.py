"""Reads of the indicators app: gather the facts of R-PI-1 per provider and per product for a
period, with grouped SQL through the other apps' selectors, and compute the indicators with
the pure `computation` module.

Access (R-SEC-1): the providers are those the user may see (`providers.selectors.
providers_for`, i.e. the provider scope: provider staff see only their own provider). The
facts of a visible provider are counted over all of its trajectories in the organisation:
indicators are aggregates about the provider, not personal data, so no client is shown.
Small counts of clients are withheld ("< 5") from users who may not see every client behind
them (`small_number_threshold`, `computation.suppress_small_numbers`; issue 19 item 11).

Query budget, whatever the number of providers or trajectories: one query for the providers,
one grouped query each for trajectories, due dates, paid invoices and credit notes,
evaluations, staff accounts, evidence and quarterly overviews.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from opstap.clients import selectors as client_selectors
from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.core.disclosure import DEFAULT_THRESHOLD
from opstap.core.sources import source
from opstap.invoices import selectors as invoice_selectors
from opstap.providers import selectors as provider_selectors
from opstap.providers.models import Product, Provider
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import Trajectory

from .computation import (
    INDICATORS,
    IndicatorFacts,
    IndicatorResult,
    Period,
    compute,
    quarter_end,
    quarter_start,
    quarters_due,
    suppress_small_numbers,
)
from .models import IndicatorDay, IndicatorFactState, QuarterlyOverview


@dataclass(frozen=True)
class Row:
    """One provider or product with its facts and computed indicators."""

    id: int
    name: str
    facts: IndicatorFacts
    results: tuple[IndicatorResult, ...]
    provider_id: int
    provider_name: str = ""

    def result(self, code: str) -> IndicatorResult:
        return next(r for r in self.results if r.code == code)


def _row(
    pk: int, name: str, facts: IndicatorFacts, *, provider_id: int, provider_name: str = ""
) -> Row:
    """A provider's or product's row: its facts and the indicators computed from them."""
    return Row(
        id=pk,
        name=name,
        facts=facts,
        results=compute(facts),
        provider_id=provider_id,
        provider_name=provider_name,
    )


@dataclass(frozen=True)
class Comparison:
    period: Period
    rows: list[Row]
    total: Row | None


def visible_providers(user: Actor) -> QuerySet[Provider]:
    return provider_selectors.providers_for(user)


def small_number_threshold(user: Actor, provider_ids: list[int]) -> int | None:
    """The threshold under which client counts of these providers are withheld from `user`
    (`OPSTAP_SMALL_NUMBER_THRESHOLD`, default 5), or None when the user may see every
    trajectory at them and its client's dossier (R-SEC-1: then the counts disclose nothing
    new; e.g. the case manager of all those clients, or a provider's staff while every
    trajectory there is within their access window). Decided by the scopes: the contract
    manager and the finance clerk see trajectory heads but no dossiers, the policy officer
    neither, so they always get it. One query."""
    threshold = int(getattr(settings, "OPSTAP_SMALL_NUMBER_THRESHOLD", DEFAULT_THRESHOLD))
    if threshold <= 1 or not provider_ids:
        return None
    trajectories = trajectory_selectors.trajectories_for(user).values("pk")
    clients = client_selectors.clients_for(user).values("pk")
    outside = (
        Trajectory.objects.filter(provider_id__in=provider_ids)
        .filter(~Q(pk__in=trajectories) | ~Q(client_id__in=clients))
        .order_by()
        .exists()
    )
    return threshold if outside else None


def _withhold(rows: list[Row], threshold: int | None, *, additive: bool) -> list[Row]:
    results = suppress_small_numbers([row.results for row in rows], threshold, additive=additive)
    return [replace(row, results=shown) for row, shown in zip(rows, results, strict=True)]


def facts_ready(organisation_id: int) -> bool:
    """Whether the organisation's indicator facts per day are built (one query)."""
    return IndicatorFactState.objects.filter(organisation_id=organisation_id, ready=True).exists()


#: Facts counted over the whole period; the due dates only up to `measured_until`.
_PERIOD_FIELDS = (
    "plans_approved",
    "plans_signed",
    "ended_with_term",
    "ended_within_term",
    "ended",
    "in_work",
    "werkfit",
    "successful",
    "placements_decided",
    "placements_durable",
)
_DUE_FIELDS = (
    "progress_reports_due",
    "progress_reports_on_time",
    "lead_times_due",
    "lead_times_on_time",
)


def _day_facts(
    *, organisation_id: int, provider_ids: list[int], group: str, period: Period, today: dt.date
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]], dict[int, tuple[Decimal, int]]]:
    """The sums of the facts per day over the period, per provider or product, in the shapes
    of the three live selectors: one grouped query over `IndicatorDay` (on PostgreSQL from its
    unique index alone)."""
    until = period.measured_until(today)
    zero = Value(0)
    due = Q(day__lte=until)
    sums: dict[str, Any] = {name: Coalesce(Sum(name), zero) for name in _PERIOD_FIELDS}
    sums.update({name: Coalesce(Sum(name, filter=due), zero) for name in _DUE_FIELDS})
    sums["cost"] = Coalesce(Sum("cost_paid"), Value(Decimal("0.00")))
    sums["paid"] = Coalesce(Sum("invoices_paid"), zero)
    rows = (
        IndicatorDay.objects.filter(
            organisation_id=organisation_id,
            provider_id__in=provider_ids,
            day__gte=period.start,
            day__lte=period.end,
        )
        .values(group)
        .annotate(**sums)
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    deadlines: dict[int, dict[str, int]] = {}
    costs: dict[int, tuple[Decimal, int]] = {}
    for row in rows:
        key = row[group]
        counts[key] = {name: row[name] for name in _PERIOD_FIELDS}
        deadlines[key] = {name: row[name] for name in _DUE_FIELDS}
        costs[key] = (Decimal(row["cost"]).quantize(Decimal("0.01")), row["paid"])
    return counts, deadlines, costs


def _base_facts(
    *,
    organisation_id: int,
    provider_ids: list[int],
    group: str,
    period: Period,
    today: dt.date,
) -> dict[int, IndicatorFacts]:
    """The trajectory-based facts (items 1-3 and the outcomes) per provider or product: from
    the facts per day when the organisation's are ready (`IndicatorDay`), else live."""
    if group not in ("provider_id", "product_id"):
        raise ValueError(group)
    if facts_ready(organisation_id):
        counts, deadlines, costs = _day_facts(
            organisation_id=organisation_id,
            provider_ids=provider_ids,
            group=group,
            period=period,
            today=today,
        )
    else:
        counts = trajectory_selectors.indicator_trajectory_counts(
            organisation_id=organisation_id,
            provider_ids=provider_ids,
            group=group,
            start=period.start,
            end=period.end,
        )
        deadlines = trajectory_selectors.indicator_deadline_counts(
            organisation_id=organisation_id,
            provider_ids=provider_ids,
            group=group,
            start=period.start,
            until=period.measured_until(today),
        )
        costs = invoice_selectors.paid_cost_of_ended_trajectories(
            organisation_id=organisation_id,
            provider_ids=provider_ids,
            group=group,
            start=period.start,
            end=period.end,
        )
    # Portal answers about ended trajectories (R-KPI-6 survey, owned by kpis): offered as a
    # named source because indicators and kpis are independent siblings.
    satisfaction_source = source("satisfaction_by_trajectory_group")
    satisfaction: dict[int, tuple[int, Decimal]] = (
        satisfaction_source(
            organisation_id=organisation_id,
            provider_ids=provider_ids,
            group=group,
            start=period.start,
            end=period.end,
        )
        if satisfaction_source is not None
        else {}
    )
    result: dict[int, IndicatorFacts] = {}
    for key in set(counts) | set(deadlines) | set(costs) | set(satisfaction):
        values: dict[str, Any] = {**counts.get(key, {}), **deadlines.get(key, {})}
        cost, paid_invoices = costs.get(key, (Decimal("0.00"), 0))
        answers, score_sum = satisfaction.get(key, (0, Decimal(0)))
        result[key] = IndicatorFacts(
            **values,
            cost_paid=cost,
            invoices_paid=paid_invoices,
            satisfaction_count=answers,
            satisfaction_sum=score_sum,
        )
    return result


def _provider_wide(
    ids: list[int], organisation_id: int, *, period: Period, today: dt.date
) -> dict[int, dict[str, Any]]:
    """Items 4-7, which are facts about the provider as a whole."""
    facts = provider_selectors.provider_indicator_facts(
        provider_ids=ids, start=period.start, end=period.end
    )
    quarters = quarters_due(period, today=today)
    active = trajectory_selectors.provider_active_quarters(
        organisation_id=organisation_id,
        provider_ids=ids,
        quarters=[(quarter_start(y, q), quarter_end(y, q)) for y, q in quarters],
    )
    due = {pid: {quarters[i] for i in active.get(pid, set())} for pid in ids}
    delivered: dict[int, set[tuple[int, int]]] = {pid: set() for pid in ids}
    years = range(period.start.year, period.end.year + 1)
    for provider_id, year, quarter in (
        QuarterlyOverview.objects.filter(provider_id__in=ids, year__in=list(years))
        .order_by()  # a set: no join to the providers for the model's order by name
        .values_list("provider_id", "year", "quarter")
    ):
        delivered[provider_id].add((year, quarter))
    return {
        pid: {
            "evaluations": facts[pid].evaluations,
            "evaluations_cooperated": facts[pid].evaluations_cooperated,
            "staff": facts[pid].staff,
            "staff_with_vog": facts[pid].staff_with_vog,
            "complaints_procedure": facts[pid].complaints_procedure,
            "quarters_due": len(due[pid]),
            "quarterly_overviews": len(due[pid] & delivered[pid]),
        }
        for pid in ids
    }


def provider_comparison(
    user: Actor, *, period: Period, today: dt.date, provider_ids: list[int] | None = None
) -> Comparison:
    """All providers the user may see (or the given ones among them), with their indicators
    and a total row over them, sorted by name."""
    # The providers of `visible_providers` (the provider scope), by name, as the three
    # values used here: no model rows, no count of their products (issue 18).
    qs = scoped(user, Provider.objects.all())
    if provider_ids is not None:
        qs = qs.filter(pk__in=provider_ids)
    providers = list(qs.order_by("name").values_list("pk", "name", "organisation_id"))
    if not providers:
        return Comparison(period, [], None)
    ids = [pk for pk, _name, _org in providers]
    organisation_id = providers[0][2]
    base = _base_facts(
        organisation_id=organisation_id,
        provider_ids=ids,
        group="provider_id",
        period=period,
        today=today,
    )
    wide = _provider_wide(ids, organisation_id, period=period, today=today)
    rows = []
    for pk, name, _org in providers:
        facts = replace(base.get(pk, IndicatorFacts()), **wide[pk])
        rows.append(_row(pk, name, facts, provider_id=pk, provider_name=name))
    total_facts = IndicatorFacts()
    for row in rows:
        total_facts = total_facts + row.facts
    with_procedure = sum(1 for row in rows if row.facts.complaints_procedure)
    total = Row(
        id=0,
        name="Alle aanbieders",
        facts=total_facts,
        results=compute(
            total_facts, providers_with_complaints_procedure=(with_procedure, len(rows))
        ),
        provider_id=0,
    )
    threshold = small_number_threshold(user, ids)
    # The providers add up to the total row that is shown: additive.
    rows = _withhold(rows, threshold, additive=True)
    (total,) = _withhold([total], threshold, additive=False)
    return Comparison(period, rows, total)


def provider_indicators(user: Actor, provider: Provider, *, period: Period, today: dt.date) -> Row:
    """The indicators of one provider the caller may see (fetch it with
    `get_object_for_user` first)."""
    comparison = provider_comparison(user, period=period, today=today, provider_ids=[provider.pk])
    if not comparison.rows:  # not visible: callers fetched it through the scope already
        raise Provider.DoesNotExist
    return comparison.rows[0]


def _product_rows(
    products: list[Product], providers: dict[int, Provider], *, period: Period, today: dt.date
) -> list[Row]:
    """The rows of products of the given providers (by id, one organisation's): the
    trajectory-based facts grouped by product."""
    base = _base_facts(
        organisation_id=next(iter(providers.values())).organisation_id,
        provider_ids=list(providers),
        group="product_id",
        period=period,
        today=today,
    )
    return [
        _row(
            product.pk,
            product.name,
            base.get(product.pk, IndicatorFacts()),
            provider_id=product.provider_id,
            provider_name=providers[product.provider_id].name,
        )
        for product in products
    ]


def product_rows(user: Actor, provider: Provider, *, period: Period, today: dt.date) -> list[Row]:
    """Per product of one provider: trajectory-based indicators; the provider-wide items
    4-7 are 'per aanbieder' (not applicable per product)."""
    products = list(
        scoped(user, Product.objects.filter(provider=provider))
        .order_by("name")
        .only("id", "name", "provider_id")
    )
    if not products:
        return []
    rows = _product_rows(products, {provider.pk: provider}, period=period, today=today)
    # The products add up to their provider's row, shown beside them: additive.
    return _withhold(rows, small_number_threshold(user, [provider.pk]), additive=True)


def product_comparison(user: Actor, *, period: Period, today: dt.date) -> list[Row]:
    """Every product of every provider the user may see (the export's product sheet): the
    same grouped queries, grouped by product."""
    providers = {p.pk: p for p in visible_providers(user)}
    if not providers:
        return []
    products = list(
        scoped(user, Product.objects.filter(provider_id__in=list(providers)))
        .order_by("provider__name", "name")
        .only("id", "name", "provider_id")
    )
    rows = _product_rows(products, providers, period=period, today=today)
    threshold = small_number_threshold(user, list(providers))
    # Per provider, its products add up to the provider's row (on the other sheet): additive.
    shown: dict[int, Row] = {}
    for provider_id in providers:
        group = [row for row in rows if row.provider_id == provider_id]
        for row in _withhold(group, threshold, additive=True):
            shown[row.id] = row
    return [shown[row.id] for row in rows]


def product_indicators(user: Actor, product: Product, *, period: Period, today: dt.date) -> Row:
    """One product's indicators (for the instrument guide's product page), if the user may
    see its provider."""
    if not visible_providers(user).filter(pk=product.provider_id).exists():
        raise Product.DoesNotExist
    base = _base_facts(
        organisation_id=product.organisation_id,
        provider_ids=[product.provider_id],
        group="product_id",
        period=period,
        today=today,
    )
    row = _row(
        product.pk,
        product.name,
        base.get(product.pk, IndicatorFacts()),
        provider_id=product.provider_id,
    )
    (shown,) = _withhold([row], small_number_threshold(user, [product.provider_id]), additive=False)
    return shown


def quarterly_overviews_for(user: Actor, provider: Provider) -> QuerySet[QuarterlyOverview]:
    return scoped(user, QuarterlyOverview.objects.filter(provider=provider)).select_related(
        "recorded_by"
    )


SORT_KEYS = ("name", *(d.code for d in INDICATORS))


def sort_rows(rows: list[Row], key: str, *, descending: bool) -> list[Row]:
    """Sort by name or by an indicator's value; rows without data always last."""
    if key == "name" or key not in SORT_KEYS:
        return sorted(rows, key=lambda r: r.name.lower(), reverse=descending)
    with_value = [r for r in rows if r.result(key).value is not None]
    without = [r for r in rows if r.result(key).value is None]
    with_value.sort(key=lambda r: (r.result(key).value, r.name.lower()), reverse=descending)
    return with_value + sorted(without, key=lambda r: r.name.lower())
