"""Matching at national scale (R-MAT, issue 15): the database orders, the pure module scores.

Scoring every visible profile in Python (`scoring.score` row by row) costs seconds at
260,000 clients. Here the database computes, for every row in the user's scope, the
*unrounded* sum of weight x fraction over the same criteria (`scoring.CRITERIA`), with the
same weights (`selectors.current_weights`) and the same named fractions (the constants of
`scoring`), and returns only the best few. Those few are then scored exactly by
`scoring.score` (which also writes the explanation) and ranked by `scoring.rank`.

**Same results as the pure module, by construction.** A result's points differ from the
unrounded sum by at most `scoring.rounding_margin(weights)` (each fraction is rounded to
0,01, each criterion's points to 0,1). Where the SQL cannot know the exact fraction it
errs upwards (a location the SQL cannot resolve counts as nearby), so for every row
``points <= sql_sum + margin``. Let T be the points of the `limit`-th best among the rows
scored exactly. A row that was not fetched has ``sql_sum <= the last fetched sum``; if that
is below ``T - margin`` it cannot reach the top. Otherwise a second query fetches every row
with ``sql_sum >= T - margin`` (a superset of the true top) and scores those. Either way
`scoring.rank` picks the top from a set that contains it, so the order, scores and ties
(the lowest id first) are those of the pure module. `test_ranking.py` proves it on random
data against the pure path, on SQLite and PostgreSQL.

Fairness is unchanged: the SQL reads the same columns as `selectors.candidate_facts`
(`selectors.CLIENT_FACT_FIELDS` and the work profile), nothing else.

The criteria are declared once, in `scoring.CRITERIA`; `_CANDIDATE_SQL` and `_VACANCY_SQL`
hold one SQL fragment per criterion and a test checks they cover exactly `CRITERIA`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet

from .models import Occupation, Pc4Centroid, WorkProfile
from .scoring import (
    AVAILABILITY_BY_STEP,
    CRITERIA,
    DEFAULT_MAX_DISTANCE_KM,
    DISTANCE_DECAY,
    EDUCATION_ONE_BELOW,
    EDUCATION_RANK,
    LKS_NOT_OFFERED,
    OCCUPATION_MINOR_GROUP,
    OCCUPATION_POSSIBLE,
    OCCUPATION_SUB_MAJOR_GROUP,
    SKILLS_DESIRED_SHARE,
    SKILLS_REQUIRED_SHARE,
    CandidateFacts,
    Criterion,
    Education,
    VacancyExit,
    VacancyFacts,
    criterion_points,
)

__all__ = [
    "Near",
    "Slice",
    "candidate_slices",
    "candidate_sql",
    "ids_from",
    "near_top",
    "vacancy_slices",
    "vacancy_sql",
]

LKS_ELIGIBLE_STATUSES = ("requested", "active")
_CLIENT_COLUMNS = {
    "c_postcode": "client__postcode",
    "c_ladder_step": "client__ladder_step",
    "c_hour_restriction": "client__hour_restriction",
    "c_ldr_registered": "client__ldr_registered",
    "c_nbw_indication": "client__nbw_indication",
    "c_lks_status": "client__lks_status",
}
_PROFILE_COLUMNS = (
    "id",
    "client_id",
    "skills",
    "education",
    "hours_available",
    "max_distance_km",
    "driving_licence",
    "restrictions",
)
_VACANCY_COLUMNS = (
    "id",
    "required_skills",
    "desired_skills",
    "education",
    "hours_min",
    "pc4",
    "requires_driving_licence",
    "demands",
    "exit",
    "offers_lks",
)

Sql = tuple[str, list[Any]]


def _f(value: object) -> str:
    """A numeric constant of our own (never user input) as an SQL literal."""
    return repr(float(str(value)))


def _in(column: str, items: Iterable[str]) -> Sql:
    values = sorted(items)
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _has(column: str, value: str) -> Sql:
    """Whether the JSON list in `column` holds the string `value` (stored normalised by the
    services: skills lower case and trimmed, codes as is)."""
    if connection.vendor == "postgresql":
        return f"({column} @> %s::jsonb)", [json.dumps([value])]
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = %s)", [value]  # noqa: S608 (names and numbers of ours; values are parameters)


def _length(column: str) -> str:
    """The number of items of the JSON list in `column` (distinct: the services dedupe)."""
    if connection.vendor == "postgresql":
        return f"COALESCE(jsonb_array_length({column}), 0)"
    return f"COALESCE(json_array_length({column}), 0)"


def _count_has(column: str, values: frozenset[str]) -> Sql:
    """How many of `values` the JSON list in `column` holds."""
    if not values:
        return "0", []
    parts, params = [], []
    for value in sorted(values):
        sql, p = _has(column, value)
        parts.append(f"(CASE WHEN {sql} THEN 1 ELSE 0 END)")
        params += p
    return "(" + " + ".join(parts) + ")", params


def _haversine(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """`scoring.distance_km` in SQL (same formula, same earth radius)."""
    return (
        f"(2 * 6371.0 * ASIN(SQRT("
        f"POWER(SIN((RADIANS({lat2}) - RADIANS({lat1})) / 2), 2) + "
        f"COS(RADIANS({lat1})) * COS(RADIANS({lat2})) * "
        f"POWER(SIN((RADIANS({lon2}) - RADIANS({lon1})) / 2), 2))))"
    )


#: A tolerance on the distance limit: floating point in SQL may differ from Python's in the
#: last digits; counting a row at the limit as inside errs upwards (allowed), never down.
_KM_TOLERANCE = 1e-6


def _distance_fraction(km: str, limit: str) -> str:
    return (
        f"(CASE WHEN {km} > {limit} + {_KM_TOLERANCE!r} THEN 0.0 "
        f"ELSE 1.0 - {_f(DISTANCE_DECAY)} * {km} / {limit} END)"
    )


def _four_digits(sql: str) -> str:
    """Whether `sql` is four digits: only then is it the PC4 `geo.pc4_of` finds (a postcode
    that starts otherwise is left unresolved here, which counts as near: errs upwards)."""
    if connection.vendor == "postgresql":
        return f"({sql} ~ '^[0-9]{{4}}$')"
    return f"({sql} GLOB '[0-9][0-9][0-9][0-9]')"


def _pc_joins(alias: str, pc4_sql: str) -> str:
    """Join the PC4 centroid of `pc4_sql`, or the mean of its PC3 neighbours (as
    `geo.resolve_point`): columns `{alias}4.latitude` / `{alias}3.lat`."""
    table = Pc4Centroid._meta.db_table
    digits = _four_digits(pc4_sql)
    return (
        f" LEFT JOIN {table} {alias}4 ON {alias}4.pc4 = {pc4_sql} AND {digits}"  # noqa: S608
        f" LEFT JOIN (SELECT SUBSTR(pc4, 1, 3) AS pc3, AVG(latitude) AS lat,"
        f" AVG(longitude) AS lon FROM {table} GROUP BY SUBSTR(pc4, 1, 3)) {alias}3"
        f" ON {alias}3.pc3 = SUBSTR({pc4_sql}, 1, 3) AND {digits}"
    )


def _point(alias: str) -> tuple[str, str]:
    return (
        f"COALESCE({alias}4.latitude, {alias}3.lat)",
        f"COALESCE({alias}4.longitude, {alias}3.lon)",
    )


# --- Candidates for one vacancy: one SQL fragment per criterion -----------------------------


def _holders(through_of: Any, op: str, value: str) -> Sql:
    """Profiles holding (desired or possible, per `through_of`) an occupation whose code is
    (`=`) or starts with (`LIKE`) `value`."""
    through = through_of.through._meta.db_table
    occ = Occupation._meta.db_table
    return (
        f"SELECT t.workprofile_id FROM {through} t JOIN {occ} o ON o.id = t.occupation_id"  # noqa: S608
        f" WHERE o.code {op} %s",
        [value],
    )


def _occupation_sets(code: str) -> dict[str, Sql]:
    """The profile sets of the occupation criterion for vacancy occupation `code`, as SQL
    conditions on `m.id`: desired exactly, possible exactly, same minor group, same
    sub-major group (each a superset of the ones before, except desired/possible)."""
    desired, possible = WorkProfile.desired_occupations, WorkProfile.possible_occupations

    def member(*subqueries: Sql) -> Sql:
        sql = " OR ".join(f"m.id IN ({q})" for q, _ in subqueries)
        return f"({sql})", [p for _, params in subqueries for p in params]

    return {
        "desired": member(_holders(desired, "=", code)),
        "possible": member(_holders(possible, "=", code)),
        "minor": member(
            _holders(desired, "LIKE", code[:3] + "%"), _holders(possible, "LIKE", code[:3] + "%")
        ),
        "sub_major": member(
            _holders(desired, "LIKE", code[:2] + "%"), _holders(possible, "LIKE", code[:2] + "%")
        ),
    }


def _c_occupation(v: VacancyFacts) -> Sql:
    if not v.occupation:
        return "1.0", []
    sets = _occupation_sets(v.occupation)
    (d, p1), (p, p2), (mi, p3), (su, p4) = (
        sets["desired"],
        sets["possible"],
        sets["minor"],
        sets["sub_major"],
    )
    sql = (
        f"(CASE WHEN {d} THEN 1.0 WHEN {p} THEN {_f(OCCUPATION_POSSIBLE)}"
        f" WHEN {mi} THEN {_f(OCCUPATION_MINOR_GROUP)}"
        f" WHEN {su} THEN {_f(OCCUPATION_SUB_MAJOR_GROUP)} ELSE 0.0 END)"
    )
    return sql, p1 + p2 + p3 + p4


def _skills_fraction(
    required: tuple[str, list[Any], str], desired: tuple[str, list[Any], str]
) -> Sql:
    """0,8 x share of required + 0,2 x share of desired (a share is 1 without items); each
    side is (count held SQL, params, number of items SQL)."""
    r_have, r_params, r_len = required
    d_have, d_params, d_len = desired
    sql = (
        f"(CASE WHEN {r_len} = 0 AND {d_len} = 0 THEN 1.0 ELSE"
        f" (CASE WHEN {r_len} = 0 THEN {_f(SKILLS_REQUIRED_SHARE)}"
        f" ELSE {_f(SKILLS_REQUIRED_SHARE)} * {r_have} / ({r_len} * 1.0) END) +"
        f" (CASE WHEN {d_len} = 0 THEN {_f(SKILLS_DESIRED_SHARE)}"
        f" ELSE {_f(SKILLS_DESIRED_SHARE)} * {d_have} / ({d_len} * 1.0) END) END)"
    )
    return sql, r_params + d_params


def _c_skills(v: VacancyFacts) -> Sql:
    if not v.required_skills and not v.desired_skills:
        return "1.0", []
    r_have, r_params = _count_has("m.skills", v.required_skills)
    d_have, d_params = _count_has("m.skills", v.desired_skills)
    # Parameters appear in the order of the SQL text: required (CASE, then share) ...
    return _skills_fraction(
        (r_have, r_params, str(len(v.required_skills))),
        (d_have, d_params, str(len(v.desired_skills))),
    )


def _c_education(v: VacancyFacts) -> Sql:
    if v.education is None or EDUCATION_RANK[v.education] == 0:
        return "1.0", []
    need = EDUCATION_RANK[v.education]
    full, p1 = _in("m.education", [e.value for e in Education if EDUCATION_RANK[e] >= need])
    half, p2 = _in("m.education", [e.value for e in Education if EDUCATION_RANK[e] == need - 1])
    return (
        f"(CASE WHEN {full} THEN 1.0 WHEN {half} THEN {_f(EDUCATION_ONE_BELOW)} ELSE 0.0 END)",
        p1 + p2,
    )


def _c_hours(v: VacancyFacts) -> Sql:
    cap = (
        "(CASE WHEN m.hours_available IS NULL THEN m.c_hour_restriction"
        " WHEN m.c_hour_restriction IS NULL THEN m.hours_available"
        " WHEN m.c_hour_restriction < m.hours_available THEN m.c_hour_restriction"
        " ELSE m.hours_available END)"
    )
    if v.hours_min <= 0:
        return f"(CASE WHEN {cap} IS NULL THEN 0.0 ELSE 1.0 END)", []
    return (
        f"(CASE WHEN {cap} IS NULL THEN 0.0 WHEN {cap} >= {int(v.hours_min)} THEN 1.0"
        f" ELSE {cap} / {float(v.hours_min)!r} END)",
        [],
    )


def _c_distance(v: VacancyFacts) -> Sql:
    if v.location is None:
        return "0.0", []
    lat, lon = _point("cp")
    km = _haversine(lat, lon, repr(float(v.location.latitude)), repr(float(v.location.longitude)))
    limit = f"(COALESCE(NULLIF(m.max_distance_km, 0), {DEFAULT_MAX_DISTANCE_KM}) * 1.0)"
    licence = "NOT m.driving_licence" if v.requires_driving_licence else "1 = 0"
    return (
        f"(CASE WHEN {licence} THEN 0.0"
        f" WHEN m.c_postcode IS NULL OR m.c_postcode = '' THEN 0.0"
        f" WHEN {lat} IS NULL THEN 1.0"  # not resolvable here: count as near (errs upwards)
        f" ELSE {_distance_fraction(km, limit)} END)",
        [],
    )


def _c_availability(v: VacancyFacts) -> Sql:
    parts, params = [], []
    for step, value in AVAILABILITY_BY_STEP.items():
        if value:
            parts.append(f"WHEN %s THEN {_f(value)}")
            params.append(step)
    return f"(CASE m.c_ladder_step {' '.join(parts)} ELSE 0.0 END)", params


def _c_eligibility(v: VacancyFacts) -> Sql:
    if v.exit is VacancyExit.GARANTIEBAAN:
        return "(CASE WHEN m.c_ldr_registered THEN 1.0 ELSE 0.0 END)", []
    if v.exit is VacancyExit.BESCHUT:
        return "(CASE WHEN m.c_nbw_indication THEN 1.0 ELSE 0.0 END)", []
    if v.offers_lks:
        return "1.0", []
    eligible, params = _in("m.c_lks_status", LKS_ELIGIBLE_STATUSES)
    return f"(CASE WHEN {eligible} THEN {_f(LKS_NOT_OFFERED)} ELSE 1.0 END)", params


def _c_demands(v: VacancyFacts) -> Sql:
    if not v.demands:
        return "1.0", []
    conflicts, params = _count_has("m.restrictions", v.demands)
    n = len(v.demands)
    return f"(({n} - {conflicts}) / {float(n)!r})", params


_CANDIDATE_SQL: dict[Criterion, Callable[[VacancyFacts], Sql]] = {
    Criterion.OCCUPATION: _c_occupation,
    Criterion.SKILLS: _c_skills,
    Criterion.EDUCATION: _c_education,
    Criterion.HOURS: _c_hours,
    Criterion.DISTANCE: _c_distance,
    Criterion.AVAILABILITY: _c_availability,
    Criterion.ELIGIBILITY: _c_eligibility,
    Criterion.DEMANDS: _c_demands,
}


# --- Vacancies for one client ----------------------------------------------------------------


def _v_occupation(c: CandidateFacts) -> Sql:
    wanted = c.desired_occupations | c.possible_occupations
    if not wanted:
        return "(CASE WHEN m.occ_code = '' THEN 1.0 ELSE 0.0 END)", []
    desired, p1 = _in("m.occ_code", c.desired_occupations)
    possible, p2 = _in("m.occ_code", c.possible_occupations)
    minor, p3 = _in("SUBSTR(m.occ_code, 1, 3)", {o[:3] for o in wanted})
    sub_major, p4 = _in("SUBSTR(m.occ_code, 1, 2)", {o[:2] for o in wanted})
    return (
        f"(CASE WHEN m.occ_code = '' THEN 1.0 WHEN {desired} THEN 1.0"
        f" WHEN {possible} THEN {_f(OCCUPATION_POSSIBLE)}"
        f" WHEN {minor} THEN {_f(OCCUPATION_MINOR_GROUP)}"
        f" WHEN {sub_major} THEN {_f(OCCUPATION_SUB_MAJOR_GROUP)} ELSE 0.0 END)",
        p1 + p2 + p3 + p4,
    )


def _v_skills(c: CandidateFacts) -> Sql:
    r_have, r_params = _count_has("m.required_skills", c.skills)
    d_have, d_params = _count_has("m.desired_skills", c.skills)
    r_len, d_len = _length("m.required_skills"), _length("m.desired_skills")
    return _skills_fraction((r_have, r_params, r_len), (d_have, d_params, d_len))


def _v_education(c: CandidateFacts) -> Sql:
    free = [e.value for e in Education if EDUCATION_RANK[e] == 0] + [""]
    no_demand, p0 = _in("m.education", free)
    if c.education is None:
        return f"(CASE WHEN {no_demand} THEN 1.0 ELSE 0.0 END)", p0
    have = EDUCATION_RANK[c.education]
    full, p1 = _in("m.education", [e.value for e in Education if EDUCATION_RANK[e] <= have])
    half, p2 = _in("m.education", [e.value for e in Education if EDUCATION_RANK[e] == have + 1])
    return (
        f"(CASE WHEN {no_demand} THEN 1.0 WHEN {full} THEN 1.0"
        f" WHEN {half} THEN {_f(EDUCATION_ONE_BELOW)} ELSE 0.0 END)",
        p0 + p1 + p2,
    )


def _v_hours(c: CandidateFacts) -> Sql:
    known = [h for h in (c.hours_available, c.hour_restriction) if h is not None]
    if not known:
        return "0.0", []
    cap = min(known)
    return (
        f"(CASE WHEN m.hours_min <= {int(cap)} THEN 1.0 ELSE {float(cap)!r} / m.hours_min END)",
        [],
    )


def _v_distance(c: CandidateFacts) -> Sql:
    if c.location is None:
        return "0.0", []
    lat, lon = _point("vp")
    km = _haversine(repr(float(c.location.latitude)), repr(float(c.location.longitude)), lat, lon)
    limit = f"{float(c.max_distance_km or DEFAULT_MAX_DISTANCE_KM)!r}"
    licence = "1 = 0" if c.driving_licence else "m.requires_driving_licence"
    return (
        f"(CASE WHEN {licence} THEN 0.0 WHEN m.pc4 IS NULL OR m.pc4 = '' THEN 0.0"
        f" WHEN {lat} IS NULL THEN 1.0"  # not resolvable here: count as near (errs upwards)
        f" ELSE {_distance_fraction(km, limit)} END)",
        [],
    )


def _v_availability(c: CandidateFacts) -> Sql:
    return _f(AVAILABILITY_BY_STEP.get(c.ladder_step, 0)), []


def _v_eligibility(c: CandidateFacts) -> Sql:
    regular = (
        f"(CASE WHEN m.offers_lks THEN 1.0 ELSE {_f(LKS_NOT_OFFERED)} END)"
        if c.lks_eligible
        else "1.0"
    )
    ldr = "1.0" if c.ldr_registered else "0.0"
    nbw = "1.0" if c.nbw_indication else "0.0"
    return (
        f"(CASE m.exit WHEN %s THEN {ldr} WHEN %s THEN {nbw} ELSE {regular} END)",
        [VacancyExit.GARANTIEBAAN.value, VacancyExit.BESCHUT.value],
    )


def _v_demands(c: CandidateFacts) -> Sql:
    length = _length("m.demands")
    conflicts, params = _count_has("m.demands", c.restrictions)
    return (
        f"(CASE WHEN {length} = 0 THEN 1.0 ELSE ({length} - {conflicts}) / ({length} * 1.0) END)",
        params,
    )


_VACANCY_SQL: dict[Criterion, Callable[[CandidateFacts], Sql]] = {
    Criterion.OCCUPATION: _v_occupation,
    Criterion.SKILLS: _v_skills,
    Criterion.EDUCATION: _v_education,
    Criterion.HOURS: _v_hours,
    Criterion.DISTANCE: _v_distance,
    Criterion.AVAILABILITY: _v_availability,
    Criterion.ELIGIBILITY: _v_eligibility,
    Criterion.DEMANDS: _v_demands,
}


# --- Slices: rows grouped by their occupation fraction, best first ---------------------------


@dataclass(frozen=True)
class Slice:
    """Rows that share an occupation fraction, with the most points a row of them can have
    (the occupation's points plus every other weight in full). A slice whose bound is below
    the `limit`-th best points found so far cannot hold a top row and is not read at all;
    the first slice (the desired occupation) is read through the index on occupations, so
    a full scan is only needed when the better slices hold too few good rows."""

    bound: Decimal
    where: str
    params: list[Any]
    occupation: Decimal | None = None  # the occupation fraction of every row, if one
    empty: bool = False  # known to hold no row (no query needed)


def _and(*conditions: Sql) -> Sql:
    return " AND ".join(c for c, _ in conditions), [p for _, ps in conditions for p in ps]


def _not(condition: Sql) -> Sql:
    return f"NOT {condition[0]}", condition[1]


def _bounds(weights: dict[Criterion, int]) -> tuple[Decimal, Callable[[Decimal], Decimal]]:
    total = Decimal(sum(weights.get(c, 0) for c in CRITERIA))
    w = weights.get(Criterion.OCCUPATION, 0)

    def bound(fraction: Decimal) -> Decimal:
        return total - w + criterion_points(fraction, w)

    return total, bound


def candidate_slices(vacancy: VacancyFacts, weights: dict[Criterion, int]) -> list[Slice]:
    total, bound = _bounds(weights)
    if not vacancy.occupation or not weights.get(Criterion.OCCUPATION, 0):
        return [Slice(total, "1 = 1", [])]
    sets = _occupation_sets(vacancy.occupation)
    d, p, mi, su = sets["desired"], sets["possible"], sets["minor"], sets["sub_major"]
    parts = [
        (Decimal(1), d),
        (OCCUPATION_POSSIBLE, _and(p, _not(d))),
        (OCCUPATION_MINOR_GROUP, _and(mi, _not(p), _not(d))),
        (OCCUPATION_SUB_MAJOR_GROUP, _and(su, _not(mi))),
        (Decimal(0), _not(su)),
    ]
    return [Slice(bound(f), sql, params, f) for f, (sql, params) in parts]


def vacancy_slices(client: CandidateFacts, weights: dict[Criterion, int]) -> list[Slice]:
    total, bound = _bounds(weights)
    if not weights.get(Criterion.OCCUPATION, 0):
        return [Slice(total, "1 = 1", [])]
    wanted = client.desired_occupations | client.possible_occupations
    empty: Sql = ("m.occ_code = ''", [])
    d = _in("m.occ_code", client.desired_occupations)
    p = _in("m.occ_code", client.possible_occupations)
    mi = _in("SUBSTR(m.occ_code, 1, 3)", {o[:3] for o in wanted})
    su = _in("SUBSTR(m.occ_code, 1, 2)", {o[:2] for o in wanted})
    first: Sql = (f"({d[0]} OR {empty[0]})", d[1])
    parts = [
        (Decimal(1), first, False),
        (OCCUPATION_POSSIBLE, _and(p, _not(first)), not client.possible_occupations),
        (OCCUPATION_MINOR_GROUP, _and(mi, _not(p), _not(first)), not wanted),
        (OCCUPATION_SUB_MAJOR_GROUP, _and(su, _not(mi), _not(empty)), not wanted),
        (Decimal(0), _and(_not(su), _not(empty)), False),
    ]
    return [Slice(bound(f), sql, params, f, none) for f, (sql, params), none in parts]


# --- The queries -----------------------------------------------------------------------------


_DECIMAL_LITERAL = re.compile(r"(?<![\w.'])(\d+\.\d+(?:e-?\d+)?)(?![\w.])")


def _float_literals(sql: str) -> str:
    """On PostgreSQL a literal like 0.8 is `numeric`, and numeric arithmetic over 260,000
    rows costs more than the scan: our literals become float8 (only in our fragments)."""
    if connection.vendor != "postgresql":
        return sql
    return _DECIMAL_LITERAL.sub(r"\1::float8", sql)


def _weighted_sum(
    fragments: dict[Criterion, Callable[[Any], Sql]],
    facts: Any,
    weights: dict[Criterion, int],
    where: Slice | None,
) -> Sql:
    parts, params = [], []
    for criterion in CRITERIA:
        weight = weights.get(criterion, 0)
        if not weight:
            continue
        if criterion is Criterion.OCCUPATION and where and where.occupation is not None:
            sql, p = _f(where.occupation), list[Any]()  # the same for every row of the slice
        else:
            sql, p = fragments[criterion](facts)
        parts.append(f"{int(weight)}.0 * {sql}")
        params += p
    return _float_literals(" + ".join(parts) or "0.0"), params


def _scored(base: QuerySet[Any], rid: str, joins: str, total: Sql, where: Slice | None) -> Sql:
    """`SELECT rid, s` over the rows of `base` joined with `joins`, in slice `where`: `rid`
    the row's id column, s the weighted sum `total`."""
    base_sql, base_params = base.query.sql_with_params()
    total_sql, total_params = total
    cond, cond_params = (where.where, where.params) if where else ("1 = 1", [])
    sql = f"SELECT m.{rid} AS rid, {total_sql} AS s FROM ({base_sql}) m{joins} WHERE {cond}"  # noqa: S608
    return sql, [*total_params, *base_params, *cond_params]  # in the order of the text


def candidate_sql(
    profiles: QuerySet[WorkProfile],
    vacancy: VacancyFacts,
    weights: dict[Criterion, int],
    where: Slice | None = None,
) -> Sql:
    """`SELECT rid, s` over `profiles` (already scoped) in slice `where`: rid the client id,
    s the unrounded SQL sum."""
    base = (
        profiles.order_by()
        .annotate(**{alias: F(path) for alias, path in _CLIENT_COLUMNS.items()})
        .values(*_PROFILE_COLUMNS, *_CLIENT_COLUMNS)
    )
    joins = _pc_joins("cp", "SUBSTR(m.c_postcode, 1, 4)")
    return _scored(
        base, "client_id", joins, _weighted_sum(_CANDIDATE_SQL, vacancy, weights, where), where
    )


def vacancy_sql(
    vacancies: QuerySet[Any],
    client: CandidateFacts,
    weights: dict[Criterion, int],
    where: Slice | None = None,
) -> Sql:
    """`SELECT rid, s` over `vacancies` (already scoped) in slice `where`: rid the vacancy
    id, s the unrounded SQL sum."""
    base = (
        vacancies.order_by()
        .annotate(occ_code=F("occupation__code"))
        .values(*_VACANCY_COLUMNS, "occ_code")
    )
    joins = _pc_joins("vp", "m.pc4")
    return _scored(base, "id", joins, _weighted_sum(_VACANCY_SQL, client, weights, where), where)


@dataclass(frozen=True)
class Near:
    """The rows near the top by the SQL sum: every row whose sum is at least `cut` (the
    `limit`-th best sum minus twice the rounding margin), or every row (`cut` None)."""

    ids: list[int]
    cut: float | None


def near_top(query: Sql, *, limit: int, margin: float) -> Near:
    """One query: the rows whose SQL sum is within twice `margin` of the `limit`-th best
    sum (ties included), so the true top is usually among them."""
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH z AS MATERIALIZED ({sql}),"  # noqa: S608
            " c AS (SELECT s FROM z ORDER BY s DESC LIMIT 1 OFFSET %s)"
            " SELECT z.rid, (SELECT s FROM c) - %s FROM z"
            " WHERE NOT EXISTS (SELECT 1 FROM c) OR z.s >= (SELECT s FROM c) - %s"
            " ORDER BY z.s DESC, z.rid",
            [*params, limit - 1, 2 * margin, 2 * margin],
        )
        rows = cursor.fetchall()
    cut = rows[0][1] if rows else None
    return Near(ids=[r[0] for r in rows], cut=None if cut is None else float(cut))


def ids_from(query: Sql, *, at_least: float) -> list[int]:
    """Every id whose SQL sum is at least `at_least` (the second query, rarely needed)."""
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT z.rid FROM ({sql}) z WHERE z.s >= %s", [*params, at_least])  # noqa: S608
        return [r[0] for r in cursor.fetchall()]
