"""/api/v1/finance/… and /api/v1/outflow-premiums (R-FIN-1..5, R-PREM-1, R-INT-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode
from opstap.finance.calculators import CALCULATORS
from opstap.finance.models import OutflowPremium, PremiumStatus
from opstap.finance.services import outflow_premium_determine, scenario_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.POLICY_OFFICER, username="beleid")


def test_cost_split_compute(api_as, policy: User) -> None:
    """R-FIN-1: POST _compute returns the 2021 shares; camelCase in, camelCase out."""
    body = {
        "inputs": {
            "inhabitantWeight": "50",
            "municipalities": [
                {"name": "Duiven", "inhabitants": 25067, "clientFiles": 433},
                {"name": "Westervoort", "inhabitants": 15011, "clientFiles": 347},
                {"name": "Zevenaar", "inhabitants": 44099, "clientFiles": 824},
            ],
        }
    }
    response = api_as(policy).post("/api/v1/finance/cost-split/_compute", body, format="json")
    assert response.status_code == 200, response.content
    shares = [s["percentage"] for s in response.json()["result"]["shares"]]
    assert shares == ["28.39", "19.73", "51.88"]


def test_business_case_compute(api_as, policy: User) -> None:
    """R-FIN-2: totals and net of the reference via the API."""
    inputs = CALCULATORS["business_case"].defaults()
    response = api_as(policy).post(
        "/api/v1/finance/business-cases/_compute", {"inputs": inputs}, format="json"
    )
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["netSavings"] == "847500.00"
    assert [y["totalSavings"] for y in result["years"]] == ["1411750.00", "1435750.00"]


def test_safety_net_compute(api_as, policy: User) -> None:
    """R-FIN-4: Zevenaar eligible at 9%."""
    inputs = CALCULATORS["safety_net"].defaults()
    response = api_as(policy).post(
        "/api/v1/finance/safety-net/_compute", {"inputs": inputs}, format="json"
    )
    rows = {r["municipality"]: r for r in response.json()["result"]}
    assert rows["Zevenaar"]["eligible"] is True
    assert rows["Duiven"]["eligible"] is False


def test_forecast_compute_validation_error_is_problem_json(api_as, policy: User) -> None:
    """R-FIN-5 / R-INT-1: bad input is a 400 problem+json with a Dutch reason."""
    inputs = {
        "startYear": 2020,
        "scenarios": [{"name": "x", "startStock": 10, "inflows": [1], "outflows": []}],
    }
    response = api_as(policy).post(
        "/api/v1/finance/forecasts/_compute", {"inputs": inputs}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "instroom als uitstroom" in response.content.decode()


def test_scenario_crud(api_as, policy: User) -> None:
    """R-FIN-5: saved scenarios can be created, read with their result, updated, deleted."""
    client = api_as(policy)
    inputs = CALCULATORS["forecast"].defaults()
    created = client.post(
        "/api/v1/finance/forecasts", {"name": "Overbetuwe", "inputs": inputs}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    got = client.get(f"/api/v1/finance/forecasts/{pk}").json()
    assert [r["end"] for r in got["result"][0]["rows"]] == [621, 688, 741, 741, 741]
    assert (
        client.patch(
            f"/api/v1/finance/forecasts/{pk}", {"name": "Nieuw"}, format="json"
        ).status_code
        == 200
    )
    assert client.get("/api/v1/finance/forecasts").json()["results"][0]["name"] == "Nieuw"
    assert client.delete(f"/api/v1/finance/forecasts/{pk}").status_code == 204


def test_scenario_list_query_count(api_as, policy: User, django_assert_max_num_queries) -> None:
    """R-FIN: the scenario list costs a constant number of queries."""
    for i in range(5):
        scenario_save(
            actor=policy,
            organisation=policy.organisation,
            kind="cost_split",
            name=f"S{i}",
            inputs=CALCULATORS["cost_split"].defaults(),
        )
    client = api_as(policy)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/finance/cost-split").status_code == 200


def test_case_manager_has_no_finance_api(api_as, case_manager: User) -> None:
    """R-SEC-1: no finance permission → 403."""
    assert api_as(case_manager).get("/api/v1/finance/cost-split").status_code == 403


def test_outflow_premium_determine_and_pay(api_as, policy: User) -> None:
    """R-PREM-1: determine, schedule both payments, never twice, pay and report."""
    client = api_as(policy)
    body = {
        "clientId": 4711,
        "benefitStart": "2020-01-01",
        "outflowDate": "2022-03-01",
        "outflowKind": "employment",
        "hoursPerWeek": "24",
    }
    created = client.post("/api/v1/outflow-premiums", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["secondDue"] == "2022-09-01"
    again = client.post("/api/v1/outflow-premiums", body, format="json")
    assert again.status_code == 400
    assert "al eerder" in again.content.decode()
    paid = client.post("/api/v1/outflow-premiums/_pay-due", {"on": "2022-10-01"}, format="json")
    assert paid.json()["firstPaid"] == 1 and paid.json()["secondPaid"] == 1
    assert paid.json()["paidAmount"] == "1000.00"
    listed = client.get("/api/v1/outflow-premiums")
    assert listed.json()["results"][0]["status"] == PremiumStatus.COMPLETED
    assert AuditRecord.objects.filter(
        object_type="outflow_premium", action="list", client_id=4711
    ).exists()


def test_outflow_premium_second_cancelled_when_back_on_benefit(policy: User) -> None:
    """R-PREM-1: the second payment lapses when the person returned to benefit."""
    from opstap.finance.services import outflow_premium_pay_due

    outflow_premium_determine(
        actor=policy,
        organisation=policy.organisation,
        client_id=1,
        outflow_kind="self_employment",
        hours_per_week=20,
        benefit_start=dt.date(2019, 1, 1),
        outflow_date=dt.date(2023, 1, 10),
    )
    counts = outflow_premium_pay_due(
        actor=policy, organisation=policy.organisation, on=dt.date(2023, 1, 10)
    )
    assert counts["first_paid"] == 1
    counts = outflow_premium_pay_due(
        actor=policy,
        organisation=policy.organisation,
        on=dt.date(2023, 8, 1),
        returned_to_benefit={1: dt.date(2023, 5, 1)},
    )
    assert counts == {"first_paid": 0, "second_paid": 0, "second_cancelled": 1}
    assert OutflowPremium.objects.get(client_id=1).status == PremiumStatus.SECOND_CANCELLED


def test_outflow_premium_refused_when_scheme_off(policy: User) -> None:
    """R-PREM-1: with the scheme switched off no premium is awarded."""
    from opstap.finance.services import FinanceError, premium_scheme_update

    premium_scheme_update(actor=policy, enabled=False)
    with pytest.raises(FinanceError, match="staat uit"):
        outflow_premium_determine(
            actor=policy,
            organisation=policy.organisation,
            client_id=2,
            outflow_kind="employment",
            hours_per_week=20,
            benefit_start=dt.date(2019, 1, 1),
            outflow_date=dt.date(2023, 1, 10),
        )


def test_outflow_premium_pay_due_refuses_a_future_date(api_as, policy: User) -> None:
    """R-PREM-1: a payment is recorded on the day it is made, never ahead of time: a future
    `on` is refused (Dutch message, problem+json) and nothing is paid."""
    from opstap.finance.services import FinanceError, outflow_premium_pay_due

    outflow_premium_determine(
        actor=policy,
        organisation=policy.organisation,
        client_id=3,
        outflow_kind="employment",
        hours_per_week=24,
        benefit_start=dt.date(2019, 1, 1),
        outflow_date=dt.date(2023, 1, 10),
    )
    with pytest.raises(FinanceError, match="toekomst"):
        outflow_premium_pay_due(
            actor=policy,
            organisation=policy.organisation,
            on=dt.date(2023, 8, 2),
            today=dt.date(2023, 8, 1),
        )
    assert OutflowPremium.objects.get(client_id=3).status == PremiumStatus.SCHEDULED
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused = api_as(policy).post(
        "/api/v1/outflow-premiums/_pay-due", {"on": tomorrow.isoformat()}, format="json"
    )
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "toekomst" in refused.content.decode()
    assert OutflowPremium.objects.get(client_id=3).status == PremiumStatus.SCHEDULED
    counts = outflow_premium_pay_due(
        actor=policy,
        organisation=policy.organisation,
        on=dt.date(2023, 8, 1),
        today=dt.date(2023, 8, 1),
    )
    assert counts["first_paid"] == 1
