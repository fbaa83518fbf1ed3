"""Finance connected to the client register and the organisations (R-FIN-1, R-FIN-5,
R-PREM-1), plus the demo scenarios and the saved-scenario services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.clients.services import client_create
from opstap.core.roles import RoleCode
from opstap.finance import demo_data, selectors
from opstap.finance.calculators import CALCULATORS
from opstap.finance.models import OutflowPremium, Scenario
from opstap.finance.services import FinanceError, outflow_premium_determine, scenario_save
from opstap.organisations.models import Municipality

pytestmark = pytest.mark.django_db

BSNS = ["111222333", "123456782", "999999990", "100000009"]


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    # Sees the clients of its caseload (case manager) and the finance models.
    return make_user(RoleCode.POLICY_OFFICER, RoleCode.CASE_MANAGER, username="beleid")


@pytest.fixture
def clients(org, officer: User) -> list[int]:
    made = []
    plan = [
        ("Duiven", dt.date(2019, 1, 1), None),
        ("Duiven", dt.date(2020, 6, 1), None),
        ("Zevenaar", dt.date(2018, 3, 1), dt.date(2022, 5, 1)),  # flowed out after > 2 years
        ("Westervoort", dt.date(2021, 1, 1), dt.date(2022, 2, 1)),  # flowed out after 13 months
    ]
    for i, (name, start, end) in enumerate(plan):
        client = client_create(
            actor=officer,
            organisation=org,
            bsn=BSNS[i],
            client_number=f"K{i}",
            first_name="Test",
            last_name=f"Klant {i}",
            date_of_birth=dt.date(1980, 1, 1),
            municipality=Municipality.objects.get(organisation=org, name=name),
            ladder_step="4",
            case_manager=officer,
            benefit_start_date=start,
            benefit_end_date=end,
        )
        made.append(client.pk)
    return made


def test_cost_split_inputs_from_register(org, clients: list[int]) -> None:
    """R-FIN-1: inhabitants from organisations, client files from the register on a date."""
    rows, warning = selectors.municipality_figures(org, on=dt.date(2021, 6, 1))
    assert warning == ""
    assert {r["name"]: (r["inhabitants"], r["client_files"]) for r in rows} == {
        "Duiven": (25_067, 2),
        "Westervoort": (15_011, 1),
        "Zevenaar": (44_099, 1),
    }


def test_cost_split_page_from_register(
    client: HttpClient, officer: User, clients: list[int]
) -> None:
    """R-FIN-1: the page computes the key from real data."""
    client.force_login(officer)
    html = client.get(
        reverse("finance:cost_split") + "?bron=register&peildatum=2021-06-01"
    ).content.decode()
    assert "84.177" in html and "100,0%" in html


def test_realised_caseload_line(org, clients: list[int]) -> None:
    """R-FIN-5: the realised line from the register (stock at each year end)."""
    points, warning = selectors.realised_caseload(
        org, start=dt.date(2021, 1, 1), end=dt.date(2023, 1, 1), yearly=True
    )
    assert warning == ""
    assert points == [["2020", 4], ["2021", 4], ["2022", 2]]


def test_premium_determined_from_register(org, officer: User, clients: list[int]) -> None:
    """R-PREM-1: benefit start and outflow read from the register; > 2 years → eligible."""
    premium = outflow_premium_determine(
        actor=officer,
        organisation=org,
        client_id=clients[2],
        outflow_kind="employment",
        hours_per_week=Decimal(32),
    )
    assert premium.benefit_start == dt.date(2018, 3, 1)
    assert premium.outflow_date == dt.date(2022, 5, 1)
    assert premium.second_due == dt.date(2022, 11, 1)
    with pytest.raises(FinanceError, match="niet langer dan 24 maanden"):
        outflow_premium_determine(
            actor=officer,
            organisation=org,
            client_id=clients[3],
            outflow_kind="employment",
            hours_per_week=Decimal(32),
        )
    with pytest.raises(FinanceError, match="niet uitgestroomd"):
        outflow_premium_determine(
            actor=officer,
            organisation=org,
            client_id=clients[0],
            outflow_kind="employment",
            hours_per_week=Decimal(32),
        )
    assert OutflowPremium.objects.count() == 1


def test_demo_scenarios(org, officer: User) -> None:
    """R-FIN-1/2/4/5: the demo holds the reference scenarios of the sources."""

    class Ctx:
        organisation = org
        users = {"beleid": officer}

        @staticmethod
        def log(_m: str) -> None:
            return None

    demo_data.build(Ctx())
    assert Scenario.objects.filter(organisation=org).count() == 4
    bc = Scenario.objects.get(kind="business_case")
    result = CALCULATORS["business_case"].compute(bc.inputs)
    assert result.net_savings == Decimal(847_500)
    sn = Scenario.objects.get(kind="safety_net")
    by_key = {(r.municipality, r.year): r for r in CALCULATORS["safety_net"].compute(sn.inputs)}
    assert by_key[("Zevenaar", 2023)].eligible and by_key[
        ("Zevenaar", 2023)
    ].deficit_percentage == Decimal("9.00")
    assert not by_key[("Duiven", 2023)].eligible and not by_key[("Westervoort", 2023)].eligible


def test_scenario_save_refuses_bad_input_and_duplicates(org, officer: User) -> None:
    """R-FIN-1: a scenario the model cannot compute is not saved; names are unique per model."""
    inputs = CALCULATORS["cost_split"].defaults()
    scenario_save(actor=officer, organisation=org, kind="cost_split", name="A", inputs=inputs)
    with pytest.raises(FinanceError, match="al een scenario"):
        scenario_save(actor=officer, organisation=org, kind="cost_split", name="A", inputs=inputs)
    with pytest.raises(FinanceError, match="tussen 0% en 100%"):
        scenario_save(
            actor=officer,
            organisation=org,
            kind="cost_split",
            name="B",
            inputs={**inputs, "inhabitant_weight": "120"},
        )


def test_index_query_count(
    client: HttpClient, officer: User, org, django_assert_max_num_queries
) -> None:
    """The finance overview costs a constant number of queries, whatever the scenarios."""
    for i in range(8):
        scenario_save(
            actor=officer,
            organisation=org,
            kind="forecast",
            name=f"S{i}",
            inputs=CALCULATORS["forecast"].defaults(),
        )
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("finance:index")).status_code == 200
