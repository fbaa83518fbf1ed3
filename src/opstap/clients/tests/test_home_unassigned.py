"""The team lead's start page signals the clients in their scope without a case manager
(R-CLI-3: every client has exactly one), with a link to the caseload page filtered on them.
Counted through the team lead's client scope (R-SEC-1), never over the organisation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client as HttpClient

from opstap.clients.models import Client
from opstap.clients.selectors import CLIENT_COUNTS
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.services import municipality_create, organisation_create

SIGNAL_LINK = 'href="/klanten/?klantmanager=geen"'


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _without_case_manager(org, ladder_step: str, colleague) -> Client:
    """A client registered before R-CLI-3 was enforced (or left by a case manager)."""
    client = make_client(org, ladder_step=ladder_step, case_manager=colleague)
    Client.objects.filter(pk=client.pk).update(case_manager=None)
    CLIENT_COUNTS.changed(org.pk)  # .update() bypasses the write signal
    return client


@pytest.fixture
def people(org, make_user):
    lead = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="teamleider")
    case_manager = make_user(RoleCode.CASE_MANAGER, username="klantmanager")
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    for user in (lead, case_manager, colleague):
        case_manager_set_unit(user=user, unit="work")
    make_client(org, ladder_step="4", case_manager=lead)  # the lead's own caseload
    make_client(org, ladder_step="3", case_manager=colleague)  # the unit, assigned
    return {"lead": lead, "case_manager": case_manager, "colleague": colleague}


def _start_page(user) -> str:
    http = HttpClient()
    http.force_login(user)
    response = http.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_team_lead_sees_the_clients_without_case_manager_in_scope(org, people) -> None:
    _without_case_manager(org, "4", people["colleague"])  # the unit (Werk: steps 3-5)
    _without_case_manager(org, "5", people["colleague"])  # the unit
    _without_case_manager(org, "1", people["colleague"])  # Zorg: outside the lead's scope
    html = _start_page(people["lead"])
    text = _text(html)
    assert "2 klanten zonder klantmanager binnen uw unit." in text
    assert SIGNAL_LINK in html
    # The own caseload is counted in the same query, and stays right.
    assert "1 klant in uw caseload;" in text  # one client, not "1 klanten"
    # The link lists exactly the clients counted.
    http = HttpClient()
    http.force_login(people["lead"])
    listed = http.get("/klanten/?klantmanager=geen").content.decode()
    assert "2 klanten" in _text(listed)


def test_one_client_without_case_manager(org, people) -> None:
    _without_case_manager(org, "3", people["colleague"])
    assert "1 klant zonder klantmanager binnen uw unit." in _text(_start_page(people["lead"]))


def test_no_signal_when_every_client_in_scope_has_a_case_manager(org, people) -> None:
    _without_case_manager(org, "1", people["colleague"])  # outside the lead's scope only
    html = _start_page(people["lead"])
    assert "zonder klantmanager" not in html
    assert SIGNAL_LINK not in html


def test_no_signal_for_a_case_manager(org, people) -> None:
    _without_case_manager(org, "4", people["colleague"])  # in the case manager's unit too
    html = _start_page(people["case_manager"])
    assert "zonder klantmanager" not in html
    assert SIGNAL_LINK not in html


def test_no_signal_for_another_organisations_clients(org, people, make_user) -> None:
    other = organisation_create(name="Werkplein Elders", slug="elders")
    municipality_create(
        organisation=other,
        name="Elders",
        cbs_code="GM9999",
        inhabitants=1000,
        reference_date=dt.date(2021, 1, 1),
    )
    stranger = make_user(RoleCode.CASE_MANAGER, organisation=other, username="vreemde")
    _without_case_manager(other, "4", stranger)
    assert "zonder klantmanager" not in _start_page(people["lead"])
