"""No N+1 in the social return overview, the signals and the monitor: the number of queries
does not grow with the number of providers or blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.services import provider_add_staff, provider_create
from opstap.social_return import selectors, services

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _provider_with_blocks(
    org: Organisation, make_user: Callable[..., User], n: int, blocks: int
) -> None:
    provider = provider_create(organisation=org, name=f"Aanbieder {n}")
    staff = make_user(RoleCode.PROVIDER_STAFF, username=f"staff-{n}")
    provider_add_staff(provider=provider, user=staff)
    for i in range(blocks):
        services.block_register(
            actor=staff,
            provider=provider,
            block_code="pw_0_12",
            start_date=dt.date(2026, 1 + i, 1),
            hours_per_week=Decimal("36"),
            contract_months=12,
            external_person=f"P{n}-{i}",
            on=TODAY,
        )


def _count(user: User) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.overview(user=user, year=2026, on=TODAY)
        selectors.coordinator_signals(user=user, on=TODAY)
    return len(ctx.captured_queries)


def test_overview_and_signals_queries_do_not_grow(
    org: Organisation, make_user: Callable[..., User], django_assert_max_num_queries: object
) -> None:
    coordinator = make_user(RoleCode.SOCIAL_RETURN_COORDINATOR, username="src")
    _provider_with_blocks(org, make_user, 1, 1)
    _count(coordinator)  # warm up: the user's permissions are read once and kept
    few = _count(coordinator)
    for n in range(2, 6):
        _provider_with_blocks(org, make_user, n, 3)
    assert _count(coordinator) == few
    provider = selectors.providers_for(coordinator).order_by("-id").first()
    assert provider is not None
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        selectors.provider_monitor(user=coordinator, provider=provider, on=TODAY)
