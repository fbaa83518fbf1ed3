"""`deadline_counts` (the start page's 'Mijn termijnen', issue 18): the case manager's numbers
come from one hand-written statement; they must equal `deadlines_for`'s through the ORM on
the same data, for every role, day and horizon."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.trajectories.models import Deadline
from opstap.trajectories.selectors import deadline_counts, deadlines_for

from .conftest import ORDER_DAY


def _orm(user, on: dt.date, horizon: int) -> tuple[int, int]:
    counts = (
        deadlines_for(user, on=on, horizon_days=horizon)
        .order_by()
        .aggregate(overdue=Count("id", filter=Q(due_on__lt=on)), total=Count("id"))
    )
    return counts["overdue"], counts["total"]


@pytest.fixture
def deadlines(org, case_manager, make_user, order, product3, provider_user_a):
    """Trajectories of clients inside and outside the case manager's caseload and unit, their
    deadlines spread over days, some met or cancelled."""
    case_manager_set_unit(user=case_manager, unit="work")
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    clients = [
        make_client(org, ladder_step="4", case_manager=case_manager),  # own, in the unit
        make_client(org, ladder_step="1", case_manager=case_manager),  # own, other unit
        make_client(org, ladder_step="3", case_manager=colleague),  # the unit, not own
        make_client(org, ladder_step="1", case_manager=colleague),  # not visible
    ]
    for client in clients:
        order(product3, client=client, actor=client.case_manager)
        order(product3, client=client, actor=client.case_manager)
    rows = list(Deadline.objects.order_by("id"))
    assert len(rows) >= 8
    for index, deadline in enumerate(rows):
        Deadline.objects.filter(pk=deadline.pk).update(
            due_on=ORDER_DAY + dt.timedelta(days=3 * (index % 11) - 10),
            met_on=ORDER_DAY if index % 5 == 3 else None,
            cancelled_on=ORDER_DAY if index % 7 == 5 else None,
        )
    return {"case_manager": case_manager, "colleague": colleague, "provider": provider_user_a}


@pytest.mark.parametrize("who", ["case_manager", "colleague", "provider"])
def test_counts_equal_the_orm(deadlines, make_user, who: str) -> None:
    users = [deadlines[who], make_user(RoleCode.CONTRACT_MANAGER, username="cm2")]
    seen = set()
    for user in users:
        for shift in (-12, -3, 0, 5, 20):
            for horizon in (0, 14, 60):
                on = ORDER_DAY + dt.timedelta(days=shift)
                assert deadline_counts(user, on=on, horizon_days=horizon) == _orm(user, on, horizon)
                seen.add(_orm(user, on, horizon))
    assert len(seen) > 3  # the data tells the cases apart


def test_case_manager_counts_in_one_statement(deadlines) -> None:
    user = deadlines["case_manager"]
    with CaptureQueriesContext(connection) as queries:
        overdue, total = deadline_counts(user, on=ORDER_DAY, horizon_days=14)
    # The ladder mapping (the scope; the profile was read before), then the one count.
    assert len(queries.captured_queries) == 2
    assert "IN (SELECT" not in queries.captured_queries[-1]["sql"]
    assert total >= overdue > 0
