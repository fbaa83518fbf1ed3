"""Issue 14, the resident journey in a real browser (Debian chromium): password login →
Mijn Opstap → upload → survey → travel claim, and the demo DigiD mock; the 403 page offers a
way out. Every page: screenshots at 1366 and 320 px, no sideways scrolling, axe 0 violations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from opstap.clients.services import client_link_user
from opstap.conftest import browser_login
from opstap.core.roles import RoleCode
from opstap.kpis import services as kpi_services
from opstap.kpis.models import SatisfactionResponse
from opstap.portal.models import ClientUpload
from opstap.trajectories import services as trajectory_services

from .browser_checks import check_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def fixed_moment() -> Iterator[None]:
    """The journey happens on 15 September 2026, while the fixtures' trajectory (started
    6 May 2026) runs: the appointments three days before and two days after stay inside its
    planned period on any real date (time moves, as in any browser test)."""
    import time_machine

    moment = dt.datetime(2026, 9, 15, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def resident_world(fixed_moment, org, make_user, client_k, order, walk, product3, provider_user_a):  # type: ignore[no-untyped-def]
    """A resident (Kees Klant) with a running trajectory, one attended appointment three days
    ago, one coming appointment, and an open survey wave."""
    user = make_user(RoleCode.RESIDENT, username="kees")
    client_link_user(client=client_k, user=user)
    trajectory = walk(order(product3), "running")
    now = timezone.now()
    past = trajectory_services.appointment_create(
        actor=provider_user_a,
        trajectory=trajectory,
        starts_at=now - dt.timedelta(days=3),
        description="Training",
    )
    trajectory_services.attendance_record(
        actor=provider_user_a, appointment=past, status="attended"
    )
    trajectory_services.appointment_create(
        actor=provider_user_a,
        trajectory=trajectory,
        starts_at=now + dt.timedelta(days=2),
        description="Sollicitatiegesprek oefenen",
    )
    kpi_services.survey_wave_record(
        actor=None,
        organisation=org,
        name="Klantbeleving",
        held_on=timezone.localdate() + dt.timedelta(days=30),
        score="7.5",
        respondents=10,
    )
    return user, trajectory


def test_resident_journey(page, live_server, resident_world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.set_default_timeout(60_000)  # a long journey on a shared, busy machine
    browser_login(page, "kees")
    page.wait_for_url("**/mijn/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Kees Klant"
    assert "Wat gebeurt er nu?" in page.inner_text("main")
    assert "Sollicitatiegesprek oefenen" in page.inner_text("main")
    check_page(page, live_server, "resident-home")

    # The logo leads home, not to a 403.
    page.locator(".opstap-brand").click()
    page.wait_for_url("**/mijn/")

    # Upload a document for the case manager.
    page.get_by_role("link", name="Stuur uw klantmanager een document").click()
    page.wait_for_url("**/mijn/documenten/")
    check_page(page, live_server, "resident-upload")
    page.get_by_label("Waar gaat het document over?").fill("Loonstrook november")
    pdf = tmp_path / "loonstrook.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Bestand").set_input_files(str(pdf))
    page.get_by_role("button", name="Document sturen").click()
    page.wait_for_url("**/mijn/")
    assert "Uw document is verstuurd" in page.inner_text("main")
    assert ClientUpload.objects.filter(title="Loonstrook november").exists()

    # The satisfaction survey (open wave), once.
    page.get_by_role("link", name="Geef ons een cijfer").click()
    page.wait_for_url("**/mijn/tevredenheid/")
    check_page(page, live_server, "resident-survey")
    page.get_by_label("8", exact=True).check()
    page.get_by_label("Wilt u nog iets zeggen? (niet verplicht)").fill("Goed geholpen.")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_url("**/mijn/")
    assert SatisfactionResponse.objects.get().score == 8
    assert page.get_by_role("link", name="Geef ons een cijfer").count() == 0

    # The travel claim: tick the attended appointment, km and costs per trip.
    page.get_by_role("link", name="Declareer uw reiskosten").click()
    page.wait_for_url("**/mijn/reiskosten/")
    check_page(page, live_server, "resident-travel")
    page.get_by_label("Ik reisde naar deze afspraak").check()
    page.get_by_label("Km enkele reis").first.fill("12")
    page.get_by_label("Kosten (€)").first.fill("6,40")
    page.get_by_role("button", name="Declaratie versturen").click()
    page.wait_for_url("**/mijn/reiskosten/")
    text = page.inner_text("main")
    assert "wij betalen u €\u00a06,40" in text and "Vergoed" in text
    check_page(page, live_server, "resident-travel-done")

    # A staff page: a styled 403 with a way out.
    page.goto("/klanten/")
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"
    check_page(page, live_server, "resident-403")
    page.get_by_role("link", name="Naar uw startpagina").click()
    page.wait_for_url("**/mijn/")
    page.goto("/bestaat-niet/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    check_page(page, live_server, "resident-404")
    page.get_by_role("button", name="Uitloggen").first.click()


@override_settings(OPSTAP_DEMO=True, OPSTAP_MOCK_OIDC=True)
def test_resident_logs_in_with_the_demo_digid_mock(page, live_server, resident_world) -> None:  # type: ignore[no-untyped-def]
    page.goto("/account/inloggen/")
    page.get_by_role("link", name="Demo: DigiD (mock)").click()
    page.wait_for_url("**/mock-oidc/digid/")
    check_page(page, live_server, "digid-mock")
    page.get_by_role("button", name="Inloggen als Kees Klant").click()
    page.wait_for_url("**/mijn/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Kees Klant"
