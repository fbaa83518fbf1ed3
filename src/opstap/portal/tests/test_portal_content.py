"""Issue 14 item 2 (R-POR): Mijn Opstap shows the case manager, the trajectories with where
they stand and what happens next (plain language, derived from the workflow state), the
coming appointments and only the documents staff explicitly shared; the resident uploads a
document (the one upload rule) and answers the satisfaction survey once, which feeds R-KPI-6
and the providers' satisfaction indicator (R-PI-1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.clients.services import client_link_user
from opstap.core.roles import RoleCode
from opstap.indicators.computation import Period
from opstap.indicators.selectors import provider_indicators
from opstap.kpis import services as kpi_services
from opstap.kpis.models import SatisfactionResponse
from opstap.notifications.models import Notification
from opstap.portal.models import ClientUpload
from opstap.portal.plain_language import resident_step
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.workflow import State

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
AMS = dt.timezone(dt.timedelta(hours=2))
TODAY = dt.datetime(2026, 5, 20, 10, 0, tzinfo=AMS)


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_plain_language(state: State) -> None:
    """One place decides what a resident reads per state; no state is left without it."""
    step = resident_step(state.value)
    assert step.now and step.next
    assert state.value not in step.now + step.next  # no codes


def test_unknown_state_sends_the_resident_to_the_case_manager() -> None:
    assert "klantmanager" in resident_step("bestaat-niet").next


@pytest.fixture
def resident(make_user, client_k):  # type: ignore[no-untyped-def]
    user = make_user(RoleCode.RESIDENT, username="kees")
    client_link_user(client=client_k, user=user)
    return user


@pytest.fixture
def running(order, walk, product3):  # type: ignore[no-untyped-def]
    return walk(order(product3), "running")


@pytest.fixture
def report(running, provider_user_a):  # type: ignore[no-untyped-def]
    return trajectory_services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=running,
        kind="progress_report",
        title="Voortgang mei",
        text="Het gaat goed.",
        upload=SimpleUploadedFile("voortgang.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def http(resident) -> HttpClient:  # type: ignore[no-untyped-def]
    web = HttpClient()
    web.force_login(resident)
    return web


def test_home_shows_next_step_appointments_and_only_shared_documents(
    running, report, resident, http, provider_user_a, case_manager, django_assert_max_num_queries
) -> None:
    with time_machine.travel(TODAY, tick=False):
        trajectory_services.appointment_create(
            actor=provider_user_a,
            trajectory=running,
            starts_at=TODAY + dt.timedelta(days=2),
            description="Sollicitatietraining",
        )
        plan = report
        with django_assert_max_num_queries(30):
            html = http.get("/mijn/").content.decode()
        assert resident_step("running").next.split(".")[0] in html
        assert "Sollicitatietraining" in html and "vrijdag 22 mei 2026" in html
        assert case_manager.display_name in html
        assert plan.title not in html  # staff have not shared it (default: not shared)
        assert plan.shared_with_client is False
        trajectory_services.trajectory_document_share(
            actor=case_manager, document=plan, shared=True
        )
        html = http.get("/mijn/").content.decode()
    assert plan.title in html and "heeft uw klantmanager met u gedeeld" in html


def test_only_the_case_manager_shares_and_only_plans_and_reports(
    running, report, provider_user_a, case_manager
) -> None:
    plan = report
    with pytest.raises(trajectory_services.TrajectoryError, match="klantmanager"):
        trajectory_services.trajectory_document_share(
            actor=provider_user_a, document=plan, shared=True
        )
    shared = trajectory_services.trajectory_document_share(
        actor=case_manager, document=plan, shared=True
    )
    assert shared.shared_with_client
    assert running.events.filter(action="document_share").count() == 1


def test_shared_document_download_is_limited_to_shared_files(
    running, report, http, provider_user_a, case_manager
) -> None:
    url = reverse("portal:shared_document", args=[report.pk])
    assert http.get(url).status_code == 404  # not shared
    trajectory_services.trajectory_document_share(actor=case_manager, document=report, shared=True)
    response = http.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_resident_uploads_a_document_for_the_case_manager(
    resident, http, client_k, case_manager, make_user
) -> None:
    refused = http.post(
        reverse("portal:upload"),
        {"title": "Loonstrook", "file": SimpleUploadedFile("loon.txt", b"hallo")},
    )
    assert refused.status_code == 400
    assert "Alleen PDF" in refused.content.decode()
    fake = http.post(
        reverse("portal:upload"),
        {"title": "Loonstrook", "file": SimpleUploadedFile("loon.pdf", b"not a pdf")},
    )
    assert fake.status_code == 400 and ClientUpload.objects.count() == 0
    response = http.post(
        reverse("portal:upload"),
        {"title": "Loonstrook maart", "file": SimpleUploadedFile("loon.pdf", PDF)},
    )
    assert response.status_code == 302
    upload = ClientUpload.objects.get()
    assert (upload.client_id, upload.content_type) == (client_k.pk, "application/pdf")
    note = Notification.objects.get(recipient=case_manager)
    assert "Loonstrook maart" in note.body
    staff = HttpClient()
    staff.force_login(case_manager)
    assert staff.get(note.url).status_code == 200
    outsider = make_user(RoleCode.CASE_MANAGER, username="andere-km")
    staff.force_login(outsider)
    assert staff.get(note.url).status_code == 404
    assert http.get(reverse("portal:upload_download", args=[upload.pk])).status_code == 200


@pytest.fixture
def ended(running, provider_user_a):  # type: ignore[no-untyped-def]
    return trajectory_services.trajectory_transition(
        actor=provider_user_a,
        trajectory=running,
        action="complete",
        payload={"end_date": "2026-06-30"},
        reason="",
        on=dt.date(2026, 6, 30),
    )


def test_survey_once_per_ended_trajectory_feeds_kpi_and_indicator(
    ended, resident, http, org, provider_a, contract_manager, settings
) -> None:
    """R-KPI-6 and R-PI-1 (satisfaction): the resident's score counts as one respondent in
    the KPI and in the provider's indicator; a second answer is refused. One answer is a
    small number: the contract manager sees it withheld ("< 5", R-SEC-1) until the
    suppression is switched off (threshold 1)."""
    assert ended.state == "completed"
    with time_machine.travel(dt.datetime(2026, 7, 2, 10, tzinfo=AMS), tick=False):
        html = http.get("/mijn/").content.decode()
        url = reverse("portal:survey", args=[ended.pk])
        assert url in html
        assert http.post(url, {"score": "11"}).status_code == 400
        assert http.post(url, {"score": "8", "remark": "Fijne coach"}).status_code == 302
        again = http.post(url, {"score": "3"})
        assert again.status_code == 400 and "al beantwoord" in again.content.decode()
        assert url not in http.get("/mijn/").content.decode()
    answer = SatisfactionResponse.objects.get()
    assert (answer.score, answer.remark, answer.trajectory_id) == (8, "Fijne coach", ended.pk)

    def satisfaction():
        return provider_indicators(
            contract_manager,
            provider_a,
            period=Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            today=dt.date(2026, 7, 2),
        ).result("satisfaction")

    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 5
    assert (satisfaction().value, satisfaction().display) == (None, "< 5")
    settings.OPSTAP_SMALL_NUMBER_THRESHOLD = 1
    assert satisfaction().value == Decimal("8.0")


def test_survey_for_a_running_trajectory_is_not_offered(running, http) -> None:
    assert http.get(reverse("portal:survey", args=[running.pk])).status_code == 404


def test_wave_survey_counts_in_the_kpi(resident, http, org, client_k) -> None:
    """R-KPI-6: an open wave (end date not passed) can be answered once in the portal; the
    KPI weighs each answer as one respondent next to the waves' own scores."""
    from opstap.kpis import selectors as kpi_selectors

    kpi_services.survey_wave_record(
        actor=None,
        organisation=org,
        name="KBO 2026",
        held_on=dt.date(2026, 6, 30),
        score="7",
        respondents=3,
    )
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=AMS), tick=False):
        assert reverse("portal:survey_wave") in http.get("/mijn/").content.decode()
        assert http.post(reverse("portal:survey_wave"), {"score": "10"}).status_code == 302
        assert reverse("portal:survey_wave") not in http.get("/mijn/").content.decode()
    ctx = kpi_selectors.kpi_context(
        organisation_id=org.pk,
        filters=kpi_selectors.KpiFilters(year=2026),
        today=dt.date(2026, 6, 30),
    )
    counts = kpi_selectors.satisfaction_counts(ctx)
    assert counts.numerator == 4
    assert counts.score == Decimal("7.8")  # (3 x 7 + 10) / 4 = 7.75 → 7.8


def test_case_manager_shares_from_the_trajectory_page(running, report, case_manager) -> None:
    staff = HttpClient()
    staff.force_login(case_manager)
    page = staff.get(reverse("trajectories:detail", args=[running.pk])).content.decode()
    assert "Delen met de klant" in page
    url = reverse("trajectories:document_share", args=[running.pk, report.pk])
    assert staff.post(url, {"shared": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.shared_with_client
