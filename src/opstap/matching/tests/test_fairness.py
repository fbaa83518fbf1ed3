"""Fair by construction (R-MAT, spec section 11): nationality, migration background, the
target groups derived from them, age, gender and health details never influence a score.

The property: build random clients with random work profiles, match both ways, then change
the protected attributes of every client through the clients service (date of birth — and
with it age and the derived target group "jongeren" —, migration background, obstacles
including health) and match again: every score, every explanation and the order are
identical. The record holds no nationality or gender; `test_no_input_is_a_protected_attribute`
(test_scoring) shows no score input could carry one. Runs on SQLite and PostgreSQL
(`DATABASE_URL`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.clients.models import Client, Obstacle
from opstap.clients.services import client_update
from opstap.clients.tests.factories import make_client
from opstap.matching import selectors, services
from opstap.matching.models import Vacancy
from opstap.matching.scoring import PROTECTED_ATTRIBUTES

POSTCODES = ["6921 AB", "6931 CD", "6902 EF", "6941 GH", "7041 KL", "6981 MN", "6927 PQ"]
OCCUPATIONS = ["9333", "9334", "8344", "5120", "9112", "4110"]
SKILLS = ["orderpicken", "heftruck", "koken", "schoonmaken", "excel", "klantvriendelijk"]
STEPS = ["2b", "3", "4", "5", "6"]

work_profile = st.fixed_dictionaries(
    {
        "ladder_step": st.sampled_from(STEPS),
        "postcode": st.sampled_from(POSTCODES),
        "hour_restriction": st.one_of(st.none(), st.integers(8, 40)),
        "ldr_registered": st.booleans(),
        "desired": st.lists(st.sampled_from(OCCUPATIONS), max_size=2, unique=True),
        "skills": st.lists(st.sampled_from(SKILLS), max_size=3, unique=True),
        "education": st.sampled_from(["", "vmbo", "mbo1", "mbo2", "mbo3", "hbo"]),
        "hours": st.one_of(st.none(), st.integers(4, 40)),
        "distance": st.integers(3, 40),
        "restrictions": st.lists(st.sampled_from(["physical", "standing"]), unique=True),
    }
)
protected = st.fixed_dictionaries(
    {
        "date_of_birth": st.dates(dt.date(1960, 1, 1), dt.date(2007, 12, 31)),
        "migration_background": st.booleans(),
        "obstacles": st.lists(st.sampled_from([o.value for o in Obstacle]), unique=True),
    }
)


def _explained(result: Any) -> Any:
    return [(c.criterion, c.fraction, c.explanation) for c in result.criteria]


def _snapshot(km: User, vacancies: list[Vacancy], clients: list[Client]) -> Any:
    """Both directions: candidates per vacancy and vacancies per client, in order."""
    per_vacancy = [
        [
            (m.client.pk, m.result.points, _explained(m.result))
            for m in selectors.candidates_for_vacancy(user=km, vacancy=v)
        ]
        for v in vacancies
    ]
    per_client = [
        [
            (m.vacancy.pk, m.result.points, _explained(m.result))
            for m in selectors.vacancies_for_client(user=km, client=c)
        ]
        for c in clients
    ]
    return per_vacancy + per_client


@pytest.fixture
def vacancies(wsp: User, employer: Any) -> list[Vacancy]:
    rows = [
        dict(
            title="Orderpicker",
            occupation="9333",
            hours_min=24,
            hours_max=32,
            postcode="6902 AB",
            required_skills="orderpicken",
            education="mbo1",
        ),
        dict(
            title="Kok",
            occupation="5120",
            hours_min=16,
            hours_max=24,
            postcode="6921 AB",
            required_skills="koken",
            demands=["standing"],
        ),
        dict(
            title="Schoonmaker (garantiebaan)",
            occupation="9112",
            hours_min=12,
            hours_max=20,
            postcode="6931 AB",
            exit="garantiebaan",
            offers_lks=True,
        ),
    ]
    return [services.vacancy_create(actor=wsp, employer=employer, **r) for r in rows]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(profiles=st.lists(work_profile, min_size=2, max_size=6), data=st.data())
def test_protected_attributes_never_change_scores_or_order(
    org: Any, km: User, vacancies: list[Vacancy], profiles: list[dict[str, Any]], data: Any
) -> None:
    with transaction.atomic():
        clients = []
        for p in profiles:
            client = make_client(
                org,
                ladder_step=p["ladder_step"],
                ladder_sub_status="with_growth" if p["ladder_step"] == "6" else "",
                postcode=p["postcode"],
                hour_restriction=p["hour_restriction"],
                ldr_registered=p["ldr_registered"],
                case_manager=km,
                **data.draw(protected),
            )
            services.work_profile_save(
                actor=km,
                client=client,
                desired_occupations=p["desired"],
                skills=p["skills"],
                education=p["education"],
                hours_available=p["hours"],
                max_distance_km=p["distance"],
                restrictions=p["restrictions"],
            )
            clients.append(client)
        before = _snapshot(km, vacancies, clients)
        assert any(before), "the example must produce matches (no vacuous pass)"
        for client in clients:
            client_update(actor=km, client=client, **data.draw(protected))
        after = _snapshot(km, vacancies, clients)
        assert after == before
        transaction.set_rollback(True)


def test_matching_reads_no_protected_column() -> None:
    """The selectors read a fixed list of client columns, none of them protected."""
    assert not set(selectors.CLIENT_FACT_FIELDS) & PROTECTED_ATTRIBUTES
    assert not set(selectors.CLIENT_FACT_FIELDS) & {
        "date_of_birth",
        "migration_background",
        "obstacles",
        "first_name",
        "last_name",
    }
