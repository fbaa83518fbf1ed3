"""/api/v1/trajectories/{id}/outcome: the result of a trajectory and the durability of its
placement through the API (R-TRJ-7, R-KPI-4, R-SEC-1, R-SEC-6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import Outcome, Trajectory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def running(
    order: Callable[..., Trajectory], product3: Product, walk: Callable[..., Trajectory]
) -> Trajectory:
    return walk(order(product3), "running")


def test_provider_records_corrects_and_reads_the_result(
    running: Trajectory, api_as: Callable[[User], Any], provider_user_a: User
) -> None:
    """R-TRJ-7: PATCH records the result; a second PATCH changes only what it sends; GET
    gives it with the durability check 6 months after the placement's start, audited."""
    api = api_as(provider_user_a)
    url = f"/api/v1/trajectories/{running.pk}/outcome"
    with time_machine.travel(NOW, tick=False):
        assert api.get(url).status_code == 404
        first = api.patch(
            url,
            {
                "werkfit": True,
                "employer": "Bakkerij De Korf",
                "placementStart": "2026-06-01",
                "hoursPerWeek": "24.00",
                "contractMonths": 12,
                "lks": True,
            },
            format="json",
        )
        assert first.status_code == 200, first.json()
        assert first.json()["durabilityCheckOn"] == "2026-12-01"
        assert first.json()["durability"] == ""
        second = api.patch(url, {"lastDayOfEmployment": "2026-08-28"}, format="json")
        assert second.status_code == 200, second.json()
        reads = AuditRecord.objects.filter(action="read", client_id=running.client_id).count()
        body = api.get(url).json()
    assert (
        AuditRecord.objects.filter(action="read", client_id=running.client_id).count() == reads + 1
    )
    assert body["employer"] == "Bakkerij De Korf"
    assert body["lks"] is True
    assert body["contractMonths"] == 12
    assert body["lastDayOfEmployment"] == "2026-08-28"
    assert body["placementStart"] == "2026-06-01"


def test_durability_verdict_shows_in_the_api(
    running: Trajectory, api_as: Callable[[User], Any], provider_user_a: User
) -> None:
    """R-KPI-4: a placement that ended within 6 months is 'not durable' after the check."""
    with time_machine.travel(NOW, tick=False):
        services.outcome_record(
            actor=provider_user_a,
            trajectory=running,
            employer="Bakkerij De Korf",
            placement_start="2026-06-01",
            last_day_of_employment="2026-08-28",
        )
    services.outcomes_check_durability(on=dt.date(2026, 12, 1))
    body = api_as(provider_user_a).get(f"/api/v1/trajectories/{running.pk}/outcome").json()
    assert body["durability"] == "not_durable"


def test_dates_and_numbers_are_checked_and_other_providers_get_404(
    running: Trajectory,
    api_as: Callable[[User], Any],
    provider_user_a: User,
    provider_user_b: User,
) -> None:
    """R-SEC-6: a placement before the order, a last working day before the placement, or
    a contract of "abc" months are a 400 naming the field, and nothing is stored. R-SEC-1:
    another provider's token gets a 404 for reading and for writing."""
    api = api_as(provider_user_a)
    url = f"/api/v1/trajectories/{running.pk}/outcome"
    with time_machine.travel(NOW, tick=False):
        for body, field in [
            ({"employer": "X", "placementStart": "2020-01-01"}, "placementStart"),
            (
                {
                    "employer": "X",
                    "placementStart": "2026-06-01",
                    "lastDayOfEmployment": "2026-05-01",
                },
                "lastDayOfEmployment",
            ),
            ({"contractMonths": "abc"}, "contractMonths"),
            ({"placementStart": "2026-06-01"}, "employer"),
        ]:
            response = api.patch(url, body, format="json")
            assert response.status_code == 400, body
            assert response["Content-Type"] == "application/problem+json"
            assert [p["name"] for p in response.json()["invalidParams"]] == [field], body
        assert not Outcome.objects.filter(trajectory=running).exists()
        other = api_as(provider_user_b)
        assert other.get(url).status_code == 404
        assert other.patch(url, {"employer": "X"}, format="json").status_code == 404
    assert not Outcome.objects.filter(trajectory=running).exists()
