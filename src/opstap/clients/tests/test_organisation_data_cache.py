"""Organisation data kept across requests stays exact (issue 18, R-SEC-1).

The caseload page and the list APIs keep the filters' municipalities and case managers, the
case manager's unit and the ladder mapping in the shared cache, under the organisation's
`data_version` (`organisations.data_cache`). Each test below reads a page (so the cache is
warm), changes the data the way the application does, and reads again: the change shows on
the very next request. Each fails on a naive cache (a key without the version, without the
organisation, or without the day). "Today" is explicit in every test (time_machine).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.accounts.services import user_deactivate, user_reactivate
from opstap.clients.models import Client, LadderMapping
from opstap.clients.services import case_manager_set_unit
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.organisations.services import municipality_create

from .factories import make_client

pytestmark = pytest.mark.django_db

AMS = dt.timezone(dt.timedelta(hours=1))
TODAY = dt.date(2026, 3, 10)
MAPPING_FROM = dt.date(2026, 3, 12)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMS), tick=False)


@pytest.fixture
def colleague(make_user: Callable[..., User]) -> User:
    """The case manager whose clients the unit views show (not the viewer's own)."""
    user = make_user(RoleCode.CASE_MANAGER, username="km-collega")
    user.last_name = "Collega"
    user.save()
    return user


@pytest.fixture
def unit_clients(org: Organisation, colleague: User) -> tuple[Client, Client]:
    """A client of the work unit (step 4) and one of care (step 1), both the colleague's."""
    work = make_client(org, case_manager=colleague, ladder_step="4", last_name="Werkmans")
    care = make_client(org, case_manager=colleague, ladder_step="1", last_name="Zorgmans")
    return work, care


def _unit_page(http: HttpClient) -> str:
    response = http.get("/klanten/?klantmanager=")
    assert response.status_code == 200
    return response.content.decode()


def _login(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_case_manager_moved_to_the_other_unit_sees_its_clients_at_once(
    case_manager: User, unit_clients: tuple[Client, Client]
) -> None:
    """R-SEC-1: the unit is part of the scope. Moved from work to care, the case manager sees
    the care unit's client and no longer the work unit's on the very next request."""
    case_manager_set_unit(user=case_manager, unit="work")
    http = _login(case_manager)
    before = _unit_page(http)
    assert "Werkmans" in before and "Zorgmans" not in before
    assert "Werkmans" in _unit_page(http)  # served with the unit from the cache
    case_manager_set_unit(user=case_manager, unit="care")
    after = _unit_page(http)
    assert "Zorgmans" in after and "Werkmans" not in after


def test_case_manager_moved_sees_the_new_unit_in_the_client_api_at_once(
    org: Organisation, case_manager: User, unit_clients: tuple[Client, Client]
) -> None:
    """R-SEC-1, the client list API (signed in by session, as a browser is): a move to the
    other unit changes the list on the next call."""
    case_manager_set_unit(user=case_manager, unit="work")
    api = APIClient()
    api.force_login(case_manager)
    work, care = unit_clients

    def ids() -> set[int]:
        body = api.get("/api/v1/clients?pageSize=100").json()
        return {row["id"] for row in body["results"]}

    assert ids() == {work.pk} == ids()
    case_manager_set_unit(user=case_manager, unit="care")
    assert ids() == {care.pk}


def test_a_ladder_mapping_change_moves_clients_between_units_at_once(
    org: Organisation, case_manager: User, unit_clients: tuple[Client, Client]
) -> None:
    """R-LAD-2, R-SEC-1: the organisation maps step 4 to the care unit (its own rows replace
    the defaults); the work unit's case manager no longer sees the step-4 client, at once."""
    case_manager_set_unit(user=case_manager, unit="work")
    http = _login(case_manager)
    assert "Werkmans" in _unit_page(http) and "Werkmans" in _unit_page(http)
    LadderMapping.objects.create(
        organisation=org, kind="unit", step="4", value="care", valid_from=TODAY
    )
    assert "Werkmans" not in _unit_page(http)


def test_the_dated_mapping_follows_today(
    org: Organisation,
    case_manager: User,
    unit_clients: tuple[Client, Client],
    time_machine: Any,
) -> None:
    """R-LAD-2: a mapping valid from a later day changes the scope on that day, without any
    write in between: the cached mapping is the one of the day it was read for."""
    case_manager_set_unit(user=case_manager, unit="work")
    LadderMapping.objects.create(
        organisation=org,
        kind="unit",
        step="4",
        value="work",
        valid_from=dt.date(2020, 1, 1),
        valid_until=MAPPING_FROM - dt.timedelta(days=1),
    )
    LadderMapping.objects.create(
        organisation=org, kind="unit", step="4", value="care", valid_from=MAPPING_FROM
    )
    time_machine.move_to(dt.datetime(2026, 3, 11, 23, 58, tzinfo=AMS), tick=False)
    http = _login(case_manager)
    assert "Werkmans" in _unit_page(http) and "Werkmans" in _unit_page(http)
    time_machine.move_to(dt.datetime(2026, 3, 12, 0, 2, tzinfo=AMS), tick=False)
    assert "Werkmans" not in _unit_page(http)  # no write: the day changed
    case_manager_set_unit(user=case_manager, unit="care")
    assert "Werkmans" in _unit_page(http)


def _options(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_a_new_municipality_appears_in_the_filter_at_once(
    org: Organisation, case_manager: User
) -> None:
    """R-SEC-1 (the organisation's own reference data): a municipality added to the
    organisation is a choice of the caseload filter on the next request."""
    http = _login(case_manager)
    assert "Arnhem" not in _options(_unit_page(http), "gemeente")
    assert "Arnhem" not in _options(_unit_page(http), "gemeente")
    municipality_create(organisation=org, name="Arnhem", cbs_code="GM0202")
    assert "Arnhem" in _options(_unit_page(http), "gemeente")


def test_case_managers_join_and_leave_the_filter_at_once(
    case_manager: User, make_user: Callable[..., User]
) -> None:
    """R-SEC-1: a new case manager is a choice of the filter on the next request; one
    deactivated leaves it at once, and comes back when reactivated."""
    admin = make_user(RoleCode.APP_ADMIN, username="fb")
    http = _login(case_manager)
    assert "Nieuwkomer" not in _options(_unit_page(http), "klantmanager")
    assert "Nieuwkomer" not in _options(_unit_page(http), "klantmanager")
    newcomer = make_user(RoleCode.CASE_MANAGER, username="km-nieuw")
    newcomer.last_name = "Nieuwkomer"
    newcomer.save()
    assert "Nieuwkomer" in _options(_unit_page(http), "klantmanager")
    user_deactivate(actor=admin, user=newcomer, reason="uit dienst")
    assert "Nieuwkomer" not in _options(_unit_page(http), "klantmanager")
    user_reactivate(actor=admin, user=newcomer, reason="terug in dienst")
    assert "Nieuwkomer" in _options(_unit_page(http), "klantmanager")


def test_another_organisations_data_never_appears(
    org: Organisation, other_org: Organisation, case_manager: User, make_user: Callable[..., User]
) -> None:
    """R-SEC-1 (tenants): two organisations at the same data version still read their own
    municipalities and case managers: the organisation is part of the key."""
    other = make_user(RoleCode.CASE_MANAGER, organisation=other_org, username="km-ander")
    other.last_name = "Anderorg"
    other.save()
    municipality_create(organisation=other_org, name="Elders", cbs_code="GM0999")
    Organisation.objects.update(data_version=7)  # the same version for both
    mine = _unit_page(_login(case_manager))
    theirs = _unit_page(_login(other))
    assert "Elders" not in _options(mine, "gemeente") and "Anderorg" not in mine
    assert "Elders" in _options(theirs, "gemeente")
    assert "Duiven" not in _options(theirs, "gemeente")


def test_the_warm_caseload_page_reads_no_organisation_data(
    case_manager: User, unit_clients: tuple[Client, Client]
) -> None:
    """Issue 18: a warm caseload page sends no statement for the filters' municipalities and
    case managers, the case manager's unit or the ladder mapping."""
    case_manager_set_unit(user=case_manager, unit="work")
    http = _login(case_manager)
    _unit_page(http)
    with CaptureQueriesContext(connection) as warm:
        _unit_page(http)
    tables = (
        'FROM "organisations_municipality"',
        'FROM "clients_casemanagerprofile"',
        'FROM "clients_laddermapping"',
        'SELECT DISTINCT "accounts_user"',
    )
    read = [q["sql"] for q in warm.captured_queries if any(t in q["sql"] for t in tables)]
    assert read == []
    cache.clear()  # cold: each read once
    with CaptureQueriesContext(connection) as cold:
        _unit_page(http)
    read = [q["sql"] for q in cold.captured_queries if any(t in q["sql"] for t in tables)]
    assert len(read) == 4


def test_saving_an_organisation_never_sets_its_version_back(org: Organisation) -> None:
    """An organisation read before a bump and saved after it (its name changed in the
    admin) keeps the bumped version: set back, data cached under the old version would be
    reachable again."""
    from opstap.organisations.services import organisation_data_changed

    stale = Organisation.objects.get(pk=org.pk)
    organisation_data_changed(org.pk)
    stale.name = "RSD De Liemers"
    stale.save()
    fresh = Organisation.objects.get(pk=org.pk)
    assert (fresh.name, fresh.data_version) == ("RSD De Liemers", stale.data_version + 1)


def test_a_role_deleted_or_changed_bumps_every_organisations_version(
    org: Organisation, other_org: Organisation, make_user: Callable[..., User]
) -> None:
    """R-SEC-1: deleting a role (the Django admin can) takes it from its users by a cascade
    that sends no m2m signal, and the case managers' filter is cached by role; so the role's
    own save and delete make every organisation's cached data unreachable."""
    from opstap.accounts.models import Role

    coach = make_user(RoleCode.INCOME_COACH, username="ic")

    def versions() -> list[int]:
        return list(Organisation.objects.order_by("pk").values_list("data_version", flat=True))

    before = versions()
    role = Role.objects.get(code=RoleCode.INCOME_COACH)
    role.name = "Inkomenscoach (budget)"
    role.save()
    changed = versions()
    assert all(new > old for new, old in zip(changed, before, strict=True))
    role.delete()
    assert all(new > old for new, old in zip(versions(), changed, strict=True))
    assert not coach.roles.exists()
