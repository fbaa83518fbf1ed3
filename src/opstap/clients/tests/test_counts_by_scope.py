"""The start page's caseload numbers are cached under the user's scope as written-out SQL
(issue 18), not under the SQL of a queryset built only to find the key: the numbers equal
those of the queries they replace, for every kind of scope; users with another scope never
read each other's number; any client write counts again; and the start page reads the chart
counts the caseload page cached."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opstap.accounts.models import User
from opstap.clients import selectors
from opstap.clients.models import Client, IncomeCoachAssignment
from opstap.clients.selectors import (
    CLIENT_COUNTS,
    CaseloadFilters,
    clients_for,
    own_caseload_count,
    visible_client_count,
)
from opstap.clients.services import case_manager_set_unit
from opstap.core.counts import CountsCache
from opstap.core.roles import RoleCode

from .factories import a_case_manager, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, other_org, case_manager, make_user, provider_user_a) -> dict[str, User]:
    case_manager_set_unit(user=case_manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg-km")
    case_manager_set_unit(user=care, unit="care")
    no_unit = make_user(RoleCode.CASE_MANAGER, username="zonder-unit")
    lead = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="teamleider")
    case_manager_set_unit(user=lead, unit="work")
    coach = make_user(RoleCode.INCOME_COACH, username="coach")
    officer = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    for step, sub in [
        ("1", ""),
        ("3", ""),
        ("4", ""),
        ("6", "with_growth"),
        ("6", "without_growth"),
    ]:
        for manager in (case_manager, care, no_unit):
            extra: dict[str, Any] = {"ladder_sub_status": sub} if sub else {}
            client = make_client(org, ladder_step=step, case_manager=manager, **extra)
    IncomeCoachAssignment.objects.create(
        organisation=org,
        coach=coach,
        client=client,
        valid_from=timezone.localdate(),
        reason="Schulden",
        assigned_by=case_manager,
        assigned_at=timezone.now(),
    )
    make_client(other_org, ladder_step="4", case_manager=a_case_manager(other_org))
    users = [case_manager, care, no_unit, lead, coach, officer, provider_user_a]
    return {u.username: User.objects.get(pk=u.pk) for u in users}


def _old(user: User) -> tuple[int, int]:
    """The numbers as the panel computed them before: the caseload overview's total and the
    own caseload, through the counts cache keyed by the queries' SQL."""
    overview_qs = selectors.caseload_list(
        user=user, filters=CaseloadFilters(), on=timezone.localdate()
    )
    visible = sum(selectors.ladder_step_raw_counts(overview_qs).values())
    return clients_for(user).filter(case_manager_id=user.pk).count(), visible


def test_numbers_equal_the_queries_they_replace(people: dict[str, User]) -> None:
    today = timezone.localdate()
    seen = set()
    for _pass in range(2):  # computed, then from the cache
        for user in people.values():
            numbers = (own_caseload_count(user), visible_client_count(user, on=today))
            assert numbers == _old(user), user.username
            page = selectors.caseload_overview(user=user, filters=CaseloadFilters(), on=today)
            assert page.count == numbers[1]
            seen.add(numbers)
    assert len(seen) >= 4  # the scopes differ, and so do the numbers


def test_any_client_write_counts_again(people: dict[str, User]) -> None:
    user = people["klantmanager"]
    today = timezone.localdate()
    before = own_caseload_count(user), visible_client_count(user, on=today)
    client = Client.objects.filter(case_manager=people["zorg-km"], ladder_step="1").first()
    assert client is not None
    client.ladder_step = "4"  # into the unit's steps
    client.save()
    assert visible_client_count(user, on=today) == before[1] + 1
    client.case_manager = user  # a handover into the own caseload
    client.save()
    assert own_caseload_count(user) == before[0] + 1


def test_start_page_compiles_no_query_for_the_counts_key(
    people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start page finds its caseload numbers without building and compiling the caseload
    queries (issue 18: a third of the page's Python calls)."""
    keyed_by_sql: list[str] = []
    original = CountsCache._key

    def spy(self: CountsCache, qs: Any, organisation_id: int | None) -> str | None:
        keyed_by_sql.append(self.prefix)
        return original(self, qs, organisation_id)

    monkeypatch.setattr(CountsCache, "_key", spy)
    http = HttpClient()
    http.force_login(people["klantmanager"])
    for _ in range(2):  # counted, then from the cache
        assert http.get("/").status_code == 200
    assert CLIENT_COUNTS.prefix not in keyed_by_sql


def test_start_page_reads_the_caseload_pages_counts(people: dict[str, User], org) -> None:
    """The caseload page's unit view (all case managers, no other filter) caches the chart
    counts under the same key the start page reads: after it, the start page counts only
    the own caseload."""
    http = HttpClient()
    http.force_login(people["klantmanager"])
    CLIENT_COUNTS.changed(org.pk)
    assert http.get("/klanten/?klantmanager=").status_code == 200
    with CaptureQueriesContext(connection) as after_caseload:
        assert http.get("/").status_code == 200
    CLIENT_COUNTS.changed(org.pk)
    with CaptureQueriesContext(connection) as cold:
        assert http.get("/").status_code == 200
    assert len(after_caseload.captured_queries) == len(cold.captured_queries) - 1


def test_caseload_filtered_by_value_is_keyed_by_its_values(
    people: dict[str, User], org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18 (R-CLI-3): the chart of "Mijn caseload", of a municipality and of a name
    search is cached under the scope and the values chosen, not under the SQL of a grouped
    query compiled only to find the key; each filter's counts are those of its own query,
    another value or user never reads them, and a client write counts again."""
    from opstap.organisations.models import Municipality

    today = timezone.localdate()
    municipality = Municipality.objects.filter(organisation=org).order_by("name").first()
    assert municipality is not None
    variants = [
        CaseloadFilters(case_manager=people["klantmanager"].pk),
        CaseloadFilters(case_manager=people["zorg-km"].pk),
        CaseloadFilters(municipality=municipality.pk),
        CaseloadFilters(text="jan"),
        CaseloadFilters(text="niemand"),
        CaseloadFilters(case_manager=people["klantmanager"].pk, text="jan", ladder_step="4"),
    ]
    keyed_by_sql: list[str] = []
    original = CountsCache._key

    def spy(self: CountsCache, qs: Any, organisation_id: int | None) -> str | None:
        keyed_by_sql.append(self.prefix)
        return original(self, qs, organisation_id)

    monkeypatch.setattr(CountsCache, "_key", spy)
    for user in (people["klantmanager"], people["teamleider"], people["zorg-km"]):
        for filters in variants:
            unstepped = CaseloadFilters(**{**filters.__dict__, "ladder_step": ""})
            expected = selectors.ladder_step_raw_counts(
                selectors.caseload_list(user=user, filters=unstepped, on=today)
            )
            for _pass in range(2):  # counted, then from the cache
                page = selectors.caseload_overview(user=user, filters=filters, on=today)
                assert page.step_counts == expected, (user.username, filters)
    assert CLIENT_COUNTS.prefix not in keyed_by_sql
    mine = CaseloadFilters(case_manager=people["klantmanager"].pk)
    user = people["klantmanager"]
    before = selectors.caseload_overview(user=user, filters=mine, on=today).count
    make_client(org, ladder_step="4", case_manager=user)
    assert selectors.caseload_overview(user=user, filters=mine, on=today).count == before + 1
