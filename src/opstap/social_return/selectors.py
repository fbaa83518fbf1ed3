"""Reads of social return (R-NET-10), always through `core.access.scoped` (R-SEC-1).

- `norms_on`: the building-block table valid on a day (the Liemers table when the
  organisation has none yet);
- `provider_monitor`: one provider's obligation, planned, realised and verified value per
  calendar year, with the validity spread over the years (`provider_monitor_with_blocks`:
  fetched by id in the user's scope, with its blocks);
- `overview`: the same per provider for one year, for every provider in the user's scope;
- `coordinator_signals`: no plan within 3 months of award, behind the time-proportional norm,
  evidence (the employment contract) ending soon;
- `offered_placements`: placements of our clients by this provider not yet used as a block.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from opstap.clients.models import Client
from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.core.dutch import format_date
from opstap.core.money import ZERO, format_euro, to_cents
from opstap.invoices.selectors import approved_year_volumes
from opstap.providers.models import Contract, Provider
from opstap.providers.selectors import provider_for_user
from opstap.trajectories.models import Outcome

from . import rules
from .models import (
    BlockPeriod,
    BlockStatus,
    BuildingBlock,
    PlannedBlock,
    RealisedBlock,
    SocialReturnAgreement,
    SocialReturnEvent,
    SocialReturnPlan,
    YearObligation,
)
from .workflow import PlanState

#: A plan of approach is due within this many months of the award (annex "Social Return").
PLAN_DUE_MONTHS = 3
#: Evidence of a block "expires" when its employment contract ends within this many days.
EVIDENCE_WARNING_DAYS = 30
#: The monitor shows at most this many years.
MAX_YEARS = 8


# --- Reference data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NormTable:
    period: BlockPeriod | None
    blocks: dict[str, rules.BlockNorm]
    full_time_hours: Decimal

    @property
    def name(self) -> str:
        return self.period.name if self.period is not None else "Bouwblokkenmodel Liemers"


def norms_on(*, organisation_id: int, day: dt.date) -> NormTable:
    """The building-block table valid on `day` (R-NET-10, reference data per period)."""
    period = (
        BlockPeriod.objects.filter(organisation_id=organisation_id, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if period is None:
        return NormTable(None, dict(rules.LIEMERS_BY_CODE), rules.DEFAULT_FULL_TIME_HOURS)
    blocks = {b.code: b.as_norm() for b in BuildingBlock.objects.filter(period=period)}
    return NormTable(period, blocks, period.full_time_hours)


def periods_for(user: Actor) -> QuerySet[BlockPeriod]:
    return scoped(user, BlockPeriod.objects.all()).prefetch_related("blocks")


# --- Agreements and obligations ---------------------------------------------------------------


def providers_for(user: Actor) -> QuerySet[Provider]:
    """Providers whose social return the user may see (own provider for provider staff)."""
    qs = scoped(user, Provider.objects.all())
    return qs


def agreements_for(user: Actor) -> QuerySet[SocialReturnAgreement]:
    return scoped(user, SocialReturnAgreement.objects.all()).select_related("contract")


@dataclass(frozen=True)
class Terms:
    percentage: Decimal
    threshold: Decimal
    awarded_on: dt.date | None


def terms_by_provider(
    organisation_id: int, provider_ids: Sequence[int]
) -> dict[int, list[SocialReturnAgreement]]:
    found: dict[int, list[SocialReturnAgreement]] = defaultdict(list)
    for agreement in SocialReturnAgreement.objects.filter(
        organisation_id=organisation_id, provider_id__in=provider_ids
    ).order_by("awarded_on", "id"):
        found[agreement.provider_id].append(agreement)
    return found


def terms_for_year(agreements: Sequence[SocialReturnAgreement], year: int) -> Terms:
    """The agreement in force in `year`: the latest awarded on or before its last day."""
    in_force = [a for a in agreements if a.awarded_on <= dt.date(year, 12, 31)]
    if not in_force:
        first = agreements[0].awarded_on if agreements else None
        return Terms(rules.DEFAULT_PERCENTAGE, rules.DEFAULT_THRESHOLD, first)
    latest = in_force[-1]
    return Terms(latest.percentage, latest.threshold, agreements[0].awarded_on)


# --- The monitor ------------------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    volume: Decimal = ZERO
    percentage: Decimal = rules.DEFAULT_PERCENTAGE
    threshold: Decimal = rules.DEFAULT_THRESHOLD
    obligation: Decimal = ZERO
    closed: bool = False
    planned: Decimal = ZERO
    realised: Decimal = ZERO
    verified: Decimal = ZERO
    norm_to_date: Decimal = ZERO

    @property
    def applies(self) -> bool:
        return self.obligation > 0

    @property
    def behind(self) -> bool:
        """Realisation below the time-proportional norm (R-NET-10)."""
        return self.applies and self.realised < self.norm_to_date

    @property
    def share(self) -> Decimal | None:
        """Realised as a percentage of the obligation (None without an obligation)."""
        if not self.applies:
            return None
        return to_cents(self.realised * 100 / self.obligation)


@dataclass
class ProviderMonitor:
    provider: Provider
    years: list[YearRow]
    plan: SocialReturnPlan | None  # the latest version
    plan_approved: SocialReturnPlan | None
    awarded_on: dt.date | None
    spread: dict[int, dict[int, Decimal]] = field(default_factory=dict)  # block id -> year -> €

    def year(self, year: int) -> YearRow | None:
        return next((r for r in self.years if r.year == year), None)


def _blocks_of(provider_ids: Sequence[int], organisation_id: int) -> list[RealisedBlock]:
    return list(
        RealisedBlock.objects.filter(organisation_id=organisation_id, provider_id__in=provider_ids)
        .exclude(status=BlockStatus.REJECTED)
        .order_by("start_date", "id")
    )


def _values(blocks: Iterable[RealisedBlock]) -> dict[int, Decimal]:
    return rules.value_per_year([b.as_rule_block() for b in blocks])


def _plans(provider_ids: Sequence[int]) -> dict[int, list[SocialReturnPlan]]:
    found: dict[int, list[SocialReturnPlan]] = defaultdict(list)
    for plan in SocialReturnPlan.objects.filter(provider_id__in=provider_ids).order_by(
        "provider_id", "version"
    ):
        found[plan.provider_id].append(plan)
    return found


def _planned(
    plans: Sequence[SocialReturnPlan],
) -> tuple[SocialReturnPlan | None, dict[int, Decimal]]:
    approved = [p for p in plans if p.state == PlanState.APPROVED.value]
    counting = approved[-1] if approved else None
    per_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if counting is not None:
        for planned in PlannedBlock.objects.filter(plan=counting):
            per_year[planned.year] += planned.estimated_value
    return counting, dict(per_year)


def _year_rows(
    *,
    provider_ids: Sequence[int],
    organisation_id: int,
    years: Sequence[int],
    on: dt.date,
) -> dict[int, dict[int, YearRow]]:
    """Rows per provider and year: obligation (fixed for a closed year, else from the
    approved invoices with the agreement in force), planned, realised, verified."""
    volumes = approved_year_volumes(
        organisation_id=organisation_id, years=list(years), provider_ids=list(provider_ids)
    )
    fixed = {
        (y.provider_id, y.year): y
        for y in YearObligation.objects.filter(provider_id__in=provider_ids, year__in=years)
    }
    agreements = terms_by_provider(organisation_id, provider_ids)
    blocks = _blocks_of(provider_ids, organisation_id)
    by_provider: dict[int, list[RealisedBlock]] = defaultdict(list)
    for block in blocks:
        by_provider[block.provider_id].append(block)
    plans = _plans(provider_ids)
    result: dict[int, dict[int, YearRow]] = {}
    for pid in provider_ids:
        realised = _values(by_provider[pid])
        verified = _values(b for b in by_provider[pid] if b.status == BlockStatus.VERIFIED)
        _plan, planned = _planned(plans.get(pid, []))
        rows: dict[int, YearRow] = {}
        for year in years:
            row = YearRow(year=year)
            closed = fixed.get((pid, year))
            if closed is not None:
                row.volume, row.obligation, row.closed = closed.volume_excl, closed.obligation, True
                row.percentage, row.threshold = closed.percentage, closed.threshold
            else:
                terms = terms_for_year(agreements.get(pid, []), year)
                row.volume = volumes.get((pid, year), ZERO)
                row.percentage, row.threshold = terms.percentage, terms.threshold
                row.obligation = rules.obligation(
                    row.volume, percentage=terms.percentage, threshold=terms.threshold
                )
            row.planned = planned.get(year, ZERO)
            row.realised = realised.get(year, ZERO)
            row.verified = verified.get(year, ZERO)
            row.norm_to_date = rules.time_proportional_norm(row.obligation, year, on)
            rows[year] = row
        result[pid] = rows
    return result


def provider_monitor(*, user: Actor, provider: Provider, on: dt.date) -> ProviderMonitor:
    """One provider's monitor (the caller fetched `provider` through the user's scope)."""
    agreements = terms_by_provider(provider.organisation_id, [provider.pk]).get(provider.pk, [])
    blocks = list(
        block_list(user=user, provider_id=provider.pk).exclude(status=BlockStatus.REJECTED)
    )
    first = [on.year - 1]
    if agreements:
        first.append(agreements[0].awarded_on.year)
    if blocks:
        first.append(min(b.start_date.year for b in blocks))
    spread = {b.pk: b.as_rule_block().value.per_year() for b in blocks}
    plans = _plans([provider.pk]).get(provider.pk, [])
    approved, planned = _planned(plans)
    last = max([on.year, *planned, *(max(s) for s in spread.values() if s)])
    start = max(min(first), last - MAX_YEARS + 1)
    years = list(range(start, last + 1))
    rows = _year_rows(
        provider_ids=[provider.pk], organisation_id=provider.organisation_id, years=years, on=on
    )[provider.pk]
    return ProviderMonitor(
        provider=provider,
        years=list(rows.values()),
        plan=plans[-1] if plans else None,
        plan_approved=approved,
        awarded_on=agreements[0].awarded_on if agreements else None,
        spread=spread,
    )


def provider_monitor_with_blocks(
    *, user: Actor, provider_id: int, on: dt.date
) -> tuple[ProviderMonitor, list[RealisedBlock]]:
    """The monitor of one provider the user may see (else Http404, R-SEC-1) with all its
    realised blocks, newest first: what its page, its PDF and the API show."""
    provider = provider_for_user(user, provider_id)
    monitor = provider_monitor(user=user, provider=provider, on=on)
    return monitor, list(block_list(user=user, provider_id=provider.pk))


@dataclass(frozen=True)
class OverviewRow:
    provider_id: int
    provider_name: str
    row: YearRow
    plan_state: str  # Dutch label, or "geen plan"


SORTS = {
    "naam": lambda r: r.provider_name.lower(),
    "verplichting": lambda r: r.row.obligation,
    "gerealiseerd": lambda r: r.row.realised,
    "geverifieerd": lambda r: r.row.verified,
    "percentage": lambda r: r.row.share if r.row.share is not None else Decimal(-1),
}


def overview(
    *, user: Actor, year: int, on: dt.date, sort: str = "naam", descending: bool = False
) -> list[OverviewRow]:
    """Every provider in scope with an obligation, a plan or blocks in `year`."""
    organisation_id = user.organisation_id
    if organisation_id is None:
        return []
    providers = {p.pk: p.name for p in providers_for(user).only("id", "name")}
    pids = sorted(providers)
    rows = _year_rows(provider_ids=pids, organisation_id=organisation_id, years=[year], on=on)
    plans = _plans(pids)
    result: list[OverviewRow] = []
    for pid in pids:
        row = rows[pid][year]
        provider_plans = plans.get(pid, [])
        if not (row.applies or row.realised or provider_plans):
            continue
        state = PlanState(provider_plans[-1].state).label if provider_plans else "Geen plan"
        result.append(OverviewRow(pid, providers[pid], row, state))
    key = SORTS.get(sort, SORTS["naam"])
    result.sort(key=key, reverse=descending)
    return result


# --- Plans, blocks and history ----------------------------------------------------------------


def plans_for(user: Actor) -> QuerySet[SocialReturnPlan]:
    return scoped(user, SocialReturnPlan.objects.all()).select_related(
        "provider", "submitted_by", "decided_by"
    )


def plan_list(*, user: Actor, provider_id: int) -> QuerySet[SocialReturnPlan]:
    return plans_for(user).filter(provider_id=provider_id).prefetch_related("planned_blocks")


def blocks_for(user: Actor) -> QuerySet[RealisedBlock]:
    return scoped(user, RealisedBlock.objects.all()).select_related("provider", "client")


def block_list(*, user: Actor, provider_id: int | None = None) -> QuerySet[RealisedBlock]:
    qs = blocks_for(user)
    if provider_id is not None:
        qs = qs.filter(provider_id=provider_id)
    return qs.order_by("-start_date", "-id")


def event_list(*, user: Actor, provider_id: int) -> QuerySet[SocialReturnEvent]:
    return (
        scoped(user, SocialReturnEvent.objects.all())
        .filter(provider_id=provider_id)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def visible_client_ids(user: Actor, client_ids: Iterable[int]) -> set[int]:
    """Which of these clients the user may know (the dossier's need-to-know, R-SEC-1)."""
    ids = {c for c in client_ids if c is not None}
    if not ids:
        return set()
    return set(scoped(user, Client.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def person_label(block: RealisedBlock, visible: set[int]) -> str:
    """Who the block is about, as this user may see it."""
    if block.client_id is None:
        return block.external_person
    if block.client_id in visible and block.client is not None:
        client = block.client
        return f"{client.full_name} ({client.client_number})"
    return "Klant van de sociale dienst (afgeschermd)"


def offered_placements(*, user: Actor, provider_id: int) -> QuerySet[Outcome]:
    """Placements of our clients by this provider (trajectory outcomes, R-TRJ-7) that are not
    yet a block: offered pre-filled, so nothing is typed twice. Within the user's scope."""
    return (
        scoped(user, Outcome.objects.all())
        .filter(
            trajectory__provider_id=provider_id,
            placement_start__isnull=False,
            social_return_block__isnull=True,
        )
        .select_related("trajectory__client")
        .order_by("-placement_start", "-id")
    )


# --- Signals to the coordinator ---------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    provider_id: int
    provider_name: str
    kind: str  # no_plan | behind | evidence
    text: str  # Dutch


def _award_dates(organisation_id: int, provider_ids: Sequence[int]) -> dict[int, dt.date]:
    """The award date: the first agreement's, else the first contract's start."""
    awarded: dict[int, dt.date] = {}
    for contract in Contract.objects.filter(
        organisation_id=organisation_id, provider_id__in=provider_ids
    ).order_by("start_date"):
        awarded.setdefault(contract.provider_id, contract.start_date)
    for agreement in SocialReturnAgreement.objects.filter(
        organisation_id=organisation_id, provider_id__in=provider_ids
    ).order_by("-awarded_on"):
        awarded[agreement.provider_id] = agreement.awarded_on
    return awarded


def coordinator_signals(*, user: Actor, on: dt.date) -> list[Signal]:
    """R-NET-10 signals, in a fixed number of queries whatever the number of providers."""
    organisation_id = user.organisation_id
    if organisation_id is None:
        return []
    signals: list[Signal] = []
    rows = overview(user=user, year=on.year, on=on)
    names = {r.provider_id: r.provider_name for r in rows}
    obliged = [r.provider_id for r in rows if r.row.applies]
    # Providers with an agreement are obliged from the award, whatever this year's volume.
    agreement_pids = set(agreements_for(user).values_list("provider_id", flat=True))
    candidates = sorted(set(obliged) | agreement_pids)
    if candidates:
        names.update(dict(providers_for(user).filter(pk__in=candidates).values_list("pk", "name")))
    awards = _award_dates(organisation_id, candidates)
    with_plan = set(
        plans_for(user).filter(provider_id__in=candidates).values_list("provider_id", flat=True)
    )
    for pid in candidates:
        awarded = awards.get(pid)
        if awarded is None or pid in with_plan:
            continue
        due = rules.add_months(awarded, PLAN_DUE_MONTHS)
        if on > due:
            signals.append(
                Signal(
                    pid,
                    names.get(pid, ""),
                    "no_plan",
                    f"Geen plan van aanpak binnen 3 maanden na gunning ({format_date(awarded)}).",
                )
            )
    signals.extend(
        Signal(
            r.provider_id,
            r.provider_name,
            "behind",
            f"Achter op schema: {format_euro(r.row.realised)} gerealiseerd, "
            f"naar rato van het jaar {format_euro(r.row.norm_to_date)} verwacht.",
        )
        for r in rows
        if r.row.behind
    )
    until = on + dt.timedelta(days=EVIDENCE_WARNING_DAYS)
    for block in blocks_for(user).filter(
        contract_months__isnull=False, status__in=[BlockStatus.REGISTERED, BlockStatus.VERIFIED]
    ):
        end = block.contract_end
        if end is not None and on <= end <= until:
            signals.append(
                Signal(
                    block.provider_id,
                    block.provider.name,
                    "evidence",
                    f"Bewijs verloopt: de arbeidsovereenkomst van bouwblok '{block.block_name}' "
                    f"eindigt op {format_date(end)}.",
                )
            )
    order = {"behind": 0, "no_plan": 1, "evidence": 2}
    signals.sort(key=lambda s: (order[s.kind], s.provider_name))
    return signals


def block_client_items(blocks: Iterable[RealisedBlock]) -> list[tuple[object, int | None]]:
    """(block id, client id) of the blocks about a client: each showing is audited."""
    return [(b.pk, b.client_id) for b in blocks if b.client_id is not None]
