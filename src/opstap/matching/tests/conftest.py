"""Fixtures of the matching tests: a WSP adviser, an employer with a vacancy in Zevenaar,
and Unit Werk clients with work profiles (all made through the services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.matching import services
from opstap.matching.models import Employer, Vacancy


@pytest.fixture
def wsp(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.EMPLOYER_ADVISER, username="wsp")


@pytest.fixture
def km(make_user: Callable[..., User]) -> User:
    user = make_user(RoleCode.CASE_MANAGER, username="km-werk")
    case_manager_set_unit(user=user, unit="work")
    return user


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.APP_ADMIN, username="beheer")


@pytest.fixture
def employer(wsp: User) -> Employer:
    employer = services.employer_create(
        actor=wsp, kvk_number="69001234", name="Logistiek Liemers B.V.", offers_garantiebanen=True
    )
    services.employer_location_add(
        actor=wsp, employer=employer, name="DC Zevenaar", postcode="6902 AB", city="Zevenaar"
    )
    return employer


@pytest.fixture
def vacancy(wsp: User, employer: Employer) -> Vacancy:
    return services.vacancy_create(
        actor=wsp,
        employer=employer,
        title="Orderpicker",
        occupation="9333",
        hours_min=24,
        hours_max=32,
        postcode="6902 AB",
        required_skills="orderpicken",
        desired_skills="heftruck",
        education="mbo1",
        contract_type="fixed",
        contract_months=12,
        # A month after the test's today: a fixed date fell more than a year back when the
        # suite ran with the clock at 2028-06-01 (a start date a year back is refused).
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )


@pytest.fixture
def make_candidate(org: Any, km: User) -> Callable[..., Client]:
    def factory(profile: dict[str, Any] | None = None, **client_kw: Any) -> Client:
        client_kw.setdefault("ladder_step", "5")
        client_kw.setdefault("postcode", "6921 AB")
        client_kw.setdefault("case_manager", km)
        client = make_client(org, **client_kw)
        values = {
            "desired_occupations": ["9333"],
            "skills": "orderpicken",
            "education": "mbo2",
            "hours_available": 32,
            "max_distance_km": 15,
        }
        values.update(profile or {})
        services.work_profile_save(actor=km, client=client, **values)
        return client

    return factory
