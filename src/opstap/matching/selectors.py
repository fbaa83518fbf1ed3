"""Reads of matching (R-MAT), scoped by the caller's access (R-SEC-1).

Matching both ways reads the facts a score may know (`scoring.CandidateFacts`,
`scoring.VacancyFacts`) with a fixed list of columns: the client's date of birth,
nationality, migration background, obstacles and target groups are never selected, so they
cannot reach a score. Candidates are only clients the user may see
(`core.access.scoped` on clients); the caller audits every list it shows (`audit_items`).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import TruncMonth

from opstap.clients.models import Client, full_name_of
from opstap.core.access import scoped
from opstap.core.actor import Actor

from . import ranking
from .geo import pc4_of, resolve_point
from .models import (
    Employer,
    MatchWeights,
    Occupation,
    Pc4Centroid,
    Placement,
    PlacementVia,
    Proposal,
    Vacancy,
    WorkProfile,
)
from .scoring import (
    DEFAULT_WEIGHTS,
    CandidateFacts,
    Criterion,
    Education,
    MatchResult,
    Pc4Point,
    VacancyExit,
    VacancyFacts,
    rank,
    rounding_margin,
    score,
    validate_weights,
)
from .workflow import PROPOSAL_STATE_NL, ProposalState, VacancyState

__all__ = [
    "CLIENT_FACT_FIELDS",
    "CandidateMatch",
    "VacancyMatch",
    "candidate_facts",
    "candidates_for_vacancy",
    "client_proposals",
    "current_weights",
    "employers_for",
    "pc4_table",
    "vacancies_for",
    "vacancies_for_client",
    "vacancy_facts",
    "wsp_durability_client_ids",
    "wsp_durability_per_month",
    "wsp_placement_client_ids",
    "wsp_placements_per_month",
]

#: The only columns of the client record matching reads (R-MAT fairness; a test checks that
#: none of `scoring.PROTECTED_ATTRIBUTES` is among them).
CLIENT_FACT_FIELDS: tuple[str, ...] = (
    "postcode",
    "ladder_step",
    "hour_restriction",
    "ldr_registered",
    "nbw_indication",
    "lks_status",
)
_PROFILE_FIELDS: tuple[str, ...] = (
    "id",
    "client_id",
    "skills",
    "education",
    "hours_available",
    "max_distance_km",
    "driving_licence",
    "own_transport",
    "restrictions",
)
LKS_ELIGIBLE_STATUSES = ("requested", "active")


def pc4_table() -> dict[str, Pc4Point]:
    return {
        pc4: Pc4Point(lat, lon)
        for pc4, lat, lon in Pc4Centroid.objects.values_list("pc4", "latitude", "longitude")
    }


def current_weights(organisation_id: int) -> dict[Criterion, int]:
    stored = (
        MatchWeights.objects.filter(organisation_id=organisation_id)
        .values_list("weights", flat=True)
        .first()
    )
    if not stored:
        return dict(DEFAULT_WEIGHTS)
    return validate_weights(stored)


def _skills(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in values if str(v).strip())


def _occupations_by_profile(profile_ids: Any) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Desired and possible occupation codes per profile (one query: both lists united)."""
    desired: dict[int, set[str]] = defaultdict(set)
    possible: dict[int, set[str]] = defaultdict(set)
    lists = [
        through.objects.filter(workprofile_id__in=profile_ids).values_list(
            "workprofile_id", "occupation__code", Value(kind)
        )
        for through, kind in (
            (WorkProfile.desired_occupations.through, "d"),
            (WorkProfile.possible_occupations.through, "p"),
        )
    ]
    for pid, code, kind in lists[0].union(lists[1], all=True):
        (desired if kind == "d" else possible)[pid].add(code)
    return desired, possible


def candidate_facts(
    profiles: QuerySet[WorkProfile], table: dict[str, Pc4Point] | None = None
) -> list[CandidateFacts]:
    """The facts of the clients behind `profiles` (two queries whatever the number)."""
    table = pc4_table() if table is None else table
    client_fields = tuple(f"client__{f}" for f in CLIENT_FACT_FIELDS)
    rows = list(profiles.order_by().values(*_PROFILE_FIELDS, *client_fields))
    # The same profiles as a subquery: a long list of ids as parameters costs more to build
    # than the query itself.
    desired, possible = _occupations_by_profile(profiles.order_by().values("id"))
    facts = []
    points: dict[str, Pc4Point | None] = {}
    for r in rows:
        pc4 = pc4_of(r["client__postcode"])
        if pc4 not in points:
            points[pc4] = resolve_point(pc4, table)[0]
        point = points[pc4]
        facts.append(
            CandidateFacts(
                client_id=r["client_id"],
                desired_occupations=frozenset(desired.get(r["id"], ())),
                possible_occupations=frozenset(possible.get(r["id"], ())),
                skills=_skills(r["skills"] or ()),
                education=Education(r["education"]) if r["education"] else None,
                hours_available=r["hours_available"],
                hour_restriction=r["client__hour_restriction"],
                location=point,
                max_distance_km=r["max_distance_km"],
                driving_licence=r["driving_licence"],
                own_transport=r["own_transport"],
                restrictions=frozenset(r["restrictions"] or ()),
                ladder_step=r["client__ladder_step"] or "",
                ldr_registered=r["client__ldr_registered"],
                nbw_indication=r["client__nbw_indication"],
                lks_eligible=r["client__lks_status"] in LKS_ELIGIBLE_STATUSES,
            )
        )
    return facts


_VACANCY_FIELDS = (
    "id",
    "occupation__code",
    "required_skills",
    "desired_skills",
    "education",
    "hours_min",
    "hours_max",
    "pc4",
    "requires_driving_licence",
    "demands",
    "exit",
    "offers_lks",
)


def vacancy_facts(
    vacancies: QuerySet[Vacancy], table: dict[str, Pc4Point] | None = None
) -> list[VacancyFacts]:
    table = pc4_table() if table is None else table
    out = []
    for r in vacancies.order_by().values(*_VACANCY_FIELDS):
        point, _estimated = resolve_point(r["pc4"], table)
        out.append(
            VacancyFacts(
                vacancy_id=r["id"],
                occupation=r["occupation__code"],
                required_skills=_skills(r["required_skills"] or ()),
                desired_skills=_skills(r["desired_skills"] or ()),
                education=Education(r["education"]) if r["education"] else None,
                hours_min=r["hours_min"],
                hours_max=r["hours_max"],
                location=point,
                requires_driving_licence=r["requires_driving_licence"],
                demands=frozenset(r["demands"] or ()),
                exit=VacancyExit(r["exit"]),
                offers_lks=r["offers_lks"],
            )
        )
    return out


# --- Matching both ways ----------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateMatch:
    result: MatchResult
    client: Client
    proposal: Proposal | None


@dataclass(frozen=True)
class VacancyMatch:
    result: MatchResult
    vacancy: Vacancy
    proposal: Proposal | None


def visible_profiles(user: Actor) -> QuerySet[WorkProfile]:
    """Work profiles of the clients `user` may see (the client scope)."""
    return scoped(user, WorkProfile.objects.all())


def _top(
    slices: list[ranking.Slice],
    query: Callable[[ranking.Slice], ranking.Sql],
    *,
    by: str,
    limit: int,
    weights: dict[Criterion, int],
    score_ids: Callable[[list[int]], list[MatchResult]],
) -> list[MatchResult]:
    """The exact top `limit` (as `scoring.rank` over every row), scoring in Python only the
    rows the SQL cannot rule out (see `matching.ranking`). Per slice, best first: skip it
    when it is known empty or its bound is below the `limit`-th best points so far; else
    fetch and score its rows near the top by the SQL sum; if a row not fetched could still
    reach the `limit`-th best (within the rounding margin), fetch and score every row of the
    slice that could."""

    def key(r: MatchResult) -> int:
        return r.client_id if by == "client" else r.vacancy_id

    # (-points, id) per scored row, as `scoring.rank` orders; points computed once per row.
    keyed: dict[int, tuple[Decimal, int, MatchResult]] = {}

    def add(ids: list[int]) -> None:
        todo = [i for i in ids if i not in keyed]
        if todo:
            for r in score_ids(todo):
                keyed[key(r)] = (-r.points, key(r), r)

    def threshold() -> Decimal | None:
        """The `limit`-th best points so far (None while fewer rows are scored)."""
        if len(keyed) < limit:
            return None
        return -heapq.nsmallest(limit, keyed.values(), key=lambda k: k[:2])[-1][0]

    margin = rounding_margin(weights)
    for part in slices:
        if part.empty:
            continue
        best = threshold()
        if best is not None and part.bound < best:
            continue
        sql = query(part)
        near = ranking.near_top(sql, limit=limit, margin=margin)
        add(near.ids)
        if near.cut is None:
            continue
        best = threshold()
        assert best is not None  # the slice alone has `limit` rows
        floor = float(best) - margin
        if near.cut <= floor:
            continue
        add(ranking.ids_from(sql, at_least=floor))
    top = heapq.nsmallest(limit, keyed.values(), key=lambda k: k[:2])
    return rank((r for _p, _i, r in top), by=by, limit=limit)


def match_results_for_vacancy(
    *, user: Actor, vacancy: Vacancy, limit: int = 20
) -> list[MatchResult]:
    """The best `limit` candidates' results among the clients `user` may see: the database
    orders by the SQL sum, Python scores the few it cannot rule out (`matching.ranking`);
    the same results as `reference_results_for_vacancy`. Six queries plus the scope's own
    when the best slice suffices; three more per further slice read or second query."""
    table = pc4_table()
    facts = vacancy_facts(Vacancy.objects.filter(pk=vacancy.pk), table)
    if not facts:
        return []
    weights = current_weights(vacancy.organisation_id)
    profiles = visible_profiles(user)

    def score_ids(ids: list[int]) -> list[MatchResult]:
        profiles = WorkProfile.objects.filter(client_id__in=ids)
        return [score(c, facts[0], weights) for c in candidate_facts(profiles, table)]

    return _top(
        ranking.candidate_slices(facts[0], weights),
        lambda part: ranking.candidate_sql(profiles, facts[0], weights, part),
        by="client",
        limit=limit,
        weights=weights,
        score_ids=score_ids,
    )


def reference_results_for_vacancy(
    *, user: Actor, vacancy: Vacancy, limit: int = 20
) -> list[MatchResult]:
    """The reference: every visible profile scored in Python (tests compare against it)."""
    table = pc4_table()
    facts = vacancy_facts(Vacancy.objects.filter(pk=vacancy.pk), table)
    if not facts:
        return []
    weights = current_weights(vacancy.organisation_id)
    candidates = candidate_facts(visible_profiles(user), table)
    return rank((score(c, facts[0], weights) for c in candidates), by="client", limit=limit)


def candidates_for_vacancy(
    *, user: Actor, vacancy: Vacancy, limit: int = 20
) -> list[CandidateMatch]:
    results = match_results_for_vacancy(user=user, vacancy=vacancy, limit=limit)
    ids = [r.client_id for r in results]
    clients = Client.objects.in_bulk(ids)
    proposals = {
        p.client_id: p
        for p in Proposal.objects.filter(vacancy=vacancy, client_id__in=ids).exclude(
            state__in=[ProposalState.WITHDRAWN.value, ProposalState.NOT_SUITABLE.value]
        )
    }
    return [CandidateMatch(r, clients[r.client_id], proposals.get(r.client_id)) for r in results]


def open_vacancies(organisation_id: int) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(organisation_id=organisation_id, state=VacancyState.OPEN.value)


def match_results_for_client(*, user: Actor, client: Client, limit: int = 20) -> list[MatchResult]:
    """The best `limit` open vacancies for `client` (the caller checked the client is in
    the user's scope; vacancies need `vacancies.view`): ordered by the database, the few it
    cannot rule out scored in Python (`matching.ranking`); the same results as
    `reference_results_for_client`."""
    table = pc4_table()
    profiles = WorkProfile.objects.filter(client=client)
    facts = candidate_facts(profiles, table)
    if not facts:
        return []
    weights = current_weights(client.organisation_id)
    vacancies = scoped(user, open_vacancies(client.organisation_id))

    def score_ids(ids: list[int]) -> list[MatchResult]:
        return [
            score(facts[0], v, weights)
            for v in vacancy_facts(Vacancy.objects.filter(pk__in=ids), table)
        ]

    return _top(
        ranking.vacancy_slices(facts[0], weights),
        lambda part: ranking.vacancy_sql(vacancies, facts[0], weights, part),
        by="vacancy",
        limit=limit,
        weights=weights,
        score_ids=score_ids,
    )


def reference_results_for_client(
    *, user: Actor, client: Client, limit: int = 20
) -> list[MatchResult]:
    """The reference: every open vacancy scored in Python (tests compare against it)."""
    table = pc4_table()
    facts = candidate_facts(WorkProfile.objects.filter(client=client), table)
    if not facts:
        return []
    weights = current_weights(client.organisation_id)
    vacancies = vacancy_facts(scoped(user, open_vacancies(client.organisation_id)), table)
    return rank((score(facts[0], v, weights) for v in vacancies), by="vacancy", limit=limit)


def vacancies_for_client(*, user: Actor, client: Client, limit: int = 20) -> list[VacancyMatch]:
    results = match_results_for_client(user=user, client=client, limit=limit)
    ids = [r.vacancy_id for r in results]
    vacancies = Vacancy.objects.select_related("employer", "occupation").in_bulk(ids)
    proposals = {
        p.vacancy_id: p
        for p in Proposal.objects.filter(client=client, vacancy_id__in=ids).exclude(
            state__in=[ProposalState.WITHDRAWN.value, ProposalState.NOT_SUITABLE.value]
        )
    }
    return [VacancyMatch(r, vacancies[r.vacancy_id], proposals.get(r.vacancy_id)) for r in results]


# --- Lists -----------------------------------------------------------------------------------


def employers_for(user: Actor) -> QuerySet[Employer]:
    return scoped(user, Employer.objects.all()).annotate(
        open_vacancies=Count("vacancies", filter=Q(vacancies__state=VacancyState.OPEN.value))
    )


def vacancies_for(user: Actor, *, state: str = "", query: str = "") -> QuerySet[Vacancy]:
    qs = scoped(user, Vacancy.objects.all()).select_related("employer", "occupation")
    if state:
        qs = qs.filter(state=state)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(employer__name__icontains=query))
    return qs


def occupations() -> QuerySet[Occupation]:
    return Occupation.objects.all()


def client_proposals(user: Actor, client: Client) -> QuerySet[Proposal]:
    return (
        scoped(user, Proposal.objects.filter(client=client))
        .select_related("vacancy__employer", "placement")
        .order_by("-proposed_at", "-id")
    )


def vacancy_proposals(user: Actor, vacancy: Vacancy) -> QuerySet[Proposal]:
    return (
        scoped(user, Proposal.objects.filter(vacancy=vacancy))
        .select_related("client", "placement")
        .order_by("-proposed_at", "-id")
    )


def resident_proposals(client_id: int) -> QuerySet[Proposal]:
    """The proposals shown to the resident in the portal (the portal checked who it is)."""
    return (
        Proposal.objects.filter(client_id=client_id)
        .select_related("vacancy__employer", "placement")
        .order_by("-proposed_at", "-id")
    )


def work_profile_of(client: Client) -> WorkProfile | None:
    return (
        WorkProfile.objects.filter(client=client)
        .prefetch_related("desired_occupations", "possible_occupations")
        .first()
    )


@dataclass(frozen=True)
class RecentProposal:
    """A line of the start page's latest proposals (issue 18: six values, not three models
    of ~80 columns)."""

    pk: int
    client_id: int
    vacancy_id: int
    proposed_at: dt.datetime
    state: str
    client_name: str
    vacancy_title: str
    employer_name: str

    @property
    def state_label(self) -> str:
        return PROPOSAL_STATE_NL[ProposalState(self.state)]


_RECENT_EXCLUDED = (ProposalState.WITHDRAWN.value, ProposalState.NOT_SUITABLE.value)


def recent_proposals_orm(user: Actor, *, limit: int = 10) -> list[RecentProposal]:
    """`recent_proposals_for` through the ORM: for the scopes that are not written out
    (employer advisers: a subquery), and the reference its test compares with."""
    rows = (
        scoped(user, Proposal.objects.all())
        .exclude(state__in=_RECENT_EXCLUDED)
        .order_by("-proposed_at", "-id")
        .values_list(
            "pk",
            "client_id",
            "vacancy_id",
            "proposed_at",
            "state",
            "client__first_name",
            "client__last_name_prefix",
            "client__last_name",
            "vacancy__title",
            "vacancy__employer__name",
        )[:limit]
    )
    return [
        RecentProposal(
            pk, client, vacancy, at, state, full_name_of(first, prefix, last), title, name
        )
        for pk, client, vacancy, at, state, first, prefix, last, title, name in rows
    ]


def recent_proposals_for(user: Actor, *, limit: int = 10) -> list[RecentProposal]:
    """The latest proposals of clients in the user's scope, newest first, without the
    withdrawn and unsuitable ones. A scope that can be written out (case managers) in one
    hand-written statement with plain joins (issue 18: building and compiling the queryset
    cost more than running it); others through `recent_proposals_orm`. Same rows."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from opstap.clients.selectors import client_scope_sql
    from opstap.core.actor import active_actor

    scope = client_scope_sql(user, "c") if active_actor(user) is not None else None
    if scope is None:
        return recent_proposals_orm(user, limit=limit)
    scope_sql, scope_params = scope
    sql = (
        "SELECT p.id, p.client_id, p.vacancy_id, p.proposed_at, p.state, c.first_name, "  # noqa: S608 (names from the models)
        "c.last_name_prefix, c.last_name, v.title, e.name "
        f"FROM {Proposal._meta.db_table} p "
        f"JOIN {Client._meta.db_table} c ON c.id = p.client_id "
        f"JOIN {Vacancy._meta.db_table} v ON v.id = p.vacancy_id "
        f"JOIN {Employer._meta.db_table} e ON e.id = v.employer_id "
        f"WHERE p.organisation_id = %s AND p.state NOT IN (%s, %s) AND {scope_sql} "
        "ORDER BY p.proposed_at DESC, p.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.organisation_id, *_RECENT_EXCLUDED, *scope_params, limit])
        rows = cursor.fetchall()
    result = []
    for pk, client, vacancy, at, state, first, prefix, last, title, name in rows:
        if isinstance(at, str):  # SQLite: the text the ORM's converter would parse
            at = parse_datetime(at)
        if settings.USE_TZ and timezone.is_naive(at):
            at = timezone.make_aware(at, dt.UTC)
        name_ = full_name_of(first, prefix, last)
        result.append(RecentProposal(pk, client, vacancy, at, state, name_, title, name))
    return result


def open_vacancy_count(user: Actor) -> int:
    """`scoped(user, Vacancy…open).count()` as one plain statement: the organisation's open
    vacancies for a reader of vacancies, else none (the policy of `access`)."""
    from django.db import connection

    from opstap.core.actor import active_actor
    from opstap.core.roles import Perm

    actor = active_actor(user)
    if (
        actor is None
        or actor.organisation_id is None
        or not actor.has_opstap_perm(Perm.VACANCY_VIEW)
    ):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Vacancy._meta.db_table} "  # noqa: S608 (names from the models)
            "WHERE organisation_id = %s AND state = %s",
            [actor.organisation_id, VacancyState.OPEN.value],
        )
        return int(cursor.fetchone()[0])


# --- Facts for the KPIs (aggregates only) ----------------------------------------------------


def _wsp_placements(*, organisation_id: int, start: dt.date, end: dt.date) -> QuerySet[Placement]:
    """Placements the WSP made without a trajectory (those via a provider are recorded as the
    trajectory's outcome and counted there: never twice)."""
    return Placement.objects.filter(
        organisation_id=organisation_id,
        via=PlacementVia.WSP.value,
        start_date__gte=start,
        start_date__lte=end,
    )


def wsp_placement_client_ids(*, organisation_id: int, start: dt.date, end: dt.date) -> Any:
    """Ids of clients placed via the WSP with a start in [start, end] (a subquery)."""
    return _wsp_placements(organisation_id=organisation_id, start=start, end=end).values(
        "client_id"
    )


def wsp_placements_per_month(
    *, organisation_id: int, start: dt.date, end: dt.date, client_ids: Any
) -> dict[dt.date, set[int]]:
    """First day of the month → ids of clients placed via the WSP that month (one query)."""
    out: dict[dt.date, set[int]] = defaultdict(set)
    rows = (
        _wsp_placements(organisation_id=organisation_id, start=start, end=end)
        .filter(client_id__in=client_ids)
        .annotate(month=TruncMonth("start_date"))
        .values_list("month", "client_id")
    )
    for month, client_id in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        out[day].add(client_id)
    return out


#: The durability facts of a placement via the WSP (R-TRJ-7 → R-KPI-4), as the trajectories'
#: outcome facts of the same names: a verdict (durable or not) / durable, dated at the check.
WSP_DURABILITY_KINDS = {
    "durability_decided": ("durable", "not_durable"),
    "durable": ("durable",),
}


def _wsp_durability(
    *, organisation_id: int, kind: str, start: dt.date, end: dt.date
) -> QuerySet[Placement]:
    if kind not in WSP_DURABILITY_KINDS:
        raise ValueError(f"Unknown durability fact {kind!r}")
    return Placement.objects.filter(
        organisation_id=organisation_id,
        via=PlacementVia.WSP.value,
        durability__in=WSP_DURABILITY_KINDS[kind],
        durability_check_on__gte=start,
        durability_check_on__lte=end,
    )


def wsp_durability_client_ids(
    *, organisation_id: int, kind: str, start: dt.date, end: dt.date
) -> Any:
    """Ids of clients with a placement via the WSP whose durability check (dated at the check
    day) in [start, end] has a verdict ("durability_decided") or found it durable ("durable");
    a subquery (R-KPI-4)."""
    return _wsp_durability(organisation_id=organisation_id, kind=kind, start=start, end=end).values(
        "client_id"
    )


def wsp_durability_per_month(
    *, organisation_id: int, start: dt.date, end: dt.date, client_ids: Any
) -> dict[dt.date, tuple[set[int], set[int]]]:
    """First day of the month → (ids of clients whose placement via the WSP was checked that
    month, of whom durable), for the R-KPI-4 trend (one query)."""
    out: dict[dt.date, tuple[set[int], set[int]]] = {}
    rows = (
        _wsp_durability(
            organisation_id=organisation_id, kind="durability_decided", start=start, end=end
        )
        .filter(client_id__in=client_ids)
        .annotate(month=TruncMonth("durability_check_on"))
        .order_by()
        .values_list("month", "client_id", "durability")
    )
    for month, client_id, verdict in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        decided, durable = out.setdefault(day, (set(), set()))
        decided.add(client_id)
        if verdict == "durable":
            durable.add(client_id)
    return out
