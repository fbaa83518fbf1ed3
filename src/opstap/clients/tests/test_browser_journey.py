"""Browser journey (R-CLI-3, R-LAD-1): a case manager filters the caseload, opens a dossier,
changes the ladder step with a reason and hands the client over; the timeline and the
audit trail show it. Plus an axe-core check of the caseload and dossier pages."""

from __future__ import annotations

import json

import pytest

from opstap.audit.models import AuditRecord
from opstap.clients.services import case_manager_set_unit
from opstap.conftest import browser_login
from opstap.core.roles import RoleCode

from .factories import make_client

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def journey_data(org, case_manager, make_user):  # type: ignore[no-untyped-def]
    case_manager_set_unit(user=case_manager, unit="work")
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    target = make_client(org, case_manager=case_manager, ladder_step="4", last_name="Willemsen")
    make_client(org, case_manager=case_manager, ladder_step="5", last_name="Gerritsen")
    return target, colleague


def test_case_manager_journey(page, journey_data, live_server) -> None:  # type: ignore[no-untyped-def]
    target, colleague = journey_data
    browser_login(page, "klantmanager")
    page.wait_for_url("**/")
    page.get_by_role("link", name="Mijn caseload").first.click()
    page.wait_for_url("**/klanten/**")
    page.get_by_label("Trede", exact=True).select_option("4")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**trede=4**")
    table = page.locator("#caseload-table")
    assert "Willemsen" in table.inner_text() and "Gerritsen" not in table.inner_text()
    page.get_by_role("link", name="Willemsen, Jan").click()
    page.wait_for_url(f"**/klanten/{target.pk}/")

    page.get_by_role("link", name="Trede wijzigen").click()
    page.get_by_label("Nieuwe trede").select_option("6")
    page.get_by_role("button", name="Opslaan").click()  # no reason, no sub-status
    assert "Kies bij trede 6 een substatus" in page.content() or "Geef een reden" in page.content()
    page.get_by_label("Nieuwe trede").select_option("5")
    page.get_by_label("Reden").fill("Werkfit na sollicitatietraining")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/klanten/{target.pk}/")
    assert "De trede is gewijzigd." in page.content()
    assert "5 — Direct beschikbaar" in page.locator("#current-step").inner_text()

    page.get_by_role("link", name="Overdragen").click()
    page.get_by_label("Nieuwe klantmanager").select_option(str(colleague.pk))
    page.get_by_label("Overdrachtsnotitie").fill("Klant start binnenkort bij een werkgever.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/klanten/{target.pk}/")
    timeline = page.locator("#timeline").inner_text()
    assert "Werkfit na sollicitatietraining" in timeline
    assert "Overgedragen aan" in timeline and "binnenkort bij een werkgever" in timeline

    actions = set(AuditRecord.objects.filter(client_id=target.pk).values_list("action", "purpose"))
    assert ("list", "Caseload bekijken") in actions
    assert ("read", "Dossier bekijken") in actions
    assert ("update", "Trede wijzigen") in actions
    assert ("update", "Overdracht klantmanager") in actions

    # Accessibility smoke check of the pages of this journey.
    for url in ("/klanten/", f"/klanten/{target.pk}/"):
        page.goto(url)
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
        )
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], json.dumps(serious, indent=1)[:3000]
