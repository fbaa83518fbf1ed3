"""The explained score (R-MAT), table-driven, pure: each row cites the rule it shows."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.matching import scoring as s
from opstap.matching.geo import normalise_postcode, pc4_of, resolve_point
from opstap.matching.kvk import KvkError, normalise_kvk, normalise_vestigingsnummer
from opstap.matching.scoring import CandidateFacts, Criterion, Education, Pc4Point, VacancyFacts

ZEVENAAR = Pc4Point(51.9290, 6.0750)
DUIVEN = Pc4Point(51.9470, 6.0200)
DOESBURG = Pc4Point(52.0120, 6.1400)

BASE_C = CandidateFacts(
    client_id=1,
    desired_occupations=frozenset({"9333"}),
    possible_occupations=frozenset({"8344"}),
    skills=frozenset({"heftruck", "orderpicken"}),
    education=Education.MBO2,
    hours_available=32,
    location=DUIVEN,
    max_distance_km=15,
    ladder_step="5",
)
BASE_V = VacancyFacts(
    vacancy_id=7,
    occupation="9333",
    required_skills=frozenset({"orderpicken"}),
    desired_skills=frozenset({"heftruck"}),
    education=Education.MBO1,
    hours_min=24,
    hours_max=32,
    location=ZEVENAAR,
)


def _c(**kw: object) -> CandidateFacts:
    return dataclasses.replace(BASE_C, **kw)  # type: ignore[arg-type]


def _v(**kw: object) -> VacancyFacts:
    return dataclasses.replace(BASE_V, **kw)  # type: ignore[arg-type]


def _fraction(c: CandidateFacts, v: VacancyFacts, criterion: Criterion) -> Decimal:
    return next(r.fraction for r in s.score(c, v).criteria if r.criterion is criterion)


# (rule, criterion, candidate, vacancy, expected fraction)
CASES = [
    ("R-MAT occupation desired", Criterion.OCCUPATION, _c(), _v(), Decimal("1")),
    (
        "R-MAT occupation possible",
        Criterion.OCCUPATION,
        _c(),
        _v(occupation="8344"),
        Decimal("0.8"),
    ),
    (
        "R-MAT occupation minor group",
        Criterion.OCCUPATION,
        _c(),
        _v(occupation="9334"),
        Decimal("0.5"),
    ),
    (
        "R-MAT occupation sub-major",
        Criterion.OCCUPATION,
        _c(),
        _v(occupation="9321"),
        Decimal("0.25"),
    ),
    (
        "R-MAT occupation other field",
        Criterion.OCCUPATION,
        _c(),
        _v(occupation="2512"),
        Decimal("0"),
    ),
    ("R-MAT skills all", Criterion.SKILLS, _c(), _v(), Decimal("1")),
    (
        "R-MAT skills required missing",
        Criterion.SKILLS,
        _c(skills=frozenset({"heftruck"})),
        _v(),
        Decimal("0.2"),
    ),
    (
        "R-MAT skills desired missing",
        Criterion.SKILLS,
        _c(skills=frozenset({"orderpicken"})),
        _v(),
        Decimal("0.8"),
    ),
    ("R-MAT education above", Criterion.EDUCATION, _c(), _v(), Decimal("1")),
    (
        "R-MAT education one below",
        Criterion.EDUCATION,
        _c(education=Education.MBO1),
        _v(education=Education.MBO2),
        Decimal("0.5"),
    ),
    (
        "R-MAT education two below",
        Criterion.EDUCATION,
        _c(education=Education.VMBO),
        _v(education=Education.MBO3),
        Decimal("0"),
    ),
    ("R-MAT education unknown", Criterion.EDUCATION, _c(education=None), _v(), Decimal("0")),
    ("R-MAT hours enough", Criterion.HOURS, _c(), _v(), Decimal("1")),
    ("R-MAT hours short", Criterion.HOURS, _c(hours_available=12), _v(), Decimal("0.5")),
    (
        "R-MAT hour restriction from record",
        Criterion.HOURS,
        _c(hour_restriction=18),
        _v(),
        Decimal("0.75"),
    ),
    ("R-MAT hours unknown", Criterion.HOURS, _c(hours_available=None), _v(), Decimal("0")),
    ("R-MAT distance within", Criterion.DISTANCE, _c(), _v(), Decimal("0.86")),
    ("R-MAT distance too far", Criterion.DISTANCE, _c(max_distance_km=3), _v(), Decimal("0")),
    ("R-MAT distance unknown", Criterion.DISTANCE, _c(location=None), _v(), Decimal("0")),
    (
        "R-MAT licence required",
        Criterion.DISTANCE,
        _c(),
        _v(requires_driving_licence=True),
        Decimal("0"),
    ),
    ("R-LAD-4 step 5", Criterion.AVAILABILITY, _c(), _v(), Decimal("1")),
    ("R-LAD-4 step 4", Criterion.AVAILABILITY, _c(ladder_step="4"), _v(), Decimal("0.8")),
    ("R-LAD-4 step 6", Criterion.AVAILABILITY, _c(ladder_step="6"), _v(), Decimal("0.8")),
    ("R-LAD-4 step 3", Criterion.AVAILABILITY, _c(ladder_step="3"), _v(), Decimal("0.3")),
    ("R-LAD-4 step 2a", Criterion.AVAILABILITY, _c(ladder_step="2a"), _v(), Decimal("0")),
    ("R-LAD-4 regular", Criterion.ELIGIBILITY, _c(), _v(), Decimal("1")),
    (
        "R-LAD-4 garantiebaan LDR",
        Criterion.ELIGIBILITY,
        _c(ldr_registered=True),
        _v(exit=s.VacancyExit.GARANTIEBAAN),
        Decimal("1"),
    ),
    (
        "R-LAD-4 garantiebaan no LDR",
        Criterion.ELIGIBILITY,
        _c(),
        _v(exit=s.VacancyExit.GARANTIEBAAN),
        Decimal("0"),
    ),
    (
        "R-LAD-4 beschut NBW",
        Criterion.ELIGIBILITY,
        _c(nbw_indication=True),
        _v(exit=s.VacancyExit.BESCHUT),
        Decimal("1"),
    ),
    (
        "R-LAD-4 beschut no NBW",
        Criterion.ELIGIBILITY,
        _c(),
        _v(exit=s.VacancyExit.BESCHUT),
        Decimal("0"),
    ),
    ("R-MAT LKS not offered", Criterion.ELIGIBILITY, _c(lks_eligible=True), _v(), Decimal("0.7")),
    (
        "R-MAT LKS offered",
        Criterion.ELIGIBILITY,
        _c(lks_eligible=True),
        _v(offers_lks=True),
        Decimal("1"),
    ),
    (
        "R-MAT demands none",
        Criterion.DEMANDS,
        _c(restrictions=frozenset({"physical"})),
        _v(),
        Decimal("1"),
    ),
    (
        "R-MAT demands conflict",
        Criterion.DEMANDS,
        _c(restrictions=frozenset({"physical"})),
        _v(demands=frozenset({"physical", "standing"})),
        Decimal("0.5"),
    ),
]


@pytest.mark.parametrize(
    ("rule", "criterion", "c", "v", "expected"), CASES, ids=[r[0] for r in CASES]
)
def test_criterion_table(
    rule: str, criterion: Criterion, c: CandidateFacts, v: VacancyFacts, expected: Decimal
) -> None:
    assert _fraction(c, v, criterion) == expected, rule


def test_explanations_say_by_how_much() -> None:
    """R-MAT: every result names each criterion, whether it matched, and by how much."""
    result = s.score(_c(hours_available=12, skills=frozenset({"heftruck"})), _v())
    texts = {r.criterion: r.explanation for r in result.criteria}
    assert "12 uur te weinig" in texts[Criterion.HOURS]
    assert "Ontbreekt: orderpicken" in texts[Criterion.SKILLS]
    assert "km" in texts[Criterion.DISTANCE]
    assert [r.criterion for r in result.criteria] == list(s.CRITERIA)
    assert Criterion.HOURS in {r.criterion for r in result.unmatched}
    assert Criterion.OCCUPATION in {r.criterion for r in result.matched}


def test_score_is_the_weighted_sum() -> None:
    """R-MAT: the total is the sum of weight x fraction of the named criteria."""
    result = s.score(_c(hours_available=12), _v())
    assert result.points == sum(r.points for r in result.criteria)
    assert result.max_points == 100
    weights = {**s.DEFAULT_WEIGHTS, Criterion.HOURS: 0}
    assert s.score(_c(hours_available=12), _v(), weights).max_points == 85


def test_distance_haversine() -> None:
    assert 4.0 < s.distance_km(DUIVEN, ZEVENAAR) < 4.3
    assert s.distance_km(ZEVENAAR, ZEVENAAR) == 0


def test_no_input_is_a_protected_attribute() -> None:
    """R-MAT fairness by construction: nationality, migration background, target groups,
    age, gender and health are not fields of the facts a score reads."""
    fields = {f.name for f in dataclasses.fields(CandidateFacts)}
    assert not fields & s.PROTECTED_ATTRIBUTES
    assert not {f.name for f in dataclasses.fields(VacancyFacts)} & s.PROTECTED_ATTRIBUTES


def test_weights_validation() -> None:
    assert s.validate_weights({"hours": "30"})[Criterion.HOURS] == 30
    for bad in ({"hours": "-1"}, {"hours": "101"}, {"hours": "x"}, {"nationality": 5}):
        with pytest.raises(ValueError):
            s.validate_weights(bad)
    with pytest.raises(ValueError, match="Minstens"):
        s.validate_weights(dict.fromkeys((c.value for c in s.CRITERIA), 0))


def test_rank_is_total_and_deterministic() -> None:
    a = s.score(_c(client_id=3), _v())
    b = s.score(_c(client_id=2), _v())
    worse = s.score(_c(client_id=1, hours_available=1), _v())
    assert [r.client_id for r in s.rank([a, worse, b], by="client")] == [2, 3, 1]
    assert len(s.rank([a, b, worse], by="client", limit=2)) == 2


@given(
    hours=st.integers(0, 60),
    restriction=st.one_of(st.none(), st.integers(0, 60)),
    step=st.sampled_from(["1", "2a", "2b", "3", "4", "5", "6"]),
    skills=st.frozensets(st.sampled_from(["a", "b", "c", "orderpicken", "heftruck"])),
)
def test_every_fraction_is_between_0_and_1(
    hours: int, restriction: int | None, step: str, skills: frozenset[str]
) -> None:
    result = s.score(
        _c(hours_available=hours, hour_restriction=restriction, ladder_step=step, skills=skills),
        _v(),
    )
    assert 0 <= result.percentage <= 100
    for r in result.criteria:
        assert 0 <= r.fraction <= 1


def test_kvk_rules() -> None:
    assert normalise_kvk("6900 1234") == "69001234"
    assert normalise_kvk("69.00.12.34") == "69001234"
    for bad, fragment in (
        ("1234567", "precies 8"),
        ("12a45678", "alleen uit cijfers"),
        ("00000000", "bestaat niet"),
        ("", "Vul"),
        ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", "cijfers"),
    ):
        with pytest.raises(KvkError, match=fragment):
            normalise_kvk(bad)
    assert normalise_vestigingsnummer("0000 1234 5678") == "000012345678"
    with pytest.raises(KvkError):
        normalise_vestigingsnummer("12345678")


def test_postcodes_and_pc3_estimate() -> None:
    assert normalise_postcode("6921ab") == "6921 AB"
    with pytest.raises(ValueError):
        normalise_postcode("0921 AB")
    assert pc4_of("6921 AB") == "6921"
    table = {"6921": DUIVEN, "6922": Pc4Point(51.9450, 6.0000)}
    assert resolve_point("6921", table) == (DUIVEN, False)
    point, estimated = resolve_point("6927", table)
    assert estimated and point is not None and abs(point.longitude - 6.01) < 1e-9
    assert resolve_point("7777", table) == (None, False)
