"""Reads of the clients app, scoped by the caller's access (R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.core.counts import CountsCache

from . import ladder

# Re-exported: the client policy as a filter (matching's scopes), and the registries through
# which trajectories says which clients provider staff see and matching which clients an
# employer adviser sees.
from .access import client_scope_q as client_scope_q
from .access import client_scope_q_through
from .access import client_scope_sql as client_scope_sql
from .access import register_employer_adviser_clients as register_employer_adviser_clients
from .access import register_provider_staff_clients as register_provider_staff_clients
from .budget import remaining_budget
from .ladder import LadderPosition as LadderPosition
from .ladder import LadderStep, LadderSubStatus
from .ladder import resolve_mapping as resolve_mapping  # re-exported: public face
from .models import (
    BenefitType,
    BudgetSpending,
    Client,
    ClientEvent,
    ClientEventKind,
    CustomBudgetConfig,
    IncomeCoachAssignment,
    LadderStepChange,
    LksStatus,
    MappingKind,
    SpendingStatus,
)
from .positions import _valid_on

# Re-exported: the mapping reads are part of the clients' public reads.
from .positions import mapping_rows as mapping_rows
from .positions import mapping_rows_by_kind as mapping_rows_by_kind
from .positions import positions_q as positions_q
from .positions import track_q as track_q
from .positions import unit_q as unit_q
from .search import folded_words, holds_word
from .target_groups import (
    TargetGroupCode,
    TargetGroupFacts,
    derive_target_groups,
    youth_birth_date_limit,
)

#: The clients' counts cache (issue 4: caseload page at national scale). The chart "Klanten
#: per trede" and the size of the caseload list come from one grouped count over everything
#: the user may see: a quarter of a million rows for a unit at national scale. Paging,
#: sorting and switching the step filter do not change those counts, so they are cached (how
#: it stays exact: `opstap.core.counts`). Every client write bumps the organisation's
#: version: saves and deletes of Client (connected in `apps.py`) and
#: `CLIENT_COUNTS.changed_now_and_on_commit` after the bulk writes of the import and the demo
#: loader. The page shows when the counts were computed.
CLIENT_COUNTS = CountsCache("opstap:clients:step-counts")


def client_scope_through(user: Actor, relation: str) -> Q | None:
    """The clients policy (R-SEC-1) as a join condition for a model pointing to Client
    through `relation`; see `access.client_scope_q_through`. None = nothing visible."""
    return client_scope_q_through(user, relation)


def target_group_q(code: str, on: dt.date) -> Q:
    """R-CLI-2 as a query: the same derivation as `target_groups.derive_target_groups`."""
    if code == TargetGroupCode.YOUTH:
        return Q(date_of_birth__gt=youth_birth_date_limit(on))
    if code == TargetGroupCode.MIGRATION:
        return Q(migration_background=True)
    if code == TargetGroupCode.DISABILITY:
        return Q(ldr_registered=True) | Q(nbw_indication=True) | Q(lks_status=LksStatus.ACTIVE)
    if code == TargetGroupCode.CARE:
        return Q(ladder_step__in=["1", "2a"])
    if code == TargetGroupCode.SELF_EMPLOYED:
        return Q(benefit_type=BenefitType.BBZ)
    if code == TargetGroupCode.WORK_PERSPECTIVE:
        return Q(ladder_step__in=["2b", "3", "4", "5"])
    return Q(pk__in=[])


def position_of(client: Client) -> LadderPosition:
    return LadderPosition(
        LadderStep(client.ladder_step),
        LadderSubStatus(client.ladder_sub_status) if client.ladder_sub_status else None,
    )


def client_target_groups(client: Client, on: dt.date) -> frozenset[TargetGroupCode]:
    return derive_target_groups(
        TargetGroupFacts(
            date_of_birth=client.date_of_birth,
            ladder_step=client.ladder_step,
            migration_background=client.migration_background,
            ldr_registered=client.ldr_registered,
            nbw_indication=client.nbw_indication,
            lks_active=client.lks_status == LksStatus.ACTIVE,
            benefit_type=client.benefit_type,
        ),
        on,
    )


@dataclass(frozen=True)
class Derived:
    """Unit, track, growth potential, age and target groups of one client on a date."""

    unit: str | None
    track: str | None
    growth_potential: bool
    age: int
    target_groups: frozenset[TargetGroupCode]


class DerivedResolver:
    """Derives unit/track for many clients with one query in total (not per row)."""

    def __init__(self, *, organisation_id: int | None, on: dt.date) -> None:
        self.on = on
        rows = mapping_rows_by_kind(organisation_id=organisation_id, on=on)
        self.units = rows[MappingKind.UNIT]
        self.tracks = rows[MappingKind.TRACK]

    def __call__(self, client: Client) -> Derived:
        from .target_groups import age_on

        pos = position_of(client)
        return Derived(
            unit=ladder.resolve_mapping(self.units, pos),
            track=ladder.resolve_mapping(self.tracks, pos),
            growth_potential=ladder.has_growth_potential(pos),
            age=age_on(client.date_of_birth, self.on),
            target_groups=client_target_groups(client, self.on),
        )


# --- Client lists ---------------------------------------------------------------------------


def clients_for(user: Actor) -> QuerySet[Client]:
    """All clients this user may see (R-SEC-1)."""
    return scoped(user, Client.objects.all())


def own_client(user: Actor, *related: str) -> Client | None:
    """The resident's own client file (portal pages, with `related` joined), or None for a
    resident account not (yet) linked to a client file."""
    qs = clients_for(user)
    return (qs.select_related(*related) if related else qs).first()


SORTS: dict[str, list[str]] = {
    "naam": ["last_name", "first_name", "id"],
    "-naam": ["-last_name", "-first_name", "-id"],
    "klantnummer": ["client_number"],
    "-klantnummer": ["-client_number"],
    "trede": ["ladder_step", "ladder_sub_status", "last_name", "id"],
    "-trede": ["-ladder_step", "-ladder_sub_status", "last_name", "id"],
    "geboortedatum": ["date_of_birth", "id"],
    "-geboortedatum": ["-date_of_birth", "id"],
    "gemeente": ["municipality__name", "last_name", "id"],
    "-gemeente": ["-municipality__name", "last_name", "id"],
}


@dataclass
class CaseloadFilters:
    ladder_step: str = ""
    unit: str = ""
    track: str = ""
    target_group: str = ""
    municipality: int | None = None
    case_manager: int | None = None  # 0 = "mine"
    #: Clients without a case manager (registered before R-CLI-3 was enforced): a team lead
    #: finds them here and hands them over to a case manager.
    without_case_manager: bool = False
    text: str = ""
    sort: str = "naam"


def caseload_list(
    *, user: Actor, filters: CaseloadFilters, on: dt.date, with_names: bool = True
) -> QuerySet[Client]:
    """The filterable, sortable caseload (R-CLI-3), scoped. No BSN filter here: a BSN is
    searched through `client_search_bsn` (POST only). `with_names` joins the municipality
    and the case manager (the page shows their names; the API gives their ids only)."""
    qs = clients_for(user)
    if with_names:
        qs = qs.select_related("municipality", "case_manager")
    org_id = getattr(user, "organisation_id", None)
    if filters.ladder_step:
        qs = qs.filter(ladder_step=filters.ladder_step)
    if filters.unit:
        qs = qs.filter(unit_q(organisation_id=org_id, unit=filters.unit, on=on))
    if filters.track:
        qs = qs.filter(track_q(organisation_id=org_id, track=filters.track, on=on))
    if filters.target_group:
        qs = qs.filter(target_group_q(filters.target_group, on))
    if filters.municipality:
        qs = qs.filter(municipality_id=filters.municipality)
    if filters.case_manager is not None:
        qs = qs.filter(case_manager_id=filters.case_manager)
    if filters.without_case_manager:
        qs = qs.filter(case_manager_id__isnull=True)
    text = filters.text.strip()
    if text:
        # The number as typed or in capitals (client numbers are stored as issued, digits or
        # capitals): equality, which the unique (organisation, number) index serves, where
        # iexact compared UPPER() of every client in scope and kept the planner from the
        # name's trigram index.
        numbers = sorted({text, text.upper()})
        qs = qs.filter(Q(client_number__in=numbers) | name_words_q(text))
    return qs.order_by(*SORTS.get(filters.sort, SORTS["naam"]))


def name_words_q(text: str) -> Q:
    """Clients whose name holds EVERY word typed (first name, surname or its prefix): "Samira
    Bakkali" finds Samira Bakkali, not every Samira and every Bakkali; "Berg, Sandra van den"
    (the way lists write a name) finds her too. Case and accents do not count ("ozturk" and
    "ÖZTÜRK" find Öztürk, `clients.search`): one LIKE per word on the folded name, which a
    trigram index serves on PostgreSQL (migration 0014)."""
    name = folded_words("first_name", "last_name_prefix", "last_name")
    every_word = Q()
    for word in text.replace(",", " ").split()[:10]:
        every_word &= Q(holds_word(name, word))
    return every_word


@dataclass
class CaseloadPage:
    """The caseload list for one request: the filtered queryset, its exact size, the counts
    per ladder step of the same filters without the step filter (the chart) and when those
    counts were computed."""

    queryset: QuerySet[Client]
    count: int
    step_counts: dict[str, int]
    counted_at: dt.datetime


def caseload_overview(*, user: Actor, filters: CaseloadFilters, on: dt.date) -> CaseloadPage:
    """`caseload_list` plus its size and the per-step chart counts, with ONE aggregate query
    (none while the counts are cached in `CLIENT_COUNTS`).

    The list with a step filter is the chart's set narrowed to that step, so its size is the
    chart's count for that step (or the chart's total without a step filter): the separate
    `COUNT(*)` of the paginator is not needed and the numbers on the page always agree."""
    import dataclasses

    without_step = caseload_list(
        user=user, filters=dataclasses.replace(filters, ladder_step=""), on=on
    )
    raw, counted_at = _step_counts(user, filters, on=on, without_step=without_step)
    if filters.ladder_step:
        qs = without_step.filter(ladder_step=filters.ladder_step)
        count = raw.get(filters.ladder_step, 0)
    else:
        qs = without_step
        count = sum(raw.values())
    return CaseloadPage(queryset=qs, count=count, step_counts=raw, counted_at=counted_at)


def _scope_identity(user: Actor) -> tuple[str, tuple[str, ...]] | None:
    """The user's client scope as written-out SQL and its parameters (`client_scope_sql`,
    held to the same clients as the ORM's scope by its tests): what a counts-cache key
    names instead of a compiled query. None when the scope is not written out (a subquery):
    then the key comes from the query itself."""
    scope = client_scope_sql(user, "c")
    if scope is None:
        return None
    sql, params = scope
    return sql, tuple(repr(p) for p in params)


def _step_counts(
    user: Actor,
    filters: CaseloadFilters,
    *,
    on: dt.date,
    without_step: QuerySet[Client] | None = None,
) -> tuple[dict[str, int], dt.datetime]:
    """The chart's counts per step of the caseload with `filters` (its step filter and sort
    aside) and when they were computed, from `CLIENT_COUNTS`. Without other filters (the
    unit view, and the start page's number) keyed by the scope (`_scope_identity`), so the
    start page neither builds nor compiles the caseload's queryset to find the counts the
    caseload page cached (issue 18); with only the case manager, the municipality or a
    search as filters ("Mijn caseload" as it opens, the name search) keyed by the scope and
    those values (since 7 December 2026: compiling the grouped query only for its key cost
    1,900 Python calls a view); with other filters, or a scope that is a subquery, keyed by
    the grouped query's SQL. `without_step` is the
    caseload without the step filter, when the caller has it already."""
    import dataclasses

    org_id = getattr(user, "organisation_id", None)

    def query() -> QuerySet[Any]:
        base = without_step
        if base is None:
            unstepped = dataclasses.replace(filters, ladder_step="")
            base = caseload_list(user=user, filters=unstepped, on=on)
        return _step_count_query(base)

    plain = dataclasses.replace(filters, ladder_step="", sort=CaseloadFilters.sort)
    # The case manager, the municipality and the search compare columns with the values
    # chosen or typed (no mapping, no date behind them): the key names those values. The
    # unit, track and target group filters depend on the organisation's mapping and the
    # date: keyed by the query's SQL.
    by_value = (plain.case_manager, plain.municipality, plain.text)
    unvalued = dataclasses.replace(plain, case_manager=None, municipality=None, text="")
    scope = _scope_identity(user) if unvalued == CaseloadFilters() else None
    if scope is None:
        return CLIENT_COUNTS.counts(query(), organisation_id=org_id)
    identity: tuple[Any, ...] = ("caseload-step-counts", *scope)
    if plain != CaseloadFilters():  # the unfiltered key is the one the start page reads
        identity = (*identity, ("case-manager, municipality, text", *by_value))
    return CLIENT_COUNTS.keyed(identity, lambda: dict(query()), organisation_id=org_id)


def visible_client_count(user: Actor, *, on: dt.date) -> int:
    """How many clients `user` may see: the unfiltered caseload chart's total, from the same
    cached counts as the caseload page (issue 4)."""
    raw, _counted_at = _step_counts(user, CaseloadFilters(), on=on)
    return sum(raw.values())


def own_caseload_count(user: Actor) -> int:
    """How many of the clients `user` may see are their own caseload, through the counts
    cache, keyed by the scope (`_scope_identity`) and the user: any write to a client of
    the organisation (a handover included) recounts it."""
    org_id = getattr(user, "organisation_id", None)

    def own() -> QuerySet[Client]:  # built only when counted (or keyed by its SQL)
        return clients_for(user).filter(case_manager_id=user.pk)

    identity = _scope_identity(user)
    if identity is None:
        return CLIENT_COUNTS.count(own(), organisation_id=org_id)
    number, _counted_at = CLIENT_COUNTS.keyed(
        ("own-caseload", user.pk, *identity), lambda: own().count(), organisation_id=org_id
    )
    return number


def own_and_unassigned_counts(user: Actor) -> tuple[int, int]:
    """For a team lead's start page (R-CLI-3): how many of the clients `user` may see are
    their own caseload, and how many have no case manager (legacy or imported clients, or
    left behind by a case manager who left). One grouped query over the same scope as the
    caseload page (its "Zonder klantmanager" filter lists exactly these), in place of the
    own-caseload count: no statement more than a case manager's start page. Through the
    counts cache, keyed by the scope (`_scope_identity`) and the user, as `own_caseload_count`."""
    org_id = getattr(user, "organisation_id", None)

    def query() -> QuerySet[Any]:  # rows (case manager id or None, number of clients)
        return (
            clients_for(user)
            .filter(Q(case_manager_id=user.pk) | Q(case_manager_id__isnull=True))
            .order_by()
            .values_list("case_manager_id")
            .annotate(n=Count("*"))
            .values_list("case_manager_id", "n")
        )

    identity = _scope_identity(user)
    if identity is None:
        raw: dict[Any, int] = dict(CLIENT_COUNTS.counts(query(), organisation_id=org_id)[0])
    else:
        raw = CLIENT_COUNTS.keyed(
            ("own-and-unassigned", user.pk, *identity),
            lambda: dict(query()),
            organisation_id=org_id,
        )[0]
    return raw.get(user.pk, 0), raw.get(None, 0)


def client_search_bsn(*, user: Actor, bsn: str) -> QuerySet[Client]:
    """BSN search (POST only, never in a URL); scoped."""
    return clients_for(user).filter(bsn=bsn).select_related("municipality", "case_manager")


def _step_count_query(qs: QuerySet[Client]) -> QuerySet[Any]:
    """Rows (step code, number of clients) of a (scoped) client queryset; one grouped query.

    `COUNT(*)` (not `COUNT(id)`) and only the step column, so that PostgreSQL answers it
    from the `client_org_scope` index (organisation, step, sub-status, case manager) with an
    index-only scan: the case manager's scope is evaluated inside the index too."""
    return (
        qs.order_by()
        .values_list("ladder_step")
        .annotate(n=Count("*"))
        .values_list("ladder_step", "n")
    )


def ladder_step_raw_counts(qs: QuerySet[Client]) -> dict[str, int]:
    """Step code → number of clients of a (scoped) client queryset; one grouped query."""
    return dict(_step_count_query(qs))


def ladder_step_counts(
    qs: QuerySet[Client] | None = None, *, raw: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """Counts per ladder step for a (scoped) client queryset; one query (none when the raw
    counts of `ladder_step_raw_counts` are passed in)."""
    if raw is None:
        if qs is None:
            raise TypeError("ladder_step_counts needs a queryset or raw counts")
        raw = ladder_step_raw_counts(qs)
    total = sum(raw.values()) or 1
    return [
        {
            "step": step.value,
            "label": ladder.LADDER_STEP_LABELS_NL[step],
            "count": raw.get(step.value, 0),
            "percent": round(100 * raw.get(step.value, 0) / total),
        }
        for step in LadderStep
    ]


def caseload_sizes(*, user: Actor, on: dt.date) -> dict[str, Any]:
    """Management view (R-CLI-3): clients per case manager and per unit. Aggregates only,
    so policy officers (who see no dossiers) may read them; organisation-scoped."""
    org_id = getattr(user, "organisation_id", None)
    base = Client.objects.filter(organisation_id=org_id) if org_id else Client.objects.none()
    per_cm = list(
        base.order_by()
        .values("case_manager_id", "case_manager__first_name", "case_manager__last_name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    per_unit = [
        {
            "unit": unit.value,
            "label": ladder.UNIT_LABELS_NL[unit],
            "count": base.filter(unit_q(organisation_id=org_id, unit=unit, on=on)).count(),
        }
        for unit in ladder.UnitCode
    ]
    return {"per_case_manager": per_cm, "per_unit": per_unit}


#: How long a received handover is shown first on the dossier of the new case manager.
HANDOVER_HIGHLIGHT_DAYS = 30


def recent_handover_to(
    events: Iterable[ClientEvent], *, case_manager_id: int, now: dt.datetime
) -> ClientEvent | None:
    """R-CLI-3: the handover to this case manager within the last `HANDOVER_HIGHLIGHT_DAYS`
    (the first in `events`, newest first), so the dossier shows the handover note, open
    agreements and recent events before anything else; None when there is none."""
    return next(
        (
            e
            for e in events
            if e.kind == ClientEventKind.HANDOVER
            and e.data.get("to_case_manager") == case_manager_id
            and (now - e.occurred_at).days <= HANDOVER_HIGHLIGHT_DAYS
        ),
        None,
    )


def client_timeline(client: Client, *, limit: int = 200) -> QuerySet[ClientEvent]:
    return client.events.select_related("actor").order_by("-occurred_at", "-id")[:limit]


def client_open_agreements(client: Client) -> QuerySet[ClientEvent]:
    return client.events.filter(is_open=True).select_related("actor").order_by("occurred_at")


def client_ladder_history(client: Client) -> QuerySet[LadderStepChange]:
    return client.ladder_changes.select_related("changed_by").order_by(
        "-effective_date", "-changed_at", "-id"
    )


# --- Custom budget (R-CLI-4) ---------------------------------------------------------------


def budget_yearly_amount(*, organisation_id: int, on: dt.date) -> Decimal:
    """The configured yearly amount valid on `on` (0 when nothing is configured)."""
    config = (
        CustomBudgetConfig.objects.filter(_valid_on(on), organisation_id=organisation_id)
        .order_by("-valid_from")
        .first()
    )
    return config.yearly_amount if config else Decimal("0.00")


@dataclass(frozen=True)
class BudgetSummary:
    year: int
    yearly_amount: Decimal
    spent: Decimal
    pending: Decimal
    remaining: Decimal


def budget_summary(client: Client, *, year: int) -> BudgetSummary:
    amount = budget_yearly_amount(organisation_id=client.organisation_id, on=dt.date(year, 1, 1))
    rows = dict(
        BudgetSpending.objects.filter(client=client, spent_on__year=year)
        .values_list("status")
        .annotate(total=Sum("amount"))
        .values_list("status", "total")
    )
    spent = rows.get(SpendingStatus.APPROVED) or Decimal("0.00")
    return BudgetSummary(
        year=year,
        yearly_amount=amount,
        spent=spent,
        pending=rows.get(SpendingStatus.PENDING) or Decimal("0.00"),
        remaining=remaining_budget(amount, [spent]),
    )


def budget_spendings(client: Client, *, year: int) -> QuerySet[BudgetSpending]:
    return BudgetSpending.objects.filter(client=client, spent_on__year=year).select_related(
        "created_by", "decided_by"
    )


def spendings_awaiting_second_approval(user: Actor) -> QuerySet[BudgetSpending]:
    """R-CLI-4: the spendings beyond a client's budget that wait for a second approver and
    that `user` may decide on: of clients they see (R-SEC-1), recorded by someone else (the
    recorder is never the second approver). Oldest first."""
    return (
        scoped(user, BudgetSpending.objects.filter(status=SpendingStatus.PENDING))
        .filter(client__in=clients_for(user))
        .exclude(created_by_id=user.pk)
        .select_related("client", "created_by")
        .order_by("spent_on", "pk")
    )


# --- Aggregates for other apps (finance, steering) ------------------------------------------


def _benefit_running_q(on: dt.date) -> Q:
    return (
        ~Q(benefit_type=BenefitType.NONE)
        & (Q(benefit_start_date__isnull=True) | Q(benefit_start_date__lte=on))
        & (Q(benefit_end_date__isnull=True) | Q(benefit_end_date__gte=on))
    )


def client_file_counts_by_municipality(*, organisation: Any, on: dt.date) -> dict[int, int]:
    """Municipality id → number of client files with a benefit running on `on` (finance's
    cost-split key). Aggregate: no personal data leaves."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    rows = (
        Client.objects.filter(_benefit_running_q(on), organisation_id=org_id)
        .order_by()
        .values_list("municipality_id")
        .annotate(n=Count("id"))
        .values_list("municipality_id", "n")
    )
    return {mid: n for mid, n in rows}


def client_counts_by_month(
    *, organisation: Any, start: dt.date, end: dt.date
) -> list[tuple[dt.date, int]]:
    """Realised caseload line: for each first-of-month from `start` to `end`, the number of
    clients with a benefit running on that day. One query per month (a handful of months)."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    result: list[tuple[dt.date, int]] = []
    month = start.replace(day=1)
    base = Client.objects.filter(organisation_id=org_id)
    while month <= end:
        result.append((month, base.filter(_benefit_running_q(month)).count()))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return result


# --- Right of access (R-SEC-5): everything about one client, for the access_requests app ---
# Unscoped on purpose: the access_requests service checked the requester's scope when the
# request was registered; these reads run in the background for exactly that client.


def client_events_all(client_id: int) -> QuerySet[ClientEvent]:
    """The whole timeline of a client, oldest first (no limit)."""
    return ClientEvent.objects.filter(client_id=client_id).order_by("occurred_at", "id")


def client_ladder_changes_all(client_id: int) -> QuerySet[LadderStepChange]:
    return LadderStepChange.objects.filter(client_id=client_id).order_by("effective_date", "id")


def client_budget_spendings_all(client_id: int) -> QuerySet[BudgetSpending]:
    return BudgetSpending.objects.filter(client_id=client_id).order_by("spent_on", "id")


def client_record(client_id: int) -> QuerySet[Client]:
    """The client row itself, with what its personal-data section shows."""
    return Client.objects.filter(pk=client_id).select_related("municipality", "case_manager")


# --- Facts for the steering KPIs (kpis app, R-KPI) ------------------------------------------


def organisation_clients(*, organisation_id: int) -> QuerySet[Client]:
    """All clients of one organisation, for aggregates only (counts that show no personal
    data, R-KPI). Anything that shows clients starts from `clients_for(user)` instead."""
    return Client.objects.filter(organisation_id=organisation_id)


def documented_activity_exists(
    *, since: dt.datetime, until: dt.datetime, kinds: Iterable[str]
) -> Exists:
    """For a Client queryset: the client's *current* case manager documented an activity of
    one of `kinds` on the timeline in [since, until) (R-KPI-1). Correlated, so it runs on the
    `client_event_ts` index (client, occurred_at)."""
    return Exists(
        ClientEvent.objects.filter(
            client_id=OuterRef("pk"),
            occurred_at__gte=since,
            occurred_at__lt=until,
            kind__in=list(kinds),
            actor_id=OuterRef("case_manager_id"),
        )
    )


def documented_activity_month_flags(
    *,
    organisation_id: int,
    windows: Iterable[tuple[dt.datetime, dt.datetime]],
    kinds: Iterable[str],
    client_ids: QuerySet[Any],
) -> QuerySet[Any]:
    """One row per timeline event of the clients in `client_ids` (a subquery) documented by
    the client's current case manager within any of `windows` ([since, until)): `client_id`
    and a 0/1 column `f<i>` per window (R-KPI-1/5 trend). The caller aggregates per client."""
    spans = list(windows)
    flags = {
        f"f{i}": Case(
            When(Q(occurred_at__gte=since, occurred_at__lt=until), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for i, (since, until) in enumerate(spans)
    }
    rows: QuerySet[Any] = (
        ClientEvent.objects.filter(
            organisation_id=organisation_id,
            client_id__in=client_ids,
            occurred_at__gte=min(s for s, _u in spans),
            occurred_at__lt=max(u for _s, u in spans),
            kind__in=list(kinds),
            actor_id=F("client__case_manager_id"),
        )
        .order_by()
        .annotate(**flags)
        .values("client_id", *flags)
    )
    return rows


def current_income_coach_ids(client_ids: list[int], *, on: dt.date) -> dict[int, list[int]]:
    """Client id -> ids of the income coaches assigned on `on` (one query for a page)."""
    result: dict[int, list[int]] = {pk: [] for pk in client_ids}
    rows = (
        IncomeCoachAssignment.objects.filter(client_id__in=client_ids, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("coach_id")
        .values_list("client_id", "coach_id")
    )
    for client_id, coach_id in rows:
        if coach_id not in result[client_id]:
            result[client_id].append(coach_id)
    return result


def hour_restrictions_on(
    pairs: Iterable[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], int | None]:
    """The hour restriction (urenbeperking) valid on each (client id, day), read from the
    client's record and its change history (`client_update` records old and new values on
    the client's timeline). Two queries for any number of pairs. Used by the placement fee
    (R-BILL-6); not scoped: the caller already holds the trajectory."""
    from django.utils import timezone

    from .dated_values import value_on

    wanted = list(pairs)
    client_ids = {client_id for client_id, _day in wanted}
    if not client_ids:
        return {}
    current = dict(Client.objects.filter(pk__in=client_ids).values_list("pk", "hour_restriction"))
    changes: dict[int, list[tuple[dt.date, int | None, int | None]]] = {}
    for client_id, occurred_at, data in ClientEvent.objects.filter(
        client_id__in=client_ids,
        kind=ClientEventKind.UPDATED,
        data__has_key="hour_restriction",
    ).values_list("client_id", "occurred_at", "data"):
        change = data["hour_restriction"]
        changes.setdefault(client_id, []).append(
            (timezone.localdate(occurred_at), change.get("old"), change.get("new"))
        )
    return {
        (client_id, day): value_on(current.get(client_id), changes.get(client_id, []), day)
        for client_id, day in wanted
    }


def documented_activity_times(
    client_ids: Iterable[int], *, kinds: Iterable[str]
) -> list[tuple[int, dt.datetime]]:
    """(client id, moment) of every timeline event of one of `kinds` that these clients'
    *current* case managers documented (R-KPI-1), for the KPI facts per client and month
    (kpis). One query; aggregates only."""
    return list(
        ClientEvent.objects.filter(
            client_id__in=list(client_ids),
            kind__in=list(kinds),
            actor_id=F("client__case_manager_id"),
        )
        .order_by()
        .values_list("client_id", "occurred_at")
    )


def client_dimensions(client_ids: Iterable[int]) -> dict[int, tuple[int, str, str]]:
    """(municipality id, ladder step, sub-status) of these clients, by id: the current values
    the KPI facts carry so that they can be filtered and grouped without the clients table
    (kpis). One query; aggregates only."""
    return {
        pk: (municipality_id, step, sub_status)
        for pk, municipality_id, step, sub_status in Client.objects.filter(pk__in=list(client_ids))
        .order_by()
        .values_list("pk", "municipality_id", "ladder_step", "ladder_sub_status")
    }


def organisation_client_ids(*, organisation_id: int, after: int = 0, limit: int) -> list[int]:
    """The next `limit` client ids of an organisation above `after`, in id order (batches)."""
    return list(
        Client.objects.filter(organisation_id=organisation_id, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
