"""The case manager's start page (issue 18): what it shows, and how many SQL statements it
takes. The count may only go down: a panel that adds a query, or a client scope computed
per panel again (it reads the ladder mapping), makes this fail."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from opstap.clients.selectors import CLIENT_COUNTS
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.notifications.services import notification_send

# The user with its organisation and roles (one statement, accounts.backends; the session
# comes from the cache, cached_db: 9 with its row, issue 18);
# notifications; open deadlines; open vacancies; proposals; the audit records (the page's
# read and the notification shown as a list row, one link of the chain: its head locked and
# advanced, one INSERT; on SQLite the transaction's BEGIN and COMMIT are not captured).
# The case-manager profile and the ladder mapping of the scope come from the organisation
# data cache (organisations.data_cache; 11 before it).
# PostgreSQL: the audit records' link and INSERT are one statement (audit 0007, R-SEC-2).
WARM_QUERIES = 8 - (2 if connection.vendor == "postgresql" else 0)
# Without cached counts: the caseload chart's counts and the own caseload are counted, and
# (the organisation data cache empty as well) the case-manager profile and the mapping read.
COLD_QUERIES = WARM_QUERIES + 2 + 2


@pytest.fixture
def start_page(org, case_manager, make_user, client: HttpClient):
    from opstap.core.roles import RoleCode

    case_manager_set_unit(user=case_manager, unit="work")
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    make_client(org, ladder_step="4", case_manager=case_manager)
    make_client(org, ladder_step="1", case_manager=case_manager)  # own caseload, other unit
    make_client(org, ladder_step="3", case_manager=colleague)  # the unit, not own
    make_client(org, ladder_step="1", case_manager=colleague)  # neither: not visible
    notification_send(recipient=case_manager, title="Termijn verloopt", body="Zie traject.")
    client.force_login(case_manager)
    return client


# The team lead (a case manager with the management role; R-CLI-3): the same statements as
# the case manager's, plus the management panels' (finance: the scenarios). The KPI panel's
# numbers come from a short cache (kpis.home.PANEL_CACHE_SECONDS, issue 18: 8 more before it,
# 10 on PostgreSQL). The clients without a case manager in the lead's scope are counted in the
# own caseload's statement (one grouped count for both): none more.
TEAM_LEAD_WARM_QUERIES = WARM_QUERIES + 1
# The KPI panel computed (first view; its cache empty): its settings, the region's providers,
# the outcome and ladder counts, the satisfaction waves and responses, the targets.
# PostgreSQL: the KPI panel's ladder counts run with JIT off (SET and RESET: 2 more).
KPI_PANEL_QUERIES = 7 + (2 if connection.vendor == "postgresql" else 0)


@pytest.fixture
def team_lead_start_page(org, make_user, client: HttpClient):
    from opstap.clients.models import Client
    from opstap.core.roles import RoleCode

    lead = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="teamleider")
    case_manager_set_unit(user=lead, unit="work")
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    make_client(org, ladder_step="4", case_manager=lead)
    make_client(org, ladder_step="3", case_manager=colleague)
    legacy = make_client(org, ladder_step="5", case_manager=colleague)
    Client.objects.filter(pk=legacy.pk).update(case_manager=None)
    client.force_login(lead)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_start_page_numbers_and_panels(start_page) -> None:
    from opstap.audit.models import AuditRecord

    text = _text(start_page.get("/").content.decode())
    home = AuditRecord.objects.get(object_type="home", action="read")
    assert home.changes["panels"] == ["notifications", "clients", "trajectories", "matching"]
    assert AuditRecord.objects.filter(object_type="notification", action="list").count() == 1
    assert "Nieuwe meldingen" in text and "Termijn verloopt" in text
    assert "Mijn caseload" in text
    assert "2 klanten in uw caseload; 3 klanten binnen uw unit zichtbaar." in text
    assert "Mijn termijnen" in text
    assert "0 verlopen termijnen; 0 termijnen binnen twee weken." in text


def test_start_page_query_count(org, start_page) -> None:
    CLIENT_COUNTS.changed(org.pk)
    with CaptureQueriesContext(connection) as cold:
        assert start_page.get("/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert start_page.get("/").status_code == 200
    statements = [q["sql"] for q in warm.captured_queries]
    assert len(cold.captured_queries) == COLD_QUERIES, "\n".join(
        q["sql"][:120] for q in cold.captured_queries
    )
    assert len(statements) == WARM_QUERIES, "\n".join(s[:120] for s in statements)
    # The client scope is computed once per request, not once per panel, and then kept.
    cold_statements = [q["sql"] for q in cold.captured_queries]
    assert sum('FROM "clients_laddermapping"' in s for s in cold_statements) == 1
    assert sum('FROM "clients_laddermapping"' in s for s in statements) == 0


def test_team_lead_start_page_query_count(org, team_lead_start_page) -> None:
    CLIENT_COUNTS.changed(org.pk)
    with CaptureQueriesContext(connection) as cold:
        response = team_lead_start_page.get("/")
    with CaptureQueriesContext(connection) as warm:
        assert team_lead_start_page.get("/").status_code == 200
    assert "1 klant zonder klantmanager" in _text(response.content.decode())
    cold_budget = TEAM_LEAD_WARM_QUERIES + KPI_PANEL_QUERIES + 2 + 2
    assert len(cold.captured_queries) == cold_budget, "\n".join(
        q["sql"][:120] for q in cold.captured_queries
    )
    assert len(warm.captured_queries) == TEAM_LEAD_WARM_QUERIES, "\n".join(
        q["sql"][:120] for q in warm.captured_queries
    )


def test_start_page_records_are_one_link_of_the_chain(start_page) -> None:
    """The page's read and the listed notification: one group of records, written in the
    chain one after the other, and the chain verifies (R-SEC-2)."""
    from opstap.audit.management.commands.audit_verify import verify
    from opstap.audit.models import AuditRecord

    with CaptureQueriesContext(connection) as page:
        assert start_page.get("/").status_code == 200
    home = AuditRecord.objects.get(object_type="home", action="read")
    listed = AuditRecord.objects.get(object_type="notification", action="list")
    assert home.changes == {"panels": ["notifications", "clients", "trajectories", "matching"]}
    assert (home.chain, home.chain_position + 1) == (listed.chain, listed.chain_position)
    assert listed.prev_hash == home.row_hash
    assert home.purpose == "Startpagina bekijken" and listed.purpose == "Startpagina: paneel"
    assert home.object_id == "" and home.client_id is None and home.result == "ok"
    inserts = [
        q
        for q in page.captured_queries
        if q["sql"].startswith("INSERT INTO") or "opstap_audit_link(" in q["sql"]
    ]
    assert len(inserts) == 1
    _chains, _records, problems = verify()
    assert problems == []
