"""Issue 15 in a real browser: a case manager opens a vacancy, proposes the best explained
candidate, plans and records the introduction and records the placement; the vacancy is
filled, the placement shows on the client's timeline and in the KPI counts (R-KPI-3).
Every page: screenshots at 1366 and 320 px, no sideways scrolling, axe 0 violations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from opstap.clients.models import Client, ClientEvent
from opstap.conftest import browser_login
from opstap.kpis import selectors as kpi_selectors
from opstap.kpis.formulas import KpiCode
from opstap.matching.models import Vacancy
from opstap.portal.tests.browser_checks import check_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_vacancy_to_placement_journey(
    page: Any,
    live_server: Any,
    km: Any,
    vacancy: Vacancy,
    make_candidate: Callable[..., Client],
) -> None:
    client = make_candidate()
    make_candidate({"hours_available": 8})
    page.set_default_timeout(60_000)  # a long journey on a shared, busy machine
    browser_login(page, km.username)
    page.goto(f"/werk/vacatures/{vacancy.pk}/")
    assert client.full_name in page.inner_text("#candidates")
    check_page(page, live_server, "matching-vacancy")
    page.get_by_role("button", name=f"Voordragen {client.full_name}").click()
    page.wait_for_url(f"**/werk/vacatures/{vacancy.pk}/")
    assert "is voorgedragen" in page.inner_text("main")
    today = timezone.localdate()
    page.get_by_role("link", name="Kennismaking plannen").click()
    page.get_by_label("Datum kennismaking").fill(today.strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/werk/vacatures/{vacancy.pk}/")
    page.get_by_role("link", name="Uitkomst kennismaking").click()
    page.get_by_label("Uitkomst").select_option("yes")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/werk/vacatures/{vacancy.pk}/")
    page.get_by_role("link", name="Plaatsing vastleggen").click()
    check_page(page, live_server, "matching-placement-form")
    page.get_by_label("Startdatum").fill((today + dt.timedelta(days=3)).strftime("%d-%m-%Y"))
    page.get_by_label("Uren per week").fill("24")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/werk/vacatures/{vacancy.pk}/")
    assert "Vervuld" in page.inner_text("main")
    vacancy.refresh_from_db()
    assert vacancy.state == "filled"
    assert ClientEvent.objects.filter(client=client, summary__startswith="Geplaatst").exists()
    page.goto(f"/werk/klanten/{client.pk}/")
    assert "Geplaatst" in page.inner_text("#proposals")
    check_page(page, live_server, "matching-passend-werk")
    ctx = kpi_selectors.kpi_context(
        organisation_id=client.organisation_id,
        filters=kpi_selectors.KpiFilters(year=(today + dt.timedelta(days=3)).year),
        today=today + dt.timedelta(days=3),
    )
    assert kpi_selectors.kpi_counts(ctx)[KpiCode.PLACEMENTS].numerator == 1
