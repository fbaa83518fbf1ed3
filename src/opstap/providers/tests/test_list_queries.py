"""Query counts of the provider list (no N+1; the architecture's list-page rule)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.services import provider_create

pytestmark = pytest.mark.django_db


def test_provider_list_query_count_constant(
    org: Organisation, make_user: Callable[..., User], django_assert_num_queries: Any
) -> None:
    """R-SEC-1 list page: the provider list (contract manager, product count per row) costs
    the same number of queries for 2 or 12 providers."""
    manager = make_user(RoleCode.CONTRACT_MANAGER, username="cm-lijst")

    def make(first: int, n: int) -> None:
        for i in range(first, first + n):
            provider_create(organisation=org, name=f"Aanbieder {i}", contract_manager=manager)

    http = HttpClient()
    http.force_login(manager)
    url = reverse("providers:list")
    make(0, 2)
    http.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as small:
        assert http.get(url).status_code == 200
    make(2, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        body = http.get(url).content.decode()
    assert body.count("Aanbieder ") >= 12
