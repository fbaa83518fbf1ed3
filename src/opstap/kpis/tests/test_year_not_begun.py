"""A year that has not begun shows its targets and no figures (R-KPI, section 8).

Found in the user walk of session 19: on 07-12-2026 the year list of /sturing/ offers 2027
(targets are set ahead), and choosing it showed "Jaar 2027 (stand 01-01-2027)" with a card of
figures per KPI, measured on a day still to come; the exports and GET /api/v1/kpis did the
same. Now the dashboard, the KPI pages, the xlsx/PDF report and the API say that the year has
not begun and show only its targets. The test world's today is Sunday 22-11-2026.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from openpyxl import load_workbook

from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode
from opstap.kpis import report as kpi_report
from opstap.kpis import selectors, services
from opstap.kpis.formulas import SLUGS_NL, KpiCode, year_has_begun

from .conftest import World

NOT_BEGUN = "Het jaar 2027 is nog niet begonnen: er zijn nog geen cijfers. U ziet alleen de doelen."


@pytest.mark.parametrize(
    ("year", "today", "begun"),
    [
        (2027, dt.date(2026, 12, 7), False),  # the walk: next year's targets, no figures
        (2027, dt.date(2026, 12, 31), False),
        (2027, dt.date(2027, 1, 1), True),  # New Year's Day: the year is reported
        (2027, dt.date(2027, 6, 30), True),
        (2026, dt.date(2026, 12, 7), True),  # this year
        (2021, dt.date(2026, 12, 7), True),  # a past year
        (2099, dt.date(2026, 12, 7), False),
    ],
)
def test_a_year_is_reportable_once_it_has_begun(year: int, today: dt.date, begun: bool) -> None:
    """R-KPI: the pure decision behind every page, report and API answer."""
    assert year_has_begun(year, today) is begun


def _login(user: Any) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def targets_2027(world: World, make_user: Callable[..., Any]) -> None:
    """The administrator has set one target for 2027 ahead (the others have no default)."""
    services.kpi_targets_save(
        actor=make_user(RoleCode.APP_ADMIN, username="beheerder"),
        organisation=world.org,
        year=2027,
        targets={KpiCode.PLACEMENTS: Decimal(310)},
        activity_window_months=3,
    )


@pytest.mark.usefixtures("targets_2027")
def test_dashboard_of_next_year_shows_its_targets_and_no_figures(
    world: World, policy_officer: Any
) -> None:
    """R-KPI: /sturing/?jaar=2027 on 22-11-2026 says the year has not begun and lists the
    targets; no KPI card, no "stand 01-01-2027", no realisation."""
    response = _login(policy_officer).get(reverse("kpis:dashboard"), {"jaar": 2027})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="utrecht-paragraph" id="kpi-not-begun">{NOT_BEGUN}</p>' in html
    assert "Jaar 2027 (nog niet begonnen), alle gemeenten." in html
    assert "01-01-2027" not in html and "(stand " not in html
    assert 'class="opstap-kpi-card"' not in html and "<dt>Realisatie</dt>" not in html
    assert "Doelen 2027" in html
    assert '<th scope="row">Geplaatst in werk of opleiding</th><td class="num">310</td>' in html
    assert '<option value="2027" selected>2027</option>' in html
    # This year is unchanged: cards with figures.
    this_year = _login(policy_officer).get(reverse("kpis:dashboard")).content.decode()
    assert 'class="opstap-kpi-card"' in this_year and 'id="kpi-not-begun"' not in this_year


@pytest.mark.usefixtures("targets_2027")
def test_kpi_page_and_drilldown_of_next_year_show_no_figures(
    world: World, policy_officer: Any, steering_cm: Any
) -> None:
    """R-KPI, R-SEC-2: the KPI page of 2027 gives the target and the definition, no
    breakdown or trend; the clients behind a number are not listed (nor audited)."""
    url = reverse("kpis:detail", args=[SLUGS_NL[KpiCode.PLACEMENTS]])
    response = _login(policy_officer).get(url, {"jaar": 2027})
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_BEGUN in html
    assert "<dt>Doel 2027</dt><dd>310</dd>" in html
    assert "Uitsplitsing" not in html and "<svg" not in html and "01-01-2027" not in html
    drill = reverse("kpis:drilldown", args=[SLUGS_NL[KpiCode.PLACEMENTS]])
    response = _login(steering_cm).get(drill, {"jaar": 2027, "deel": "teller"})
    assert response.status_code == 302
    assert response["Location"].startswith(url + "?jaar=2027")
    assert not AuditRecord.objects.filter(object_type="client", action="list").exists()


@pytest.mark.usefixtures("targets_2027")
def test_reports_of_next_year_hold_the_targets_and_say_why(
    world: World, policy_officer: Any
) -> None:
    """R-KPI: the council report of 2027 (xlsx and PDF) says the year has not begun and holds
    the targets and the definitions, no realisation, trend or breakdown."""
    http = _login(policy_officer)
    response = http.get(reverse("kpis:export_xlsx"), {"jaar": 2027})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    text = " ".join(
        str(cell.value)
        for sheet in wb.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
    assert NOT_BEGUN in text and "Doelen 2027" in text
    assert "Realisatie" not in text and "01-01-2027" not in text
    ctx = selectors.kpi_context(
        organisation_id=world.org.pk, filters=selectors.KpiFilters(year=2027)
    )
    report = kpi_report.council_report(ctx)
    assert [t.title for t in report.tables] == ["Doelen 2027", "Definities"]
    assert report.charts == ()
    pdf = http.get(reverse("kpis:export_pdf"), {"jaar": 2027})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "nog niet begonnen" in " ".join(pdf_text.split())
    assert "01-01-2027" not in pdf_text


@pytest.mark.usefixtures("targets_2027")
def test_api_of_next_year_answers_targets_without_figures(
    world: World, policy_officer: Any, api_as: Callable[..., Any]
) -> None:
    """R-KPI via GET /api/v1/kpis?year=2027: as a period without data answers (200, every
    KPI without realisation, counts or expectation; status no_data, or no_target where no
    target was set ahead); the reference day is today, not 1 January 2027 still to come."""
    response = api_as(policy_officer).get("/api/v1/kpis", {"year": 2027})
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["measuredOn"], body["elapsedFraction"]) == (
        2027,
        "2026-11-22",
        "0.0000",
    )
    kpis = {k["code"]: k for k in body["kpis"]}
    assert len(kpis) == 9
    for kpi in kpis.values():
        assert kpi["realised"] is None and kpi["expected"] is None
        assert kpi["numerator"] is None and kpi["denominator"] is None
    placements, werkfit = kpis["placements"], kpis["werkfit"]
    assert (placements["target"], placements["status"], placements["statusLabel"]) == (
        "310.0",
        "no_data",
        "Geen gegevens",
    )
    # No target set for 2027: as in any period, the status says so.
    assert (werkfit["target"], werkfit["status"], werkfit["statusLabel"]) == (
        None,
        "no_target",
        "Geen doel vastgesteld",
    )
