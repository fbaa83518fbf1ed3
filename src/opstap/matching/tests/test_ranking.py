"""The fast path of matching (R-MAT, issue 15): the database orders candidates and
vacancies by the unrounded SQL sum of the criteria, Python scores only the rows near the
top (`matching.ranking`). It must give exactly the results of the pure module over every
row (`selectors.reference_results_for_*`): the same ids, points, explanations and order.

The property test builds random clients, work profiles, vacancies and weights (with
postcodes the PC4 table knows, estimates from neighbours, or cannot place at all; related
occupations in the same ISCO groups; weights of 0) and compares both directions for
several limits. Runs on SQLite and PostgreSQL (`DATABASE_URL`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.matching import ranking, selectors, services
from opstap.matching.models import Employer, MatchWeights, Vacancy
from opstap.matching.scoring import CRITERIA

# Known PC4, estimated from its PC3 neighbours, unknown (no neighbours), without a space,
# and none at all.
VACANCY_POSTCODES = ["6921 AB", "6902 EF", "6925 AB", "6943 GH", "7036 KL", "9999 ZZ", "6921AB"]
POSTCODES = [*VACANCY_POSTCODES, ""]
# Same code, same minor group (933x), same sub-major group (93xx), other fields.
OCCUPATIONS = ["9333", "9334", "9331", "9312", "9112", "5120"]
SKILLS = ["orderpicken", "heftruck", "koken", "schoonmaken"]
DEMANDS = ["physical", "standing", "night_shifts"]
EDUCATION = ["", "basis", "vmbo", "mbo1", "mbo2", "mbo3", "hbo"]

client_facts = st.fixed_dictionaries(
    {
        "ladder_step": st.sampled_from(["1", "2b", "3", "4", "5", "6"]),
        "postcode": st.sampled_from(POSTCODES),
        "hour_restriction": st.one_of(st.none(), st.integers(4, 40)),
        "ldr_registered": st.booleans(),
        "nbw_indication": st.booleans(),
        "lks_status": st.sampled_from(["none", "requested", "active", "ended"]),
    }
)
profile_facts = st.fixed_dictionaries(
    {
        "desired_occupations": st.lists(st.sampled_from(OCCUPATIONS), max_size=2, unique=True),
        "possible_occupations": st.lists(st.sampled_from(OCCUPATIONS), max_size=2, unique=True),
        "skills": st.lists(st.sampled_from(SKILLS), max_size=3, unique=True),
        "education": st.sampled_from(EDUCATION),
        "hours_available": st.one_of(st.none(), st.integers(4, 40)),
        "max_distance_km": st.one_of(st.none(), st.integers(1, 40)),
        "driving_licence": st.booleans(),
        "restrictions": st.lists(st.sampled_from(DEMANDS), unique=True),
    }
)
vacancy_facts = st.fixed_dictionaries(
    {
        "occupation": st.sampled_from(OCCUPATIONS),
        "postcode": st.sampled_from(VACANCY_POSTCODES),
        "hours_min": st.integers(4, 32),
        "required_skills": st.lists(st.sampled_from(SKILLS), max_size=2, unique=True),
        "desired_skills": st.lists(st.sampled_from(SKILLS), max_size=2, unique=True),
        "education": st.sampled_from(["none", "vmbo", "mbo2", "mbo3", "mbo4", "hbo"]),
        "exit": st.sampled_from(["regular", "regular", "garantiebaan", "beschut"]),
        "offers_lks": st.booleans(),
        "requires_driving_licence": st.booleans(),
        "demands": st.lists(st.sampled_from(DEMANDS), unique=True),
    }
)
weights = st.one_of(
    st.none(),
    st.fixed_dictionaries({c.value: st.sampled_from([0, 1, 7, 10, 25, 100]) for c in CRITERIA}),
)


def _explained(results: Any) -> Any:
    return [
        (r.client_id, r.vacancy_id, r.points, [(c.fraction, c.explanation) for c in r.criteria])
        for r in results
    ]


def _make_vacancy(wsp: User, employer: Employer, n: int, facts: dict[str, Any]) -> Vacancy:
    return services.vacancy_create(
        actor=wsp,
        employer=employer,
        title=f"Vacature {n}",
        hours_max=max(facts["hours_min"], 32),
        **facts,
    )


def _make_candidate(org: Any, km: User, client: dict[str, Any], profile: dict[str, Any]) -> Client:
    sub_status = "with_growth" if client["ladder_step"] == "6" else ""
    made = make_client(org, case_manager=km, ladder_sub_status=sub_status, **client)
    services.work_profile_save(actor=km, client=made, **profile)
    return made


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    clients=st.lists(st.tuples(client_facts, profile_facts), min_size=1, max_size=8),
    vacancies=st.lists(vacancy_facts, min_size=1, max_size=4),
    chosen_weights=weights,
    limit=st.sampled_from([1, 2, 3, 20]),
)
def test_fast_path_ranks_exactly_as_the_pure_module(
    org: Any,
    km: User,
    wsp: User,
    admin_user: User,
    employer: Employer,
    clients: list[tuple[dict[str, Any], dict[str, Any]]],
    vacancies: list[dict[str, Any]],
    chosen_weights: dict[str, int] | None,
    limit: int,
) -> None:
    """R-MAT: the SQL-ordered top equals the pure module's top over every visible row."""
    with transaction.atomic():
        if chosen_weights is not None and any(chosen_weights.values()):
            services.match_weights_update(actor=admin_user, weights=chosen_weights)
        made = [_make_candidate(org, km, c, p) for c, p in clients]
        rows = [_make_vacancy(wsp, employer, n, v) for n, v in enumerate(vacancies)]
        for vacancy in rows:
            fast = selectors.match_results_for_vacancy(user=km, vacancy=vacancy, limit=limit)
            pure = selectors.reference_results_for_vacancy(user=km, vacancy=vacancy, limit=limit)
            assert _explained(fast) == _explained(pure)
            assert len(fast) == min(limit, len(made))
        for client in made:
            fast = selectors.match_results_for_client(user=km, client=client, limit=limit)
            pure = selectors.reference_results_for_client(user=km, client=client, limit=limit)
            assert _explained(fast) == _explained(pure)
            assert len(fast) == min(limit, len(rows))
        transaction.set_rollback(True)


def test_every_criterion_has_its_sql() -> None:
    """R-MAT: the criteria are declared once; the SQL has one fragment for each, no more."""
    assert list(ranking._CANDIDATE_SQL) == list(CRITERIA)
    assert list(ranking._VACANCY_SQL) == list(CRITERIA)


@pytest.fixture
def best_three(
    make_candidate: Callable[..., Client], vacancy: Vacancy
) -> tuple[list[Client], Vacancy]:
    """Three perfect candidates for the orderpicker vacancy and one in another field."""
    perfect = {"desired_occupations": ["9333"], "skills": "orderpicken, heftruck"}
    clients = [make_candidate(perfect) for _ in range(3)]
    make_candidate({"desired_occupations": ["5120"], "skills": "koken"})
    return clients, vacancy


def test_candidates_take_seven_queries_when_the_best_slice_suffices(
    km: User, best_three: tuple[list[Client], Vacancy], django_assert_num_queries: Any
) -> None:
    """R-MAT at scale: PC4 table, vacancy facts, weights, the unit's ladder mapping (the
    case manager's scope), one SQL ranking of the desired occupation's profiles, and the
    two queries of the candidates' facts. The other occupation slices cannot reach the
    top and are not read."""
    clients, vacancy = best_three
    with django_assert_num_queries(7):
        results = selectors.match_results_for_vacancy(user=km, vacancy=vacancy, limit=2)
    assert [r.client_id for r in results] == sorted(c.pk for c in clients)[:2]
    assert results == selectors.reference_results_for_vacancy(user=km, vacancy=vacancy, limit=2)


def test_vacancies_for_a_client_take_six_queries(
    km: User, best_three: tuple[list[Client], Vacancy], django_assert_num_queries: Any
) -> None:
    """R-MAT at scale: PC4 table, the client's facts (two), weights, one SQL ranking of the
    vacancies in the desired occupation, their facts. The client has no possible
    occupations, so that slice is known to be empty and not queried."""
    clients, vacancy = best_three
    with django_assert_num_queries(6):
        results = selectors.match_results_for_client(user=km, client=clients[0], limit=1)
    assert [r.vacancy_id for r in results] == [vacancy.pk]


def test_a_row_the_sql_overrates_triggers_the_exact_second_query(
    km: User,
    make_candidate: Callable[..., Client],
    vacancy: Vacancy,
    django_assert_num_queries: Any,
) -> None:
    """R-MAT: a postcode the SQL cannot place counts as near in SQL (erring upwards), so
    that candidate leads by the SQL sum but not by points; the second query fetches the
    rows that may still beat it, and the result is the pure module's."""
    profile = {"desired_occupations": ["9333"], "skills": "orderpicken, heftruck"}
    unplaced = make_candidate(profile, postcode="9999 ZZ")
    near = make_candidate(profile, postcode="6903 AB", ladder_step="4")
    with django_assert_num_queries(10):
        results = selectors.match_results_for_vacancy(user=km, vacancy=vacancy, limit=1)
    assert [r.client_id for r in results] == [near.pk]
    assert results == selectors.reference_results_for_vacancy(user=km, vacancy=vacancy, limit=1)
    assert unplaced.pk != near.pk


def test_weights_of_the_organisation_are_used(
    km: User,
    admin_user: User,
    best_three: tuple[list[Client], Vacancy],
) -> None:
    """R-MAT: with only availability counting, every slice can reach the top; the result is
    still the pure module's."""
    _clients, vacancy = best_three
    services.match_weights_update(
        actor=admin_user,
        weights={c.value: (10 if c.value == "availability" else 0) for c in CRITERIA},
    )
    assert MatchWeights.objects.count() == 1
    fast = selectors.match_results_for_vacancy(user=km, vacancy=vacancy, limit=3)
    assert _explained(fast) == _explained(
        selectors.reference_results_for_vacancy(user=km, vacancy=vacancy, limit=3)
    )
