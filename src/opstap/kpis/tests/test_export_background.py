"""The KPI report in the background (R-INT-4, issue 14: the KPI PDF took 6.7 s with no
feedback): the dashboard's buttons queue the report, its page shows the progress (polled by
htmx) and offers the download when ready; only the one who asked may open it. The world and
the clock are the steering tests' (explicit "today"); the task runs inline through the sync
setting, the same task the thread or Celery runs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from openpyxl import load_workbook

from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode
from opstap.kpis import report as kpi_report
from opstap.kpis import selectors, services
from opstap.kpis.forms import KpiFilterForm
from opstap.kpis.models import KpiExport, KpiExportStatus

from .conftest import World


def _login(user: Any) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture(autouse=True)
def _inline(settings: Any, frozen: None) -> None:
    settings.OPSTAP_KPI_EXPORT_SYNC = True


def test_pdf_is_built_in_the_background_then_downloaded(
    world: World, policy_officer, django_capture_on_commit_callbacks
) -> None:
    """R-INT-4: the button queues the report; the page then offers the PDF for download."""
    http = _login(policy_officer)
    dashboard = http.get(reverse("kpis:dashboard"), {"jaar": 2026}).content.decode()
    assert f'action="{reverse("kpis:export_start")}"' in dashboard
    with django_capture_on_commit_callbacks(execute=True):  # the task starts after commit
        response = http.post(reverse("kpis:export_start"), {"action": "pdf", "query": "jaar=2026"})
    job = KpiExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("kpis:export_detail", args=[job.pk])
    assert job.status == KpiExportStatus.DONE and job.progress == 100
    assert job.file_name == "kpi-sturing-2026-alle-gemeenten.pdf"
    assert AuditRecord.objects.filter(object_type="kpi_report", action="export").count() == 1

    page = http.get(response["Location"]).content.decode()
    assert "Klaar om te downloaden" in page
    assert reverse("kpis:export_download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    download = http.get(reverse("kpis:export_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert 'filename="kpi-sturing-2026-alle-gemeenten.pdf"' in download["Content-Disposition"]


def test_xlsx_follows_the_dashboard_filters(
    world: World, policy_officer, django_capture_on_commit_callbacks
) -> None:
    """R-INT-4: the background Excel file holds the same typed council report."""
    http = _login(policy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        http.post(reverse("kpis:export_start"), {"action": "xlsx", "query": "jaar=2026"})
    job = KpiExport.objects.get()
    wb = load_workbook(io.BytesIO(http.get(reverse("kpis:export_download", args=[job.pk])).content))
    rows = {row[0].value: row for row in wb[wb.sheetnames[1]].iter_rows(min_row=3)}
    placements = rows["Geplaatst in werk of opleiding"]
    assert placements[1].value == 305 and placements[2].value == 3


def test_a_queued_report_shows_its_progress_and_polls(world: World, policy_officer) -> None:
    """R-INT-4: while the report is built, the page shows a progress bar and polls itself."""
    job = services.kpi_export_start(
        actor=policy_officer, fmt="pdf", query="jaar=2026", selection="Jaar 2026"
    )
    http = _login(policy_officer)
    page = http.get(reverse("kpis:export_detail", args=[job.pk])).content.decode()
    assert "In de wachtrij" in page and "<progress" in page and 'hx-trigger="every 1s"' in page
    assert reverse("kpis:export_download", args=[job.pk]) not in page
    assert http.get(reverse("kpis:export_download", args=[job.pk])).status_code == 404
    partial = http.get(reverse("kpis:export_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="export-progress"')


def test_progress_follows_the_kpis(world: World, policy_officer) -> None:
    """R-INT-4: the council report reports its progress after every KPI, up to all of them."""
    form = KpiFilterForm({"jaar": "2026"}, organisation_id=world.org.pk)
    ctx = selectors.kpi_context(organisation_id=world.org.pk, filters=form.filters())
    steps: list[tuple[int, int]] = []
    report = kpi_report.council_report(
        ctx, progress=lambda done, total: steps.append((done, total))
    )
    total = len(selectors.kpi_results(ctx))
    assert steps == [(n, total) for n in range(1, total + 1)]
    assert report.tables


def test_only_the_requester_opens_the_report(world: World, policy_officer, make_user: Any) -> None:
    """R-INT-4 with R-SEC-1: another policy officer gets a 404; a wrong format is refused."""
    http = _login(policy_officer)
    http.post(reverse("kpis:export_start"), {"action": "pdf", "query": ""})
    job = KpiExport.objects.get()
    other = _login(make_user(RoleCode.POLICY_OFFICER, username="beleid2"))
    assert other.get(reverse("kpis:export_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("kpis:export_download", args=[job.pk])).status_code == 404
    refused = http.post(reverse("kpis:export_start"), {"action": "docx"}, follow=True)
    assert "Kies Excel of PDF." in refused.content.decode()
    assert KpiExport.objects.count() == 1
    case_manager = _login(make_user(RoleCode.CASE_MANAGER, username="km-export"))
    assert case_manager.post(reverse("kpis:export_start"), {"action": "pdf"}).status_code == 403


def test_the_report_carries_its_definitions(world: World) -> None:
    """The council report says what each KPI counts in its own table, instead of pointing to
    a developer's document: every KPI's description, numerator and denominator labels."""
    form = KpiFilterForm({"jaar": "2026"}, organisation_id=world.org.pk)
    ctx = selectors.kpi_context(organisation_id=world.org.pk, filters=form.filters())
    report = kpi_report.council_report(ctx)
    results = selectors.kpi_results(ctx)
    (table,) = [t for t in report.tables if t.title == "Definities"]
    assert [row[0].value for row in table.rows] == [r.definition.title for r in results]
    assert [row[1].value for row in table.rows] == [r.definition.description for r in results]
    assert all("docs/" not in note and ".md" not in note for note in report.notes)
    assert any("'Definities'" in note for note in report.notes)
