"""Query counts of the provider list (no N+1; the architecture's list-page rule)."""

from __future__ import annotations

import datetime as dt
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
from opstap.providers.services import (
    provider_create,
    provider_end_participation,
    provider_record_activity,
)

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


def test_provider_list_queries_and_rows(
    org: Organisation,
    make_user: Callable[..., User],
    django_assert_num_queries: Any,
) -> None:
    """The provider list is one statement of its own beyond those of every signed-in
    request (session, user, organisation, roles), issue 18; each row shows the provider's
    name with a link, its status, its contract manager (or a dash), its active products and
    its last activity in Dutch notation (or a dash)."""
    manager = make_user(RoleCode.CONTRACT_MANAGER, username="cm-rijen")
    manager.first_name, manager.last_name = "Carla", "Mulder"
    manager.save(update_fields=["first_name", "last_name"])
    active = provider_create(organisation=org, name="Aanbieder Actief", contract_manager=manager)
    provider_record_activity(provider=active, on=dt.date(2026, 3, 4))
    ended = provider_create(organisation=org, name="Aanbieder Gestopt")
    provider_end_participation(
        actor=manager, provider=ended, ended_on=dt.date(2026, 5, 1), reason="Gestopt"
    )
    http = HttpClient()
    http.force_login(manager)
    url = reverse("providers:list")
    http.get(url)  # warm the per-user caches
    with django_assert_num_queries(5):
        body = http.get(url).content.decode()
    assert (
        f'<tr><td><a class="utrecht-link" href="/aanbieders/{active.pk}/">Aanbieder Actief</a>'
        "</td>\n      <td>actief</td>\n      <td>Carla Mulder</td>\n"
        '      <td class="num">0</td>\n      <td>04-03-2026</td></tr>'
    ) in body
    assert (
        f'<tr><td><a class="utrecht-link" href="/aanbieders/{ended.pk}/">Aanbieder Gestopt</a>'
        "</td>\n      <td>beëindigd</td>\n      <td>—</td>\n"
        '      <td class="num">0</td>\n      <td>—</td></tr>'
    ) in body
    assert body.index("Aanbieder Actief") < body.index("Aanbieder Gestopt")
