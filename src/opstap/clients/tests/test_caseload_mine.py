"""Issue 14 item 4: "Mijn caseload" shows the case manager's own clients; the unit view
(everyone the case manager may see) is a filter choice, not the default (R-CLI-3)."""

from __future__ import annotations

from django.test import Client as HttpClient

from opstap.clients.services import case_manager_set_unit
from opstap.core.roles import RoleCode

from .factories import make_client


def test_my_caseload_is_my_own_clients_with_the_unit_as_a_filter(
    org, case_manager, make_user, client: HttpClient
) -> None:
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    for user in (case_manager, colleague):
        case_manager_set_unit(user=user, unit="work")
    make_client(org, case_manager=case_manager, last_name="Eigenaar", ladder_step="4")
    make_client(org, case_manager=colleague, last_name="Collegaklant", ladder_step="4")
    client.force_login(case_manager)
    html = client.get("/klanten/").content.decode()
    assert "Eigenaar" in html and "Collegaklant" not in html
    assert '<option value="mij" selected>Mijn eigen klanten</option>' in html
    unit = client.get("/klanten/?klantmanager=").content.decode()
    assert "Eigenaar" in unit and "Collegaklant" in unit
    # the other filters keep the default: still only my own clients
    assert "Collegaklant" not in client.get("/klanten/?trede=4").content.decode()
