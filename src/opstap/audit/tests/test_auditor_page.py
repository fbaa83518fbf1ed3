"""R-SEC-2: auditors search the audit trail by client, user, period and action (own
organisation only), page through it and export it to Excel; the export is audited."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opstap.accounts.models import User
from opstap.audit.models import AuditAction, AuditRecord
from opstap.audit.services import audit_log
from opstap.core.roles import RoleCode

LIST = reverse("audit:list")
EXPORT = reverse("audit:export")


@pytest.fixture
def auditor(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.AUDITOR, username="auditor")


@pytest.fixture
def trail(case_manager: User, make_user: Callable[..., User], other_org) -> None:
    coach = make_user(RoleCode.INCOME_COACH, username="coach")
    elsewhere = make_user(RoleCode.CASE_MANAGER, username="elders", organisation=other_org)
    with time_machine.travel(dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        audit_log(
            action=AuditAction.READ,
            actor=case_manager,
            object_type="client",
            object_id=1,
            client_id=1,
        )
        audit_log(
            action=AuditAction.UPDATE,
            actor=case_manager,
            object_type="client",
            object_id=2,
            client_id=2,
        )
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        audit_log(
            action=AuditAction.READ, actor=coach, object_type="client", object_id=1, client_id=1
        )
        audit_log(
            action=AuditAction.READ, actor=elsewhere, object_type="client", object_id=1, client_id=1
        )


def _rows(response) -> int:
    return response.context["page"].paginator.count


def test_only_auditors_see_the_trail(case_manager: User, make_user, client: Client) -> None:
    client.force_login(case_manager)
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_auditor_sees_own_organisation_only(auditor: User, trail: None, client: Client) -> None:
    """R-SEC-1/R-SEC-2: another organisation's records never show."""
    client.force_login(auditor)
    response = client.get(LIST)
    assert response.status_code == 200
    assert _rows(response) == 4  # 3 from the trail + the auditor's own login
    assert "elders" not in response.content.decode()


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"client_id": "1"}, 2),
        ({"user": "coach"}, 1),
        ({"action": "update"}, 1),
        ({"date_from": "2026-02-01", "date_to": "2026-02-28"}, 1),
        ({"date_to": "2026-01-31"}, 2),
        ({"date_from": "2026-01-10", "date_to": "2026-01-10"}, 2),
        ({"client_id": "1", "user": "klantmanager", "action": "read"}, 1),
        ({"date_from": "2026-03-01", "date_to": "2026-01-01"}, 0),  # invalid: nothing, not all
    ],
)
def test_search_filters(auditor: User, trail: None, client: Client, params, expected) -> None:
    """R-SEC-2: filter by client id, user, period and action."""
    client.force_login(auditor)
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert _rows(response) == expected


def test_client_search_is_itself_audited(auditor: User, trail: None, client: Client) -> None:
    client.force_login(auditor)
    client.get(LIST, {"client_id": "1"})
    record = AuditRecord.objects.filter(action=AuditAction.SEARCH).get()
    assert record.actor_id == auditor.pk and record.client_id == 1


def test_pagination(auditor: User, case_manager: User, client: Client) -> None:
    for i in range(120):
        audit_log(action=AuditAction.READ, actor=case_manager, object_type="client", object_id=i)
    client.force_login(auditor)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 50
    third = client.get(LIST, {"page": 3})
    assert len(third.context["page"].object_list) == 21  # + the auditor's login record
    assert "Pagina 3 van 3" in third.content.decode()


def test_list_query_count_is_constant(
    auditor: User, case_manager: User, client: Client, django_assert_max_num_queries
) -> None:
    for i in range(60):
        audit_log(action=AuditAction.READ, actor=case_manager, object_type="client", object_id=i)
    client.force_login(auditor)
    client.get(LIST)  # warm up session
    with django_assert_max_num_queries(12):
        client.get(LIST)


def test_export_xlsx_is_typed_and_audited(auditor: User, trail: None, client: Client) -> None:
    """R-SEC-2: the Excel export has typed cells (dates as dates, ids as numbers) and the
    export itself leaves an audit record."""
    client.force_login(auditor)
    response = client.get(EXPORT, {"client_id": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tijdstip"
    assert len(rows) == 3  # header + 2 records for client 1
    assert isinstance(rows[1][0], dt.datetime)
    assert rows[1][0] == dt.datetime(2026, 2, 10, 11, 0)  # local time (Europe/Amsterdam)
    assert rows[1][1] == "coach"
    assert rows[1][6] == 1 and rows[1][7] == 1  # object id and client id as numbers
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm:ss"
    export = AuditRecord.objects.filter(action=AuditAction.EXPORT).get()
    assert export.actor_id == auditor.pk
    assert "2 regels" in export.purpose


def test_auditor_searches_by_the_client_number_a_complaint_names(
    auditor: User, case_manager: User, client: Client, org, other_org
) -> None:
    """R-SEC-2, walked as the auditor: a resident asks who looked at their dossier and gives
    their client number; the page searched by the internal id only, which the auditor has no
    way to learn (no access to dossiers). The number now finds the client's records (and the
    search is audited with that client); an unknown number, or one of another organisation,
    is named at the field and lists nothing."""
    from opstap.clients.tests.factories import a_case_manager, make_client

    mine = make_client(org, client_number="K-2041", case_manager=case_manager)
    theirs = make_client(other_org, client_number="K-9001", case_manager=a_case_manager(other_org))
    for someone in (mine, theirs):
        audit_log(
            action=AuditAction.READ,
            actor=case_manager,
            object_type="client",
            object_id=someone.pk,
            client_id=someone.pk,
        )
    client.force_login(auditor)
    response = client.get(LIST, {"client_number": "k-2041"})
    assert _rows(response) == 2  # her creation and the read
    assert {r.client_id for r in response.context["page"]} == {mine.pk}
    searched = AuditRecord.objects.filter(action=AuditAction.SEARCH).get()
    assert searched.client_id == mine.pk
    for unknown in ("K-9001", "K-0000"):
        response = client.get(LIST, {"client_number": unknown})
        assert response.status_code == 200 and _rows(response) == 0
        assert "Er is geen klant met dit klantnummer." in response.content.decode()
    response = client.get(LIST, {"client_number": "K-2041", "client_id": str(theirs.pk)})
    assert _rows(response) == 0
    assert "Dit is niet de klant van dat klantnummer." in response.content.decode()
