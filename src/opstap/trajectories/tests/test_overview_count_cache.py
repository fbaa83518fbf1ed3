"""The overview's "at most 1,000" count goes through the trajectories' counts cache (issue 18):
opening the overview again, or another page of it, does not walk the same rows again, and any
trajectory or client write counts afresh, so the number shown is always exact."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opstap.accounts.models import User
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.models import Product
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def _counts(statements: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in statements.captured_queries if q["sql"].startswith("SELECT COUNT")]


def _sqls(statements: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in statements.captured_queries]


def _org_data(sql: str) -> bool:
    return '"clients_casemanagerprofile"' in sql or '"clients_laddermapping"' in sql


def test_overview_count_is_cached_and_exact(
    org: Organisation,
    case_manager: User,
    make_user: Callable[..., User],
    order: Callable[..., Trajectory],
    product3: Product,
) -> None:
    for _ in range(3):
        order(product3)
    http = HttpClient()
    http.force_login(case_manager)
    url = reverse("trajectories:list")
    for query in ("", "?overdue=on"):
        with CaptureQueriesContext(connection) as cold:
            first = http.get(url + query).content.decode()
        with CaptureQueriesContext(connection) as warm:
            again = http.get(url + query).content.decode()
        assert len(_counts(cold)) == 1, query
        assert _counts(warm) == [], query  # the number from the counts cache
        # The warm request sends what the cold one did, less the count and the scope's
        # organisation data (the unit and ladder mapping: organisations.data_cache).
        assert len(warm.captured_queries) == len(
            [q for q in _sqls(cold) if not q.startswith("SELECT COUNT") and not _org_data(q)]
        )
        assert first.count("trajecten gevonden") == again.count("trajecten gevonden") == 1
    assert "3 trajecten gevonden" in http.get(url).content.decode()
    order(product3)  # a trajectory write: counted again
    assert "4 trajecten gevonden" in http.get(url).content.decode()
    # A client write counts again as well: a client of the unit leaves it (another step).
    case_manager_set_unit(user=case_manager, unit="work")
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    other = make_client(org, ladder_step="4", case_manager=colleague)
    order(product3, client=other)
    assert "5 trajecten gevonden" in http.get(url).content.decode()
    other.ladder_step = "1"
    other.save()
    assert "4 trajecten gevonden" in http.get(url).content.decode()


def test_capped_count_equals_the_uncached_one(
    case_manager: User, order: Callable[..., Trajectory], product3: Product
) -> None:
    """`CountsCache.capped_count` is `min(count, limit)`, as the paginator counted before."""
    from django.utils import timezone

    from opstap.core.counts import CappedCountPaginator
    from opstap.trajectories import selectors

    for _ in range(4):
        order(product3)
    qs = selectors.trajectory_list(
        user=case_manager, filters=selectors.TrajectoryFilters(), on=timezone.localdate()
    )
    for cap in (2, 3, 4, 10):
        cached = CappedCountPaginator(
            qs,
            50,
            cap=cap,
            counts=selectors.TRAJECTORY_COUNTS,
            organisation_id=case_manager.organisation_id,
        )
        plain = CappedCountPaginator(qs, 50, cap=cap)
        assert cached.count == plain.count == min(qs.count(), cap + 1)
        assert cached.count_capped == plain.count_capped
