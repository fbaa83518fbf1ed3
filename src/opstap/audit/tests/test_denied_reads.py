"""Denied reads leave a record (R-SEC-2, issue 19 item 6): an object outside the user's scope,
a page or API operation without the permission. Rate-limited per user, aggregated with a
count; the auditor filters on them. And the reads that were not audited before: start-page
panels, notifications, the access-request work list, a client's access requests, the import
error page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from opstap.audit.models import AuditRecord
from opstap.audit.services import audit_denied_read
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.notifications.services import notification_send


@pytest.fixture
def world(org, case_manager, make_user):
    case_manager_set_unit(user=case_manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg")
    case_manager_set_unit(user=care, unit="care")
    foreign = make_client(org, ladder_step="1", case_manager=care)  # care unit: not visible
    own = make_client(org, ladder_step="4", case_manager=case_manager)
    return {"cm": case_manager, "care": care, "foreign": foreign, "own": own}


def _denied():
    return AuditRecord.objects.filter(action="denied")


def test_out_of_scope_dossier_is_recorded_page_and_api(world, client: HttpClient, api_as) -> None:
    """R-SEC-2: reading a dossier outside the scope is a 404 and leaves one `denied` record
    with user, object type, id and path (before: nothing)."""
    client.force_login(world["cm"])
    assert client.get(f"/klanten/{world['foreign'].pk}/").status_code == 404
    record = _denied().get()
    assert record.actor_username == "klantmanager"
    assert (record.object_type, record.object_id) == ("client", str(world["foreign"].pk))
    assert record.changes["path"] == f"GET /klanten/{world['foreign'].pk}/"
    assert record.result == "geweigerd"
    assert api_as(world["cm"]).get(f"/api/v1/clients/{world['foreign'].pk}").status_code == 404
    api_record = _denied().order_by("-id").first()
    assert api_record.changes["path"] == f"GET /api/v1/clients/{world['foreign'].pk}"
    assert api_record.object_type == "client"


def test_missing_object_and_visible_object_are_not_denied(world, client: HttpClient) -> None:
    client.force_login(world["cm"])
    assert client.get("/klanten/99999999/").status_code == 404
    assert client.get(f"/klanten/{world['own'].pk}/").status_code == 200
    assert not _denied().exists()


def test_page_and_api_without_permission_are_recorded(make_user, client: HttpClient, api_as):
    """R-SEC-2: a page or an API read the role lacks (403) is recorded too."""
    policy = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    client.force_login(policy)
    assert client.get("/klanten/").status_code == 403
    assert api_as(policy).get("/api/v1/clients").status_code == 403
    kinds = sorted(_denied().values_list("object_type", flat=True))
    assert kinds == ["api", "page"]


def test_denied_reads_are_rate_limited_per_user_with_a_count(world, settings) -> None:
    """At most N records per user per minute; the rest of that minute is one aggregated
    record with its count (written when the count reaches N again or with the next denial
    after that minute). Another user has their own limit."""
    settings.OPSTAP_DENIED_READ_LIMIT_PER_MINUTE = 3
    cm, care = world["cm"], world["care"]
    t0 = dt.datetime(2026, 6, 1, 10, 0, 5, tzinfo=dt.UTC)
    for i in range(5):  # 3 individual, 2 counted
        audit_denied_read(user=cm, request=None, object_type="client", object_id=i, now=t0)
    audit_denied_read(user=care, request=None, object_type="client", object_id=1, now=t0)
    assert _denied().filter(actor_username="klantmanager").count() == 3
    assert _denied().filter(actor_username="zorg").count() == 1
    # The next minute: the two counted ones are written as one record with count 2.
    t1 = t0 + dt.timedelta(minutes=1)
    audit_denied_read(user=cm, request=None, object_type="client", object_id=9, now=t1)
    counts = list(
        _denied()
        .filter(actor_username="klantmanager")
        .order_by("id")
        .values_list("changes__count", flat=True)
    )
    assert counts == [1, 1, 1, 2, 1]
    # A flood: 3 individual, then one record per 3 more.
    t2 = t0 + dt.timedelta(minutes=5)
    before = _denied().count()
    for i in range(3 + 9):
        audit_denied_read(user=cm, request=None, object_type="client", object_id=i, now=t2)
    new = list(_denied().filter(pk__gt=0).order_by("id").values_list("changes__count", flat=True))
    assert new[before:] == [1, 1, 1, 3, 3, 3]
    assert sum(new[before:]) == 12  # nothing lost


def test_auditor_filters_on_denied_reads(world, make_user, client: HttpClient) -> None:
    """R-SEC-2: the auditor's page offers "geweigerde inzage" as a filter and shows the path."""
    http = HttpClient()
    http.force_login(world["cm"])
    http.get(f"/klanten/{world['foreign'].pk}/")
    auditor = make_user(RoleCode.AUDITOR, username="auditor")
    client.force_login(auditor)
    html = client.get("/audit/").content.decode()
    assert 'value="denied"' in html and "geweigerde inzage" in html.lower()
    html = client.get("/audit/?action=denied").content.decode()
    assert f"/klanten/{world['foreign'].pk}/" in html
    assert "1 regel." in html


def test_start_page_and_notifications_are_audited(world, client: HttpClient) -> None:
    """R-SEC-2: the start page (its panels) and the notifications shown are audited."""
    n = notification_send(recipient=world["cm"], title="Verzuim van Jan Jansen", body="x")
    client.force_login(world["cm"])
    client.get("/")
    home = AuditRecord.objects.get(object_type="home")
    assert "notifications" in home.changes["panels"]
    assert (
        AuditRecord.objects.filter(
            object_type="notification", object_id=str(n.pk), action="list"
        ).count()
        == 1
    )
    client.get("/meldingen/")
    assert (
        AuditRecord.objects.filter(
            object_type="notification", object_id=str(n.pk), action="list"
        ).count()
        == 2
    )


def test_access_requests_pages_are_audited(world, client: HttpClient) -> None:
    """R-SEC-2: the work list and a client's access requests are audited per row."""
    from opstap.access_requests.services import access_request_create

    ar = access_request_create(actor=world["cm"], client=world["own"], note="")
    client.force_login(world["cm"])
    client.get("/inzageverzoeken/")
    # The one naming rule (core.audit_names): `access_request`, as the services write it; the
    # page wrote `accessrequest`.
    row = AuditRecord.objects.get(object_type="access_request", purpose="Werklijst inzageverzoeken")
    assert (row.object_id, row.client_id) == (str(ar.pk), world["own"].pk)
    client.get(f"/inzageverzoeken/klant/{world['own'].pk}/")
    assert AuditRecord.objects.filter(
        action="read",
        object_type="client",
        client_id=world["own"].pk,
        purpose="Inzageverzoeken van een klant bekijken",
    ).exists()


def test_import_error_page_is_audited(org, make_user, client: HttpClient) -> None:
    from opstap.clients.services import client_import_start

    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    job = client_import_start(
        actor=admin, file_name="x.csv", file_path="nergens.csv", only_valid_rows=False
    )
    client.force_login(admin)
    assert client.get(f"/klanten/importeren/{job.pk}/").status_code == 200
    assert AuditRecord.objects.filter(
        action="read", object_type="import_job", object_id=str(job.pk)
    ).exists()


def test_denied_read_of_a_client_is_found_by_person(
    world, make_user, client: HttpClient, api_as
) -> None:
    """R-SEC-2 ("searchable by auditors"; conventions: the audit trail is filtered by person):
    a denied read of a client's dossier carries the client, so the auditor's search on that
    client shows the attempt (page and API). Before, the record named the object only
    (object id 5) and the search by client found nothing. Missing ids stay unrecorded."""
    from opstap.audit.selectors import AuditFilter, audit_records_about_client, audit_records_for

    foreign = world["foreign"]
    client.force_login(world["cm"])
    assert client.get(f"/klanten/{foreign.pk}/").status_code == 404
    assert api_as(world["cm"]).get(f"/api/v1/clients/{foreign.pk}").status_code == 404
    assert client.get("/klanten/99999999/").status_code == 404
    auditor = make_user(RoleCode.AUDITOR, username="auditor")
    found = audit_records_for(auditor, AuditFilter(client_id=foreign.pk))
    assert found.filter(action="denied").count() == 2
    assert _denied().count() == 2
    # the resident's own export (R-SEC-5) lists who processed their data, not the refusals
    export = audit_records_about_client(
        organisation_id=foreign.organisation_id, client_id=foreign.pk
    )
    assert not export.filter(action="denied").exists()
