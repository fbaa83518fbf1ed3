"""Pages of access requests (R-SEC-5): the resident's "Mijn gegevens opvragen" in the portal
and the staff pages. Residents see only their own (another resident gets 404), staff only
clients in scope (R-SEC-1); reads and downloads are audited (R-SEC-2)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from django.test import Client as HttpClient

from opstap.access_requests import services
from opstap.access_requests.models import AccessRequest, Channel
from opstap.access_requests.workflow import State
from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.core.tests.html_checks import idref_problems

from .conftest import World

pytestmark = pytest.mark.django_db


def _as(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_portal_home_links_to_my_data(world: World) -> None:
    html = _as(world.resident).get("/mijn/").content.decode()
    assert 'href="/mijn/gegevens/"' in html
    assert "Mijn gegevens opvragen" in html


def test_resident_requests_waits_and_downloads(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """R-SEC-5 end to end in the portal: request, compiled in the background, progress
    partial for htmx, download of the ZIP; the download is audited (R-SEC-2)."""
    web = _as(world.resident)
    assert "nog geen overzicht aangevraagd" in web.get("/mijn/gegevens/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/mijn/gegevens/")
    request = AccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mijn/gegevens/{request.pk}/"
    assert request.channel == Channel.PORTAL
    assert AccessRequest.objects.get().state == State.READY

    page = web.get(f"/mijn/gegevens/{request.pk}/").content.decode()
    assert "Het overzicht is klaar" in page
    assert f'href="/mijn/gegevens/{request.pk}/download"' in page
    partial = web.get(f"/mijn/gegevens/{request.pk}/", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content
    assert b'id="access-progress"' in partial.content

    download = web.get(f"/mijn/gegevens/{request.pk}/download")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    with zipfile.ZipFile(BytesIO(_body(download))) as zf:
        assert "samenvatting.html" in zf.namelist()
    assert AuditRecord.objects.filter(
        action="export", actor_id=world.resident.pk, client_id=world.client_a.pk
    ).exists()
    assert AccessRequest.objects.get().state == State.DOWNLOADED


def test_open_request_page_polls(world: World) -> None:
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    html = _as(world.resident).get(f"/mijn/gegevens/{request.pk}/").content.decode()
    assert f'hx-get="/mijn/gegevens/{request.pk}/"' in html
    assert 'aria-live="polite"' in html
    assert "<progress" in html


def test_other_resident_gets_404(world: World, make_user: Callable[..., User]) -> None:
    """R-SEC-1: another resident cannot see or download someone's request (404, not 403)."""
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    from opstap.access_requests import export

    export.compile_access_request(request.pk)
    stranger = make_user(RoleCode.RESIDENT, username="buurman")
    client_link_user(client=world.client_b, user=stranger)
    web = _as(stranger)
    assert web.get(f"/mijn/gegevens/{request.pk}/").status_code == 404
    assert web.get(f"/mijn/gegevens/{request.pk}/download").status_code == 404
    assert web.post(f"/mijn/gegevens/{request.pk}/opnieuw").status_code == 404
    assert AccessRequest.objects.get().download_count == 0
    # The stranger's own list shows nothing of client A.
    assert f"/mijn/gegevens/{request.pk}/" not in web.get("/mijn/gegevens/").content.decode()


def test_staff_cannot_use_the_portal_pages_of_a_client(world: World) -> None:
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    assert _as(world.case_manager).get(f"/mijn/gegevens/{request.pk}/").status_code == 403


def test_dossier_links_to_access_requests(world: World) -> None:
    html = _as(world.case_manager).get(f"/klanten/{world.client_a.pk}/").content.decode()
    assert f'href="/inzageverzoeken/klant/{world.client_a.pk}/"' in html


def test_case_manager_registers_on_behalf(world: World) -> None:
    """R-POR: the non-digital channel; the due date is shown to staff."""
    web = _as(world.case_manager)
    page = web.get(f"/inzageverzoeken/klant/{world.client_a.pk}/")
    assert page.status_code == 200
    assert 'for="id_note"' in page.content.decode()
    assert idref_problems(page.content.decode()) == []  # WCAG 1.3.1: the box's references exist
    response = web.post(
        f"/inzageverzoeken/klant/{world.client_a.pk}/", {"note": "Aan de balie, 12 maart"}
    )
    request = AccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inzageverzoeken/{request.pk}/"
    assert request.channel == Channel.STAFF
    detail = web.get(f"/inzageverzoeken/{request.pk}/").content.decode()
    assert "Uiterste antwoorddatum" in detail
    assert "Aan de balie, 12 maart" in detail
    assert AuditRecord.objects.filter(
        action="read", object_type="access_request", actor_id=world.case_manager.pk
    ).exists()
    again = web.post(f"/inzageverzoeken/klant/{world.client_a.pk}/", {"note": ""})
    assert "al een overzicht" in again.content.decode()
    assert AccessRequest.objects.count() == 1


def test_staff_outside_scope_get_404_or_403(world: World, make_user: Callable[..., User]) -> None:
    """R-SEC-1: a case manager without this client in scope: 404; roles without the
    permission (provider staff, income coach): 403."""
    request = services.access_request_create(actor=world.resident, client=world.client_a)
    outsider = _as(make_user(RoleCode.CASE_MANAGER, username="km-elders"))
    assert outsider.get(f"/inzageverzoeken/{request.pk}/").status_code == 404
    assert outsider.get(f"/inzageverzoeken/klant/{world.client_a.pk}/").status_code == 404
    assert str(world.client_a.last_name) not in outsider.get("/inzageverzoeken/").content.decode()
    for user in (world.provider_user, make_user(RoleCode.INCOME_COACH)):
        assert _as(user).get(f"/inzageverzoeken/{request.pk}/").status_code == 403


def test_work_list_shows_due_dates_without_n_plus_one(
    world: World, org: Any, django_assert_max_num_queries: Any
) -> None:
    """The staff work list: open requests, earliest due date first, a fixed query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    web = _as(world.case_manager)

    def add_and_count(first: int, last: int) -> tuple[int, str]:
        for n in range(first, last):
            client = make_client(org, case_manager=world.case_manager, last_name=f"Wachtend{n}")
            services.access_request_create(actor=world.case_manager, client=client)
        web.get("/inzageverzoeken/")  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            html = web.get("/inzageverzoeken/").content.decode()
        return len(queries), html

    few, _ = add_and_count(0, 3)
    many, html = add_and_count(3, 9)
    # The list is audited as a read (R-SEC-2), which costs a constant few queries; what
    # matters is that 9 requests cost no more than 3.
    assert many == few
    with django_assert_max_num_queries(16):
        web.get("/inzageverzoeken/")
    assert html.count("Wachtend") == 9
    assert "Uiterste antwoorddatum" in html


@pytest.mark.parametrize(
    ("days", "shown"), [(2, "(nog 2 dagen)"), (1, "(nog 1 dag)"), (0, "(vandaag)")]
)
def test_request_page_counts_the_days_left_in_dutch(
    world: World, time_machine: Any, days: int, shown: str
) -> None:
    """R-SEC-5: the page of an open request says how long is left, in Dutch: "nog 1 dag",
    not "nog 1 dagen", and "vandaag" on the last day."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    time_machine.move_to(dt.datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Europe/Amsterdam")))
    web = _as(world.case_manager)
    web.post(f"/inzageverzoeken/klant/{world.client_a.pk}/", {"note": ""})
    request = AccessRequest.objects.get()
    AccessRequest.objects.filter(pk=request.pk).update(
        due_on=dt.date(2026, 3, 10) + dt.timedelta(days=days)
    )
    detail = web.get(f"/inzageverzoeken/{request.pk}/").content.decode()
    assert shown in detail


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (State.FAILED, "(nog 2 dagen)"),
        (State.REQUESTED, "(nog 2 dagen)"),
        (State.COMPILING, "(nog 2 dagen)"),
        (State.READY, None),
        (State.DOWNLOADED, None),
        (State.EXPIRED, None),
        (State.NO_DATA, None),
    ],
)
def test_request_page_counts_the_days_left_while_the_term_runs(
    world: World, time_machine: Any, state: State, shown: str | None
) -> None:
    """R-SEC-5 (AVG art. 12(3)): a failed request is not answered, so its one-month term still
    runs and the page says how long is left, as for a requested or compiling one (before: a
    failed request showed the due date only). An answered request (ready, downloaded,
    expired, no data) shows no count."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    time_machine.move_to(dt.datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Europe/Amsterdam")))
    web = _as(world.case_manager)
    web.post(f"/inzageverzoeken/klant/{world.client_a.pk}/", {"note": ""})
    request = AccessRequest.objects.get()
    AccessRequest.objects.filter(pk=request.pk).update(
        state=state.value, due_on=dt.date(2026, 3, 12)
    )
    detail = web.get(f"/inzageverzoeken/{request.pk}/").content.decode()
    assert "12-03-2026" in detail
    if shown is None:
        assert "(nog " not in detail and "(vandaag)" not in detail
    else:
        assert shown in detail


def test_request_page_of_a_failed_request_past_its_term_says_so(
    world: World, time_machine: Any
) -> None:
    """R-SEC-5: a failed request past its due date says the term has passed."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    time_machine.move_to(dt.datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Europe/Amsterdam")))
    web = _as(world.case_manager)
    web.post(f"/inzageverzoeken/klant/{world.client_a.pk}/", {"note": ""})
    request = AccessRequest.objects.get()
    AccessRequest.objects.filter(pk=request.pk).update(
        state=State.FAILED.value, due_on=dt.date(2026, 3, 9)
    )
    detail = web.get(f"/inzageverzoeken/{request.pk}/").content.decode()
    assert "termijn verstreken" in detail
