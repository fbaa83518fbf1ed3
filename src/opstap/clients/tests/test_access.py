"""Need-to-know access to clients (R-SEC-1) and the audit of every read (R-SEC-2)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from opstap.audit.models import AuditRecord
from opstap.clients.selectors import clients_for
from opstap.clients.services import case_manager_set_unit, client_link_user
from opstap.core.roles import RoleCode

from .factories import make_client


@pytest.fixture
def world(org, other_org, case_manager, make_user, provider_user_a):
    """Two units, clients in each, and one user per role."""
    case_manager_set_unit(user=case_manager, unit="work")
    care_cm = make_user(RoleCode.CASE_MANAGER, username="zorg-km")
    case_manager_set_unit(user=care_cm, unit="care")
    users = {
        "work_cm": case_manager,
        "care_cm": care_cm,
        "coach": make_user(RoleCode.INCOME_COACH, username="coach"),
        "policy": make_user(RoleCode.POLICY_OFFICER, username="beleid"),
        "provider": provider_user_a,
        "resident": make_user(RoleCode.RESIDENT, username="inwoner"),
        "foreign_cm": make_user(RoleCode.CASE_MANAGER, username="elders", organisation=other_org),
    }
    clients = {
        "work": make_client(org, ladder_step="4", case_manager=care_cm),
        "care": make_client(org, ladder_step="1", case_manager=care_cm),
        # a care-unit client in the work case manager's own caseload: always visible to them
        "own_care": make_client(org, ladder_step="2a", case_manager=case_manager),
    }
    client_link_user(client=clients["care"], user=users["resident"])
    return users, clients


def _visible(user) -> set[int]:
    return set(clients_for(user).values_list("pk", flat=True))


def test_scope_per_role(world) -> None:
    """R-SEC-1: own unit plus own caseload; income coach only assigned clients (none here);
    provider none (no trajectories yet); resident only self; policy officer no dossiers;
    other organisation nothing."""
    users, c = world
    assert _visible(users["work_cm"]) == {c["work"].pk, c["own_care"].pk}
    assert _visible(users["care_cm"]) == {c["care"].pk, c["own_care"].pk, c["work"].pk}
    assert _visible(users["coach"]) == set()
    assert _visible(users["provider"]) == set()
    assert _visible(users["resident"]) == {c["care"].pk}
    assert _visible(users["policy"]) == set()
    assert _visible(users["foreign_cm"]) == set()


@pytest.mark.parametrize("who", ["work_cm", "provider", "policy", "foreign_cm", "resident"])
def test_forbidden_dossier_is_404_page_and_api(world, who, client: HttpClient, api_as) -> None:
    """R-SEC-1: the user who must not see a client gets a 404 (never 403), page and API;
    counts exclude the client."""
    users, c = world
    user = users[who]
    client.force_login(user)
    target = c["care"] if who != "resident" else c["work"]
    response = client.get(f"/klanten/{target.pk}/")
    assert response.status_code in (404, 403)  # 403 only for roles without the page at all
    if user.has_opstap_perm("clients.view"):
        assert response.status_code == 404
        api = api_as(user)
        assert api.get(f"/api/v1/clients/{target.pk}").status_code == 404
        listed = api.get("/api/v1/clients").json()
        assert target.pk not in [r["id"] for r in listed["results"]]
        assert listed["count"] == len(_visible(user))


def test_income_coach_reads_but_cannot_change(world, client: HttpClient) -> None:
    from django.utils import timezone

    from opstap.clients.services import income_coach_assign

    users, c = world
    income_coach_assign(
        actor=users["care_cm"],
        client=c["work"],
        coach=users["coach"],
        valid_from=timezone.localdate(),
        reason="Schulden",
    )
    client.force_login(users["coach"])
    assert client.get(f"/klanten/{c['work'].pk}/").status_code == 200
    assert client.get(f"/klanten/{c['work'].pk}/trede/").status_code == 403


def test_dossier_read_is_audited(world, client: HttpClient) -> None:
    """R-SEC-2: every dossier read leaves an audit record."""
    users, c = world
    client.force_login(users["work_cm"])
    client.get(f"/klanten/{c['work'].pk}/")
    record = AuditRecord.objects.filter(action="read", client_id=c["work"].pk).get()
    assert record.actor_username == "klantmanager" and record.purpose == "Dossier bekijken"


def test_list_page_audits_one_row_per_client_shown(world, client: HttpClient) -> None:
    """R-SEC-2: a list page writes one audit row per client shown (the unit view: "Mijn
    caseload" defaults to the case manager's own clients)."""
    users, c = world
    client.force_login(users["work_cm"])
    client.get("/klanten/?klantmanager=")
    listed = set(AuditRecord.objects.filter(action="list").values_list("client_id", flat=True))
    assert listed == {c["work"].pk, c["own_care"].pk}


def test_bsn_search_is_post_only_and_audited(world, client: HttpClient) -> None:
    """R-SEC-1/2: a BSN never travels in a URL; search hits are audited; out-of-scope
    clients are not found."""
    users, c = world
    client.force_login(users["work_cm"])
    assert client.get("/klanten/zoeken-op-bsn/").status_code == 405
    response = client.post("/klanten/zoeken-op-bsn/", {"bsn": c["work"].bsn})
    assert c["work"].client_number in response.content.decode()
    assert AuditRecord.objects.filter(action="search", client_id=c["work"].pk).exists()
    response = client.post("/klanten/zoeken-op-bsn/", {"bsn": c["care"].bsn})
    assert c["care"].client_number not in response.content.decode()
    assert "Geen klant gevonden" in response.content.decode()


def test_caseload_sizes_for_management_only(world, client: HttpClient) -> None:
    """R-CLI-3: management sees caseload size per case manager and unit (aggregates)."""
    users, _clients = world
    client.force_login(users["policy"])
    html = client.get("/klanten/caseloadgrootte/").content.decode()
    assert "Zorg &amp; Ondersteuning" in html and "Unit Werk" in html
    assert "Gebruiker" in html  # case manager names
    client.force_login(users["work_cm"])
    assert client.get("/klanten/caseloadgrootte/").status_code == 403


def test_provider_staff_scope_comes_from_the_registered_trajectories_rule(monkeypatch) -> None:
    """R-SEC-1: which clients provider staff see is the trajectories app's rule, registered
    with the clients app (no upward import, no ImportError fallback). A second, different
    rule is refused; without any rule a provider-staff lookup fails loudly instead of
    showing no clients."""
    from django.core.exceptions import ImproperlyConfigured

    from opstap.clients import access
    from opstap.trajectories.access import provider_staff_client_ids

    assert access._provider_staff_clients == [provider_staff_client_ids]
    with pytest.raises(ImproperlyConfigured):
        access.register_provider_staff_clients(lambda user, on: [])
    assert access.register_provider_staff_clients(provider_staff_client_ids) is (
        provider_staff_client_ids
    )
    monkeypatch.setattr(access, "_provider_staff_clients", [])
    with pytest.raises(ImproperlyConfigured):
        access._provider_visible_client_ids(object())
