"""The matching score (R-MAT, spec section 11), as a pure module: no ORM, no Django.

**Fair by construction.** Everything a score may depend on is in the two input types below,
`CandidateFacts` and `VacancyFacts`; the criteria are declared once, in `CRITERIA`. The
candidate's nationality, migration background, the target groups derived from them, age
(date of birth), gender and health details (obstacles, diagnoses) are *not fields* of
`CandidateFacts`, so no criterion can read them; `PROTECTED_ATTRIBUTES` names them and a
test checks that no input field carries one of those names. A property test changes those
attributes on random clients in the database and proves scores and order identical.

**Explained.** A score is the sum of one `CriterionResult` per criterion: its weight, the
fraction of that weight earned (0..1), whether it counts as matched, and a Dutch sentence
saying by how much. The weights per organisation are data (`MatchWeights`), edited by the
application administrator; `DEFAULT_WEIGHTS` sum to 100.

The criteria (R-MAT, with R-LAD-4 for availability and eligibility):

- beroep: the vacancy's ISCO-08 occupation is a desired occupation (possible occupation
  0,8; same ISCO minor group 0,5; same sub-major group 0,25);
- vaardigheden: the share of required (0,8) and desired (0,2) skills present;
- opleiding: education level at least the vacancy's (one level below 0,5);
- uren: the hours the client can work (the lower of availability and the recorded hour
  restriction) reach the vacancy's minimum (else the share of the minimum reached);
- reisafstand: distance between PC4 centroids within the client's maximum, closer is
  better (1 - 0,5 x distance / maximum), a driving licence where the vacancy requires one;
- beschikbaarheid: ladder step 5 full, steps 4 and 6 0,8 (R-LAD-4: steps 4-6 first),
  3 0,3, 2b 0,2, 1 and 2a nothing;
- regeling: the client may take the vacancy's exit of the participatierotonde (a
  garantiebaan needs LDR registration, beschut werk an NBW indication); an LKS-eligible
  client for an employer without LKS 0,7;
- belastbaarheid: the share of the vacancy's work demands that are not among the client's
  work-related restrictions.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from opstap.core.money import round_half_up

__all__ = [
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "EDUCATION_RANK",
    "PROTECTED_ATTRIBUTES",
    "CandidateFacts",
    "Criterion",
    "CriterionResult",
    "Education",
    "MatchResult",
    "Pc4Point",
    "VacancyExit",
    "WorkDemand",
    "criterion_points",
    "distance_km",
    "rank",
    "rounding_margin",
    "score",
    "validate_weights",
]


class Criterion(StrEnum):
    OCCUPATION = "occupation"
    SKILLS = "skills"
    EDUCATION = "education"
    HOURS = "hours"
    DISTANCE = "distance"
    AVAILABILITY = "availability"
    ELIGIBILITY = "eligibility"
    DEMANDS = "demands"


CRITERION_NAMES_NL: dict[Criterion, str] = {
    Criterion.OCCUPATION: "Beroep",
    Criterion.SKILLS: "Vaardigheden",
    Criterion.EDUCATION: "Opleiding",
    Criterion.HOURS: "Uren",
    Criterion.DISTANCE: "Reisafstand en vervoer",
    Criterion.AVAILABILITY: "Beschikbaarheid (trede)",
    Criterion.ELIGIBILITY: "Regeling (garantiebaan, beschut werk, LKS)",
    Criterion.DEMANDS: "Belastbaarheid",
}

#: The criteria in display order: the one place they are declared.
CRITERIA: tuple[Criterion, ...] = tuple(Criterion)

DEFAULT_WEIGHTS: dict[Criterion, int] = {
    Criterion.OCCUPATION: 25,
    Criterion.SKILLS: 15,
    Criterion.EDUCATION: 10,
    Criterion.HOURS: 15,
    Criterion.DISTANCE: 10,
    Criterion.AVAILABILITY: 10,
    Criterion.ELIGIBILITY: 10,
    Criterion.DEMANDS: 5,
}
MAX_WEIGHT = 100

#: Attributes of a person that never influence a score (R-MAT). None of them is a field of
#: `CandidateFacts`; the selectors never read them for matching.
PROTECTED_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "nationality",
        "migration_background",
        "target_groups",
        "date_of_birth",
        "age",
        "gender",
        "obstacles",
        "health",
    }
)


class Education(StrEnum):
    """Dutch education levels, lowest first (highest completed level)."""

    NONE = "none"
    BASIS = "basis"
    VMBO = "vmbo"
    MBO1 = "mbo1"
    MBO2 = "mbo2"
    HAVO = "havo"
    MBO3 = "mbo3"
    VWO = "vwo"
    MBO4 = "mbo4"
    HBO = "hbo"
    WO = "wo"


EDUCATION_NAMES_NL: dict[Education, str] = {
    Education.NONE: "Geen opleiding",
    Education.BASIS: "Basisonderwijs",
    Education.VMBO: "Vmbo",
    Education.MBO1: "Mbo 1 (entreeopleiding)",
    Education.MBO2: "Mbo 2 (basisberoepsopleiding)",
    Education.HAVO: "Havo",
    Education.MBO3: "Mbo 3 (vakopleiding)",
    Education.VWO: "Vwo",
    Education.MBO4: "Mbo 4 (middenkader)",
    Education.HBO: "Hbo",
    Education.WO: "Wo",
}

#: Rank of each level for comparing (NLQF-like: vmbo ~ mbo 1, havo ~ mbo 3, vwo ~ mbo 4).
EDUCATION_RANK: dict[Education, int] = {
    Education.NONE: 0,
    Education.BASIS: 0,
    Education.VMBO: 1,
    Education.MBO1: 1,
    Education.MBO2: 2,
    Education.HAVO: 3,
    Education.MBO3: 3,
    Education.VWO: 4,
    Education.MBO4: 4,
    Education.HBO: 5,
    Education.WO: 6,
}


class VacancyExit(StrEnum):
    """Which exit of the participatierotonde (R-LAD-4) the position is."""

    REGULAR = "regular"  # regulier werk
    GARANTIEBAAN = "garantiebaan"  # garantiebaan (LDR), usually with LKS
    BESCHUT = "beschut"  # beschut werk (NBW indication)


class WorkDemand(StrEnum):
    """Work demands of a vacancy, and the same codes as a client's work-related restrictions
    (categories, never medical detail)."""

    PHYSICAL = "physical"
    STANDING = "standing"
    NIGHT_SHIFTS = "night_shifts"
    CUSTOMER_CONTACT = "customer_contact"
    BUSY_ENVIRONMENT = "busy_environment"
    HEIGHTS = "heights"
    TIME_PRESSURE = "time_pressure"


WORK_DEMAND_NAMES_NL: dict[WorkDemand, str] = {
    WorkDemand.PHYSICAL: "fysiek zwaar werk (tillen)",
    WorkDemand.STANDING: "lang staan of lopen",
    WorkDemand.NIGHT_SHIFTS: "nachtdiensten",
    WorkDemand.CUSTOMER_CONTACT: "veel klantcontact",
    WorkDemand.BUSY_ENVIRONMENT: "drukke of lawaaiige omgeving",
    WorkDemand.HEIGHTS: "werken op hoogte",
    WorkDemand.TIME_PRESSURE: "hoge tijdsdruk",
}

#: Availability per ladder step (R-LAD-4: steps 4-6 first; step 5 is directly available).
AVAILABILITY_BY_STEP: dict[str, Decimal] = {
    "5": Decimal("1"),
    "4": Decimal("0.8"),
    "6": Decimal("0.8"),
    "3": Decimal("0.3"),
    "2b": Decimal("0.2"),
    "2a": Decimal("0"),
    "1": Decimal("0"),
}
LADDER_NAMES_NL = {
    "1": "trede 1",
    "2a": "trede 2a",
    "2b": "trede 2b",
    "3": "trede 3",
    "4": "trede 4",
    "5": "trede 5",
    "6": "trede 6",
}

DEFAULT_MAX_DISTANCE_KM = 15

# The partial fractions of the criteria, named once: the rules below and the SQL ranking
# (`matching.ranking`, which orders the candidates in the database) both read them.
OCCUPATION_POSSIBLE = Decimal("0.8")  # a possible (not the desired) occupation
OCCUPATION_MINOR_GROUP = Decimal("0.5")  # same ISCO minor group (first 3 digits)
OCCUPATION_SUB_MAJOR_GROUP = Decimal("0.25")  # same ISCO sub-major group (first 2 digits)
SKILLS_REQUIRED_SHARE = Decimal("0.8")  # share of the skills fraction for required skills
SKILLS_DESIRED_SHARE = Decimal("0.2")  # and for desired skills
EDUCATION_ONE_BELOW = Decimal("0.5")  # one level below the vacancy's
DISTANCE_DECAY = 0.5  # 1 - DISTANCE_DECAY x distance / maximum
LKS_NOT_OFFERED = Decimal("0.7")  # LKS-eligible client, employer without LKS


@dataclass(frozen=True, slots=True)
class Pc4Point:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What a score may know of a client: the work profile and the record's facts on work
    (ladder step, hour restriction, LDR/NBW/LKS). Nothing else (see `PROTECTED_ATTRIBUTES`)."""

    client_id: int
    desired_occupations: frozenset[str] = frozenset()
    possible_occupations: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    education: Education | None = None
    hours_available: int | None = None
    hour_restriction: int | None = None
    location: Pc4Point | None = None
    max_distance_km: int | None = None
    driving_licence: bool = False
    own_transport: bool = False
    restrictions: frozenset[str] = frozenset()
    ladder_step: str = ""
    ldr_registered: bool = False
    nbw_indication: bool = False
    lks_eligible: bool = False


@dataclass(frozen=True, slots=True)
class VacancyFacts:
    vacancy_id: int
    occupation: str = ""
    required_skills: frozenset[str] = frozenset()
    desired_skills: frozenset[str] = frozenset()
    education: Education | None = None
    hours_min: int = 0
    hours_max: int = 0
    location: Pc4Point | None = None
    requires_driving_licence: bool = False
    demands: frozenset[str] = frozenset()
    exit: VacancyExit = VacancyExit.REGULAR
    offers_lks: bool = False


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion: Criterion
    weight: int
    fraction: Decimal  # 0..1
    matched: bool
    explanation: str

    @property
    def points(self) -> Decimal:
        return criterion_points(self.fraction, self.weight)

    @property
    def name(self) -> str:
        return CRITERION_NAMES_NL[self.criterion]


@dataclass(frozen=True, slots=True)
class MatchResult:
    client_id: int
    vacancy_id: int
    criteria: tuple[CriterionResult, ...] = field(default_factory=tuple)

    @property
    def points(self) -> Decimal:
        return sum((c.points for c in self.criteria), Decimal(0))

    @property
    def max_points(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def percentage(self) -> int:
        if not self.max_points:
            return 0
        return int(round_half_up(self.points * 100 / self.max_points, 0))

    @property
    def matched(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.matched)

    @property
    def unmatched(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if not c.matched)


# --- helpers ---------------------------------------------------------------------------------

_ONE = Decimal(1)
_ZERO = Decimal(0)


def _frac(value: float | Decimal) -> Decimal:
    d = Decimal(str(value)) if isinstance(value, float) else value
    return round_half_up(max(_ZERO, min(_ONE, d)), 2)


def criterion_points(fraction: Decimal, weight: int) -> Decimal:
    """A criterion's points: its fraction (0..1, in hundredths) times its weight, rounded half
    up to 0,1. `CriterionResult.points` and the SQL ranking's bound per occupation slice
    (`matching.ranking`) both count with it, so the bound is the score's own number."""
    return round_half_up(fraction * weight, 1)


def distance_km(a: Pc4Point, b: Pc4Point) -> float:
    """Great-circle distance between two points (haversine, earth radius 6371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _nl(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _list_nl(items: Iterable[str]) -> str:
    items = sorted(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


# --- the criteria ----------------------------------------------------------------------------


def _occupation(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    code = v.occupation
    if not code:
        return _ONE, "De vacature noemt geen beroep."
    if code in c.desired_occupations:
        return _ONE, "Gewenst beroep."
    if code in c.possible_occupations:
        return OCCUPATION_POSSIBLE, "Mogelijk beroep (niet het gewenste)."
    wanted = c.desired_occupations | c.possible_occupations
    if not wanted:
        return _ZERO, "Geen gewenste of mogelijke beroepen in het werkprofiel."
    if any(o[:3] == code[:3] for o in wanted):
        return OCCUPATION_MINOR_GROUP, "Verwant beroep (zelfde beroepsgroep)."
    if any(o[:2] == code[:2] for o in wanted):
        return OCCUPATION_SUB_MAJOR_GROUP, "Beroep in hetzelfde beroepsveld."
    return _ZERO, "Ander beroepsveld dan gewenst of mogelijk."


def _skills(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    if not v.required_skills and not v.desired_skills:
        return _ONE, "De vacature vraagt geen bepaalde vaardigheden."
    req_have = v.required_skills & c.skills
    des_have = v.desired_skills & c.skills
    req_part = (
        Decimal(len(req_have)) / len(v.required_skills) if v.required_skills else _ONE
    ) * SKILLS_REQUIRED_SHARE
    des_part = (
        Decimal(len(des_have)) / len(v.desired_skills) if v.desired_skills else _ONE
    ) * SKILLS_DESIRED_SHARE
    parts = []
    if v.required_skills:
        parts.append(f"{len(req_have)} van {len(v.required_skills)} vereiste vaardigheden")
    if v.desired_skills:
        parts.append(f"{len(des_have)} van {len(v.desired_skills)} gewenste")
    text = ", ".join(parts) + "."
    missing = v.required_skills - c.skills
    if missing:
        text += f" Ontbreekt: {_list_nl(missing)}."
    return _frac(req_part + des_part), text[:1].upper() + text[1:]


def _education(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    if v.education is None or EDUCATION_RANK[v.education] == 0:
        return _ONE, "Geen opleidingseis."
    wanted = EDUCATION_NAMES_NL[v.education]
    if c.education is None:
        return _ZERO, f"Opleiding onbekend; gevraagd: {wanted}."
    gap = EDUCATION_RANK[v.education] - EDUCATION_RANK[c.education]
    if gap <= 0:
        return _ONE, f"Opleiding voldoet ({EDUCATION_NAMES_NL[c.education]})."
    if gap == 1:
        return EDUCATION_ONE_BELOW, f"Eén niveau onder de eis ({wanted})."
    return _ZERO, f"{gap} niveaus onder de eis ({wanted})."


def _capacity(c: CandidateFacts) -> int | None:
    """The hours a client can work: the lower of availability and the recorded restriction."""
    known = [h for h in (c.hours_available, c.hour_restriction) if h is not None]
    return min(known) if known else None


def _hours(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    cap = _capacity(c)
    hours_text = (
        f"{v.hours_min}-{v.hours_max} uur" if v.hours_max > v.hours_min else f"{v.hours_min} uur"
    )
    if cap is None:
        return _ZERO, f"Beschikbare uren onbekend; vacature {hours_text}."
    limited = (
        " (urenbeperking)"
        if c.hour_restriction is not None
        and (c.hours_available is None or c.hour_restriction < c.hours_available)
        else ""
    )
    if v.hours_min <= 0 or cap >= v.hours_min:
        return _ONE, f"Beschikbaar {cap} uur{limited}; vacature {hours_text}."
    short = v.hours_min - cap
    return _frac(Decimal(cap) / v.hours_min), (
        f"Beschikbaar {cap} uur{limited}; vacature {hours_text}: {short} uur te weinig."
    )


def _distance(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    if v.requires_driving_licence and not c.driving_licence:
        return _ZERO, "Rijbewijs vereist; de kandidaat heeft geen rijbewijs."
    if c.location is None or v.location is None:
        return _ZERO, "Afstand onbekend (postcode ontbreekt of onbekend)."
    d = distance_km(c.location, v.location)
    limit = c.max_distance_km or DEFAULT_MAX_DISTANCE_KM
    if d > limit:
        return _ZERO, f"{_nl(d)} km; meer dan de maximale reisafstand ({limit} km)."
    transport = " met eigen vervoer" if c.own_transport else ""
    return _frac(1 - DISTANCE_DECAY * d / limit), f"{_nl(d)} km (maximaal {limit} km{transport})."


def _availability(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    value = AVAILABILITY_BY_STEP.get(c.ladder_step, _ZERO)
    name = LADDER_NAMES_NL.get(c.ladder_step, "trede onbekend")
    if c.ladder_step == "5":
        return value, f"Direct beschikbaar ({name})."
    if c.ladder_step in ("4", "6"):
        return value, f"Beschikbaar voor werk ({name}; treden 4-6 gaan voor)."
    return value, f"Nog niet beschikbaar voor werk ({name})."


def _eligibility(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    if v.exit is VacancyExit.GARANTIEBAAN:
        if c.ldr_registered:
            return _ONE, "Garantiebaan: staat in het doelgroepregister."
        return _ZERO, "Garantiebaan: alleen voor wie in het doelgroepregister staat."
    if v.exit is VacancyExit.BESCHUT:
        if c.nbw_indication:
            return _ONE, "Beschut werk: heeft een indicatie beschut werk."
        return _ZERO, "Beschut werk: alleen met een indicatie beschut werk."
    if c.lks_eligible and not v.offers_lks:
        return LKS_NOT_OFFERED, "Regulier werk; de werkgever biedt geen loonkostensubsidie."
    return _ONE, "Regulier werk."


_DEMAND_CODES = frozenset(d.value for d in WorkDemand)


def _demands(c: CandidateFacts, v: VacancyFacts) -> tuple[Decimal, str]:
    if not v.demands:
        return _ONE, "Geen bijzondere werkbelasting."
    conflicts = v.demands & c.restrictions
    if not conflicts:
        return _ONE, "Past bij de belastbaarheid."
    names = [WORK_DEMAND_NAMES_NL.get(WorkDemand(d), d) for d in conflicts if d in _DEMAND_CODES]
    return _frac(Decimal(len(v.demands) - len(conflicts)) / len(v.demands)), (
        f"Vraagt {_list_nl(names)}: past niet bij de belastbaarheid."
    )


_RULES: dict[Criterion, Callable[[CandidateFacts, VacancyFacts], tuple[Decimal, str]]] = {
    Criterion.OCCUPATION: _occupation,
    Criterion.SKILLS: _skills,
    Criterion.EDUCATION: _education,
    Criterion.HOURS: _hours,
    Criterion.DISTANCE: _distance,
    Criterion.AVAILABILITY: _availability,
    Criterion.ELIGIBILITY: _eligibility,
    Criterion.DEMANDS: _demands,
}

#: A criterion counts as matched from this fraction up.
MATCHED_FROM = Decimal("0.75")


def validate_weights(weights: Mapping[str, object]) -> dict[Criterion, int]:
    """Weights as integers 0..100 for every criterion; raises ValueError with a Dutch
    message naming the criterion otherwise. At least one weight must be positive."""
    out: dict[Criterion, int] = {}
    for criterion in CRITERIA:
        raw = weights.get(criterion.value, DEFAULT_WEIGHTS[criterion])
        try:
            value = int(str(raw))
        except ValueError as exc:
            raise ValueError(
                f"{CRITERION_NAMES_NL[criterion]}: vul een geheel getal in.", criterion.value
            ) from exc
        if not 0 <= value <= MAX_WEIGHT:
            raise ValueError(
                f"{CRITERION_NAMES_NL[criterion]}: het gewicht ligt tussen 0 en {MAX_WEIGHT}.",
                criterion.value,
            )
        out[criterion] = value
    unknown = set(weights) - {c.value for c in CRITERIA}
    if unknown:
        raise ValueError(f"Onbekend criterium: {', '.join(sorted(unknown))}.", "")
    if not any(out.values()):
        raise ValueError("Minstens één criterium moet meetellen.", "")
    return out


def score(
    candidate: CandidateFacts,
    vacancy: VacancyFacts,
    weights: Mapping[Criterion, int] | None = None,
) -> MatchResult:
    """The explained score of one candidate for one vacancy."""
    w = DEFAULT_WEIGHTS if weights is None else weights
    results = []
    for criterion in CRITERIA:
        fraction, text = _RULES[criterion](candidate, vacancy)
        fraction = _frac(fraction)
        results.append(
            CriterionResult(
                criterion=criterion,
                weight=w.get(criterion, 0),
                fraction=fraction,
                matched=fraction >= MATCHED_FROM,
                explanation=text,
            )
        )
    return MatchResult(
        client_id=candidate.client_id, vacancy_id=vacancy.vacancy_id, criteria=tuple(results)
    )


def rounding_margin(weights: Mapping[Criterion, int]) -> float:
    """The most a result's points can differ from the unrounded sum of weight x fraction
    over the criteria: each fraction is rounded to 0,01 (at most 0,005 x weight) and each
    criterion's points to 0,1 (at most 0,05); a criterion with weight 0 adds nothing. The SQL
    ranking (`matching.ranking`) orders by the unrounded sum and uses this margin to know
    which candidates it must score exactly."""
    return sum(0.005 * w + 0.05 for w in (weights.get(c, 0) for c in CRITERIA) if w) + 1e-6


def rank(results: Iterable[MatchResult], *, by: str, limit: int = 20) -> list[MatchResult]:
    """The best `limit` results: highest points first, then the lowest id of the other side
    (`by="client"` ranks candidates, `by="vacancy"` vacancies), so the order is total and
    never depends on anything but the scores."""
    key_id: Callable[[MatchResult], int] = (
        (lambda r: r.client_id) if by == "client" else (lambda r: r.vacancy_id)
    )
    return heapq.nsmallest(limit, results, key=lambda r: (-r.points, key_id(r)))
