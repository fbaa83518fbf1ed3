"""Issue 14: the policy officer's working day in a real browser, on the demo organisation
(R-KPI-1, R-PI-1, R-FIN-1, R-FIN-3, R-FIN-4, R-CLI-3): the start page, the steering KPIs
filtered to one municipality, its Excel report, one KPI's breakdown, the providers'
performance indicators with a wrong input (a period that ends before it starts is refused
in Dutch and the page keeps the last twelve months), the financial models and the caseload
sizes. The KPI report is built in the background (R-INT-4). Every page: screenshots at
1366 and 320 px, no sideways scrolling, axe 0 violations (`check_page`).

The demo is built as on DEMO_TODAY (explicit today); the clock ticks from 10:00 that day
because a browser test needs time to move. No sleeps: every step waits for its page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from opstap.conftest import DEMO_TODAY, browser_login
from opstap.demo import generator
from opstap.portal.tests.browser_checks import check_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_moment() -> Iterator[None]:
    import time_machine

    moment = dt.datetime.combine(DEMO_TODAY, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=True):  # time moves in a browser test
        yield


def test_policy_officer_working_day(
    page: Any, live_server: Any, demo_moment: None, settings: Any
) -> None:
    """R-KPI-1: steering KPIs per municipality; R-PI-1: a wrong period is refused in Dutch."""
    settings.OPSTAP_KPI_EXPORT_SYNC = True
    generator.build(scale="demo", today=DEMO_TODAY, log=lambda _msg: None)
    page.set_default_timeout(60_000)  # a long journey on a shared, busy machine

    browser_login(page, "beleid", generator.DEMO_PASSWORD)
    page.wait_for_url("**/")
    nav = page.locator("nav.opstap-nav")
    for item in ("Sturing", "Prestatie-indicatoren", "Financiën", "Caseloadgrootte"):
        assert item in nav.inner_text()
    assert "Mijn caseload" not in nav.inner_text()  # only what the role may open
    check_page(page, live_server, "policy-officer-home")

    nav.get_by_role("link", name="Sturing").click()
    page.wait_for_url("**/sturing/")
    assert page.locator(".opstap-kpi-grid").count() == 1
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("Gemeente").select_option(label="Duiven")
    filters.get_by_role("button", name="Tonen").click()
    page.wait_for_url("**/sturing/?*gemeente=*")
    assert "Duiven" in page.locator("main").inner_text()
    check_page(page, live_server, "policy-officer-kpis")

    # R-INT-4: the report is built in the background; its page shows the progress and then
    # the download (the task runs inline here: OPSTAP_KPI_EXPORT_SYNC).
    page.get_by_role("form", name="Rapportage maken").get_by_role(
        "button", name="Download Excel"
    ).click()
    page.wait_for_url("**/sturing/rapportage/*/")
    page.locator("#export-download").wait_for()
    assert "Klaar om te downloaden" in page.locator("#export-status").inner_text()
    check_page(page, live_server, "policy-officer-kpi-report")
    with page.expect_download() as xlsx_info:
        page.locator("#export-download").click()
    assert xlsx_info.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(xlsx_info.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "Duiven" in texts and "R-KPI" not in texts  # no rule ids in reports

    page.go_back()
    page.wait_for_url("**/sturing/?*gemeente=*")
    page.locator(".opstap-kpi-grid a").first.click()
    page.wait_for_url("**/sturing/kpi/**")
    main = page.locator("main").inner_text()
    assert "R-KPI" not in main
    check_page(page, live_server, "policy-officer-kpi-detail")

    nav.get_by_role("link", name="Prestatie-indicatoren").click()
    page.wait_for_url("**/indicatoren/**")
    check_page(page, live_server, "policy-officer-indicators")
    # A wrong input: a period that ends before it starts. Refused in Dutch at the field; the
    # page keeps showing the last twelve months.
    period = page.get_by_role("form", name="Periode kiezen")
    period.get_by_label("Van").fill("2026-10-31")
    period.get_by_label("Tot en met").fill("2026-01-01")
    period.get_by_role("button", name="Toon periode").click()
    page.wait_for_url("**/indicatoren/?*tot=2026-01-01*")
    assert "De einddatum ligt vóór de begindatum." in page.locator("main").inner_text()
    check_page(page, live_server, "policy-officer-indicators-refused")
    period.get_by_label("Van").fill("2026-01-01")
    period.get_by_label("Tot en met").fill("2026-10-31")
    period.get_by_role("button", name="Toon periode").click()
    page.wait_for_url("**/indicatoren/?*tot=2026-10-31*")
    main = page.locator("main").inner_text()
    assert "01-01-2026 t/m 31-10-2026" in main and "einddatum ligt" not in main

    nav.get_by_role("link", name="Financiën").click()
    page.wait_for_url("**/financien/")
    check_page(page, live_server, "policy-officer-finance")
    for path, name in (
        ("/financien/verdeelsleutel/", "cost-split"),
        ("/financien/prognose/", "forecast"),
        ("/financien/vangnet/", "safety-net"),
        ("/financien/uitstroompremie/", "premiums"),
    ):
        page.goto(path)
        page.wait_for_load_state()
        check_page(page, live_server, f"policy-officer-{name}")

    nav.get_by_role("link", name="Caseloadgrootte").click()
    page.wait_for_url("**/klanten/caseloadgrootte/")
    check_page(page, live_server, "policy-officer-caseload-sizes")
