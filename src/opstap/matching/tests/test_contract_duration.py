"""A permanent contract has no duration (R-MAT; R-TRJ-7 records a placement's contract type and
duration; R-BILL-6 reads no duration as a permanent contract; R-SEC-6: refused at the field, in
Dutch).

Walk finding (werkgeversadviseur, 7-12-2026): a vacancy saved as "Vast (onbepaalde tijd)" with
a duration of 12 months showed "Vast (onbepaalde tijd), 12 maanden"; the demo generator made
29 of them, and the placement form copied the contradiction into placements (and, via a
provider, into the trajectory's outcome). The spec requires no duration for a temporary
contract, so only the contradiction is refused."""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.test import Client as WebClient
from hypothesis import given
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.contract_rules import PERMANENT_WITH_DURATION_NL, contract_duration_problem
from opstap.core.errors import DomainError
from opstap.demo.generator import DemoContext
from opstap.matching import demo_data, services
from opstap.matching.models import ContractType, Employer, Placement, Vacancy

BASE: dict[str, Any] = dict(
    title="Kok", occupation="5120", hours_min=20, hours_max=30, postcode="6921 AB"
)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


# --- the pure rule ---------------------------------------------------------------------------


@given(
    contract_type=st.sampled_from(ContractType.values),
    months=st.none() | st.integers(min_value=1, max_value=120),
)
def test_only_a_permanent_contract_with_a_duration_is_refused(
    contract_type: str, months: int | None
) -> None:
    """R-MAT: the rule refuses exactly the contradiction; the spec is silent on a temporary
    contract without a duration, so that stays allowed."""
    problem = contract_duration_problem(contract_type, months)
    contradictory = contract_type == ContractType.PERMANENT and months is not None
    assert (problem is not None) == contradictory
    if problem is not None:
        assert problem == PERMANENT_WITH_DURATION_NL and "onbepaalde tijd" in problem


# --- vacancies: service, API and page --------------------------------------------------------


def test_a_permanent_vacancy_with_a_duration_is_refused_at_the_duration(
    wsp: User, employer: Employer
) -> None:
    """R-MAT: "Vast (onbepaalde tijd)" with 12 months was stored and shown as such."""
    with pytest.raises(DomainError) as exc:
        services.vacancy_create(
            actor=wsp, employer=employer, **BASE, contract_type="permanent", contract_months=12
        )
    assert exc.value.field == "contract_months"
    assert exc.value.message == PERMANENT_WITH_DURATION_NL
    assert not Vacancy.objects.exists()
    permanent = services.vacancy_create(
        actor=wsp, employer=employer, **BASE, contract_type="permanent", contract_months=None
    )
    fixed_open = services.vacancy_create(
        actor=wsp, employer=employer, **BASE, contract_type="fixed"
    )
    assert (permanent.contract_months, fixed_open.contract_months) == (None, None)


def test_an_update_to_permanent_keeps_no_duration(wsp: User, vacancy: Vacancy) -> None:
    """R-MAT: a partial update is checked with the values it keeps: the fixture's 12-month
    fixed-term vacancy cannot become permanent while keeping its 12 months."""
    with pytest.raises(DomainError) as exc:
        services.vacancy_update(actor=wsp, vacancy=vacancy, contract_type="permanent")
    assert exc.value.field == "contract_months"
    vacancy.refresh_from_db()
    assert (vacancy.contract_type, vacancy.contract_months) == ("fixed", 12)
    services.vacancy_update(
        actor=wsp, vacancy=vacancy, contract_type="permanent", contract_months=None
    )
    vacancy.refresh_from_db()
    assert (vacancy.contract_type, vacancy.contract_months) == ("permanent", None)


def test_the_api_names_the_duration_field(
    api_as: Callable[[User], Any], wsp: User, employer: Employer
) -> None:
    """R-MAT, R-INT-1: problem+json with the camelCase field name."""
    body = {
        "employer": employer.pk,
        "title": "Kok",
        "occupation": "5120",
        "hoursMin": 20,
        "hoursMax": 30,
        "postcode": "6921 AB",
        "contractType": "permanent",
        "contractMonths": 12,
    }
    bad = api_as(wsp).post("/api/v1/vacancies", body, format="json")
    assert bad.status_code == 400, bad.content
    assert bad["Content-Type"].startswith("application/problem+json")
    params = bad.json()["invalidParams"]
    assert [p["name"] for p in params] == ["contractMonths"]
    assert params[0]["reason"] == PERMANENT_WITH_DURATION_NL
    assert not Vacancy.objects.exists()


def test_the_vacancy_page_shows_the_message_at_the_duration(wsp: User, employer: Employer) -> None:
    """R-MAT, R-SEC-6: the form is shown again with the Dutch message beside the duration."""
    web = WebClient()
    web.force_login(wsp)
    response = web.post(
        "/werk/vacatures/nieuw/",
        {
            "employer": employer.pk,
            "title": "Kok",
            "occupation": "5120",
            "education": "none",
            "hours_min": "20",
            "hours_max": "30",
            "postcode": "6921 AB",
            "contract_type": "permanent",
            "contract_months": "12",
            "exit": "regular",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    marker = '<span class="opstap-field-error" id="id_contract_months_error">'
    assert marker in html
    assert html.split(marker, 1)[1].split("</span>", 1)[0] == PERMANENT_WITH_DURATION_NL
    assert not Vacancy.objects.exists()


# --- placements ------------------------------------------------------------------------------


def test_a_permanent_placement_with_a_duration_is_refused(
    make_candidate: Callable[..., Client], vacancy: Vacancy, km: User
) -> None:
    """R-MAT → R-TRJ-7: the placement (and through it the trajectory's outcome) recorded
    "Vast (onbepaalde tijd)" with 12 months."""
    p = services.proposal_create(actor=km, vacancy=vacancy, client=make_candidate())
    services.proposal_introduction_plan(actor=km, proposal=p, on="20-11-2026")
    services.proposal_introduction_record(actor=km, proposal=p, positive=True)
    facts: dict[str, Any] = dict(actor=km, proposal=p, start_date="01-12-2026", hours_per_week=24)
    with pytest.raises(DomainError) as exc:
        services.placement_record(**facts, contract_type="permanent", contract_months=12)
    assert exc.value.field == "contract_months"
    assert not Placement.objects.exists()
    placement = services.placement_record(**facts, contract_type="permanent")
    assert placement.contract_months is None


# --- demo data and existing rows -------------------------------------------------------------


def test_the_demo_gives_temporary_contracts_a_duration_and_permanent_ones_none(
    org: Any, wsp: User, km: User
) -> None:
    """R-MAT: the demo generator made 29 permanent vacancies with a duration."""
    ctx = DemoContext(
        organisation=org,
        scale="demo",
        rng=random.Random(1),
        today=dt.date(2026, 11, 20),
        users={"werkgeversadviseur": wsp, "klantmanager": km},
        log=lambda _m: None,
    )
    demo_data.build(ctx)
    rows = list(Vacancy.objects.values_list("contract_type", "contract_months"))
    assert rows
    assert {t for t, _m in rows} >= {"permanent", "fixed"}
    for contract_type, months in rows:
        assert (months is None) == (contract_type == "permanent"), (contract_type, months)


def test_the_migration_clears_the_duration_of_permanent_contracts(
    wsp: User, employer: Employer, vacancy: Vacancy
) -> None:
    """R-MAT: rows saved before the rule keep their type and lose the contradictory duration;
    other rows are left as they were."""
    migration = importlib.import_module(
        "opstap.matching.migrations.0008_permanent_contract_without_duration"
    )
    permanent = services.vacancy_create(
        actor=wsp, employer=employer, **BASE, contract_type="permanent"
    )
    Vacancy.objects.filter(pk=permanent.pk).update(contract_months=12)  # as the old code stored
    migration.clear_duration_of_permanent_contracts(apps, None)
    permanent.refresh_from_db()
    vacancy.refresh_from_db()
    assert (permanent.contract_type, permanent.contract_months) == ("permanent", None)
    assert (vacancy.contract_type, vacancy.contract_months) == ("fixed", 12)
